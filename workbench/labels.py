"""The one table of user-facing words that are not policy.

Rule messages live in the policy pack next to their article; column headers live in the intake
contract (``workbench/intake/schema/*.csv``). Everything else a user reads (intake rejection
reasons, money parsing reasons, severities, command-line headings) is here, once.
"""

from __future__ import annotations

SEVERITY_LABELS: dict[str, str] = {
    "exclude": "不予安排",
    "exclude_in_principle": "原则上不予安排",
    "warn": "提示",
    "info": "说明",
}

CATEGORIES = ("建设类", "采购服务类", "运维服务类")
CATEGORY_OM = "运维服务类"
LEVEL_CITY = "市本级"
LEVEL_DISTRICT = "旗区"

ROUTE_FILING = "备案"
ROUTE_PLAN = "实施方案"
ROUTE_MERGED = "合并可研"
ROUTE_FULL = "可研+初步设计"
ROUTE_OM = "运维方案"
APPROVAL_ROUTES = (ROUTE_FILING, ROUTE_PLAN, ROUTE_MERGED, ROUTE_FULL, ROUTE_OM)

# Enumerated values of the systems registry that the rules read (contract: schema/systems.csv).
SYSTEM_RUNNING = "运行"
SYSTEM_DISCONTINUED = "停用"
LOW_USAGE_DETERMINED = "使用率不高"

PRODUCT_TITLE = "政务信息化项目计划与预算模拟工作台"

YES = "是"
NO = "否"
TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓"})
FALSE_WORDS = frozenset({"否", "n", "no", "false", "0", "×", "✗"})

MONEY_MESSAGES: dict[str, str] = {
    "empty": "金额为空",
    "not_number": "“{text}”不是可识别的金额（应为以万元计的数字，如 120、120.5万元、1.2亿元）",
    "bad_grouping": "“{text}”的千分位分隔不规范，无法确定金额",
    "negative": "金额“{text}”为负数",
}

CELL_MESSAGES: dict[str, str] = {
    "required": "必填项为空",
    "not_integer": "“{text}”不是整数",
    "not_number": "“{text}”不是数字",
    "not_percent": "“{text}”不是百分比（如 85 或 85%）",
    "not_bool": "“{text}”应填“是”或“否”",
    "not_allowed": "“{text}”不在可选值内（可选：{allowed}）",
    "not_date": "“{text}”不是可识别的日期（如 2025-07-31、2025年7月31日）",
    "not_month": "“{text}”不是可识别的月份（如 2026-03、2026年3月）",
    "formula": "单元格为公式“{text}”，请填写数值而非公式",
    "below_min": "{value}小于下限{bound}",
    "not_above_min": "{value}应大于{bound}",
    "above_max": "{value}大于上限{bound}",
    "ambiguous_list": "“{text}”中有无法识别的项：{bad}（可选：{allowed}）",
}

ROW_MESSAGES: dict[str, str] = {
    "missing_column": "缺少必填列“{header}”",
    "duplicate_id": "{key_label}“{value}”重复出现（另见 {others}）",
    "request_over_total": "本年度申请资金{request}万元超过总投资{total}万元",
    "district_required": "层级为{level}的项目须填写所属旗区",
    "district_for_city": "市本级项目不应填写所属旗区（填写了“{district}”）",
    "original_required": "升级改造项目须填写原项目投资",
    "self_dependency": "依赖项目编号包含本项目自身",
    "discontinued_required": "停用系统须填写停用日期",
    "acceptance_required": "{status}系统须填写终验日期",
    "usage_incomplete": "未填写月均使用率时，登录次数、核心业务办理量、用户满意度须全部填写",
    "unknown_system": "系统编号“{value}”不在已建系统登记表中",
    "duplicate_month": "系统“{system_id}”的{month}月份数据重复（另见 {others}）",
}

FILE_MESSAGES: dict[str, str] = {
    "not_found": "找不到该文件或文件夹",
    "unsupported": "不支持的文件类型“{suffix}”（支持 .xlsx、.xlsm、.csv；.xls、.et 等请在 Excel 或 WPS 中另存为 .xlsx）",
    "ignored_file": "不是申报表格（.xlsx、.csv），未读取",
    "no_header": "未找到表头行（前{rows}行中没有可识别的列名）",
    "sheet_skipped": "未找到表头行（前{rows}行中没有可识别的列名），该工作表未作为申报数据读取",
    "duplicate_column": "列“{header}”出现多次，无法确定取值",
    "headerless_values": "{columns}列没有表头，其中填写的内容未读取，请补上表头或移入对应列",
    "encoding": "无法识别文件编码（已尝试 UTF-8、UTF-8 BOM、GB18030）",
    "too_large": "文件大小{size}超过上限{limit}",
    "unreadable": "无法读取文件：{error}",
    "empty_folder": "文件夹中没有 .xlsx 或 .csv 文件",
    "unknown_columns": "以下列不在申报表规范中，已忽略：{columns}",
    "blank_rows": "空行或模板示例行{count}行，已忽略",
}

PACK_MESSAGES: dict[str, str] = {
    "not_found": "找不到政策包：{name}",
    "invalid": "政策包“{path}”有误：{errors}",
    "not_a_mapping": "顶层应为键值表",
    "missing": "缺少此项",
    "unknown_key": "未知的键",
    "bad_value": "取值“{value}”无效（{detail}）",
    "bad_article": "条款名称“{value}”不符合“第六条”或“第六条第（五）项”的写法",
    "weights_sum": "使用率权重之和应为1，实为{total}",
    "yaml": "政策包“{path}”不是有效的 YAML：{error}",
}

CLI_LABELS: dict[str, str] = {
    "file": "文件",
    "sheet": "工作表",
    "row": "行",
    "row_at": "第{row}行",
    "column": "列",
    "reason": "原因",
    "project": "项目",
    "unit": "申报单位",
    "category": "管理类别",
    "route": "审批方式",
    "supervision": "工程监理",
    "supervision_yes": "需要",
    "supervision_no": "不需要",
    "findings": "审核发现",
    "none": "无",
    "rejected_rows": "未受理的行",
    "summary": "受理情况：读取{read}行，受理{accepted}行，未受理{rejected}行，空行及示例行{blank}行",
    "notices": "文件提示",
    "projects_header": "项目审核结果（{count}个项目，计划年度{plan_year}，政策包{policy}）",
    "severity_counts": "审核发现：{counts}",
    "template_written": "已生成申报模板：{path}",
    "sample_note": "未指定输入文件，使用内置合成样例数据（非真实申报）",
    "usage_error": "参数错误：{error}",
    "file_error": "{file}：{reason}",
    "file_sheet_error": "{file} 工作表“{sheet}”：{reason}",
    "rejected_exit": "有{rows}行未受理（共{problems}处问题），请按上面的“未受理的行”修改后重新提交。第一处：{first}",
    "no_registry": "未提供已建系统登记表（--systems），第六条第（五）项、第（七）项未审核",
    "no_usage": "未提供系统月度使用情况（--usage），第六条第（五）项仅依据书面评估结论审核",
    "amount": "总投资",
    "wan": "万元",
    "registry_summary": "{table}：读取{read}行，受理{accepted}行，未受理{rejected}行",
    "table_systems": "已建系统登记表",
    "table_usage": "系统月度使用情况",
    "table_candidates": "申报项目",
}

TEMPLATE_LABELS: dict[str, str] = {
    "title": "鄂尔多斯市政务信息化项目申报表（{plan_year}年度）",
    "sheet_form": "申报表",
    "sheet_instructions": "填表说明",
    "sheet_lists": "可选值",
    "instructions_title": "填表说明",
    "col_header": "列名",
    "col_key": "英文键",
    "col_type": "类型",
    "col_unit": "单位",
    "col_required": "是否必填",
    "col_allowed": "可选值",
    "col_description": "说明",
    "example_note": "第3行为示例，请删除后填写",
    "notes": (
        "1. 金额单位为万元，可填写 120、120.5 等数字；\n"
        "2. 是/否类和可选值类请在下拉列表中选择；\n"
        "3. 多选项以“、”分隔；\n"
        "4. 项目编号全市唯一；\n"
        "5. 每个项目一行，不要合并单元格。"
    ),
}

TYPE_LABELS: dict[str, str] = {
    "id": "编号",
    "text": "文本",
    "enum": "单选",
    "multi": "多选",
    "ids": "编号列表",
    "bool": "是/否",
    "amount": "金额",
    "integer": "整数",
    "number": "数字",
    "percent": "百分比",
    "date": "日期",
    "month": "月份",
}

REQUIRED_LABELS: dict[str, str] = {"是": "必填", "否": "选填", "条件": "条件必填"}
