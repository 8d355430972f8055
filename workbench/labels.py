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
ROUTE_DISTRICT = "旗区立项审批"  # 旗区/园区 projects (第四十五条)
APPROVAL_ROUTES = (ROUTE_FILING, ROUTE_PLAN, ROUTE_MERGED, ROUTE_FULL, ROUTE_OM, ROUTE_DISTRICT)

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
    "integer_range": "“{text}”超出可处理的整数范围",
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
    "too_long": "内容有{length}个字符，超过单元格至多{limit}个字符的上限（Excel 单元格的上限），请精简后重新填写",
    "control_chars": "含有控制字符{codes}，位于第{positions}个字符{more}（内容为“{text}”）；单元格中不能含有控制字符，请删除后重新填写",
    "control_chars_more": "等，共{count}处",
    "amount_above_bound": "金额“{text}”即{amount}万元，超过上限{bound}万元（{bound_yi}亿元），请核对金额和单位（本列以万元计）",
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
    "encoding": "共{lines}行，无法识别文件编码（已尝试 UTF-8、UTF-8 BOM、GB18030）",
    "mixed_encoding": "共{lines}行，编码不一致：前{good}行是 UTF-8 编码，第{line}行起不是（可能由不同编码的内容拼接而成），无法确定文字内容，请在 Excel 或 WPS 中打开后统一另存为 UTF-8 编码的 CSV",
    "too_large": "文件大小{size}超过上限{limit}",
    "unreadable": "无法读取文件：工作簿无法解析（可能已损坏或为不支持的格式），请在 Excel 或 WPS 中打开后另存为 .xlsx",
    "empty_file": "无法读取文件：文件为空（0字节），请重新保存或重新发送",
    "is_directory": "无法读取文件：这是文件夹，不是表格文件",
    "permission": "无法读取文件：没有读取权限（文件可能被其他程序占用或设置了访问限制），请关闭文件或调整权限后重试",
    "os_error": "无法读取文件：读取时发生系统错误，请检查文件是否仍在原处、所在磁盘或网络位置是否可用",
    "not_zip": "无法读取文件：内容不是 Excel 工作簿（.xlsx），可能是其他类型的文件改了扩展名，请在 Excel 或 WPS 中打开后另存为 .xlsx",
    "markup": "无法读取文件：内容是网页或 XML 格式的表格（常见于业务系统导出的文件），不是真正的 .xlsx，请在 Excel 或 WPS 中打开后另存为 .xlsx",
    "old_excel": "无法读取文件：这是旧版 Excel（.xls）格式的文件，只是扩展名为 .xlsx，请在 Excel 或 WPS 中另存为 .xlsx",
    "encrypted": "无法读取文件：工作簿设有打开密码（已加密），请取消密码后另存为 .xlsx 再提交",
    "damaged_zip": "无法读取文件：文件不完整或已损坏（可能下载、复制或保存未完成），请重新保存或重新发送",
    "zip_not_xlsx": "无法读取文件：这是压缩包或其他办公文档（如 Word、PowerPoint），不是 Excel 工作簿",
    "damaged_content": "无法读取文件：工作簿内部内容已损坏，请在 Excel 或 WPS 中打开（必要时用“打开并修复”）后另存为 .xlsx",
    "xml_forbidden": "无法读取文件：工作簿含有不允许的 XML 实体定义，为安全起见拒绝读取，请在 Excel 或 WPS 中另存为 .xlsx 后重新提交",
    "csv_malformed": "无法读取文件：CSV 格式有误（如某个单元格内容过长或引号不成对），请在 Excel 或 WPS 中打开后另存",
    "folder_named_like_file": "这是文件夹，不是表格文件，文件夹中也没有 .xlsx 或 .csv 文件",
    "percent_fractions": "“{column}”列填写的数值均不大于1（最大为{largest}），是否按小数填写了百分比（如以0.85表示85%）？本列按百分数读取，{largest}即{largest}%，未作换算；如填的是小数，请改为百分数（如85或85%）后重新提交",
    "empty_folder": "文件夹中没有 .xlsx 或 .csv 文件",
    "unknown_columns": "以下列不在申报表规范中，已忽略：{columns}",
    "blank_rows": "空行或模板示例行{count}行，已忽略",
    # Intake limits (models/settings.yaml, workbench.intake.limits).
    "too_many_rows": "行数超过上限：每个文件至多{limit}行（含标题、表头和空行），读到第{row}行时已超出，整个文件未受理；请删除多余的行（包括表格下方零散的内容）或拆分文件后重新提交",
    "too_many_rows_total": "本次读取的各文件合计超过{limit}行的上限（之前的文件已读取{before}行，本文件读到第{row}行时超出），整个文件未受理；请分批提交",
    "too_many_rows_in_sheet": "行数超过上限：每个文件至多{limit}行（含标题、表头和空行），本文件至少有{count}行，整个文件未受理；请删除多余的行（包括表格下方零散的内容）或拆分文件后重新提交",
    "too_many_columns": "第{row}行的{column}列有内容，超过每行至多{limit}列的上限，整个文件未受理；请删除表格右侧多余的内容后重新提交",
    "line_too_long": "第{line}行有{length}个字符，超过一行至多{limit}个字符的上限（可能缺少换行或引号不成对），整个文件未受理",
    "too_many_sheets": "工作簿有{count}个工作表，超过上限{limit}个，整个文件未受理；请拆分为多个工作簿后重新提交",
    "too_many_parts": "工作簿内部部件超过{limit}个（正常的工作簿只有几十个），可能已损坏或是恶意构造的文件，为安全起见未读取",
    "part_too_large": "工作簿内部的“{part}”解压后有{size}，超过上限{limit}（内容被异常放大，可能已损坏或是恶意构造的文件），为安全起见未读取",
    "unpacked_too_large": "工作簿解压后共{size}，超过上限{limit}，为安全起见未读取；请删除多余的内容或拆分为多个工作簿后重新提交",
    "too_many_strings": "工作簿中不同的文字内容超过{limit}条的上限，为安全起见未读取；请删除多余的内容或拆分为多个工作簿后重新提交",
    "too_many_formats": "工作簿中的单元格格式超过{limit}种（Excel 的上限），可能已损坏或是恶意构造的文件，为安全起见未读取；请在 Excel 或 WPS 中清除多余格式后另存",
    "settings_not_found": "找不到设置文件（工作台自带 models/settings.yaml，或由环境变量 WORKBENCH_SETTINGS 指定）",
    "settings_yaml": "设置文件不是有效的 YAML：{error}",
    "settings_invalid": "设置文件有误：{errors}",
}

OS_ERROR_MESSAGES: dict[str, str] = {
    "not_found": "文件或文件夹不存在",
    "permission": "没有访问权限",
    "is_directory": "这是文件夹，不是文件",
    "not_directory": "路径中有一段不是文件夹",
    "exists": "文件已存在",
    "os_error": "无法访问（系统错误码 {errno}）",
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
    "similarity_bar": "相似度阈值应为0至100之间的下限（以上、不少于或超过），实为{value}{relation}",
    "yaml": "政策包“{path}”不是有效的 YAML：{error}",
}

YAML_MESSAGES: dict[str, str] = {
    "at": "第{line}行第{column}列附近格式有误（检查冒号、缩进、括号和引号是否成对）",
    "somewhere": "格式有误（检查冒号、缩进、括号和引号是否成对）",
    "encoding": "不是 UTF-8 编码的文本",
}

# Pydantic's error types in Chinese (packs, scenarios, scoring models); ``{input}`` and the
# error's context (gt, ge, lt, le, expected, min_length, max_length) may be used.
VALIDATION_MESSAGES: dict[str, str] = {
    "decimal_parsing": "“{input}”不是数字",
    "decimal_type": "“{input}”不是数字",
    "float_parsing": "“{input}”不是数字",
    "float_type": "“{input}”不是数字",
    "int_parsing": "“{input}”不是整数",
    "int_type": "“{input}”不是整数",
    "int_from_float": "“{input}”不是整数",
    "bool_parsing": "“{input}”应为 true 或 false",
    "bool_type": "“{input}”应为 true 或 false",
    "string_type": "“{input}”应为文字",
    "finite_number": "“{input}”应为有限的数",
    "dict_type": "应为键值表",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "model_type": "应为键值表",
    "model_attributes_type": "应为键值表",
    "literal_error": "取值“{input}”无效（可选：{expected}）",
    "enum": "取值“{input}”无效（可选：{expected}）",
    "greater_than": "{input}应大于{gt}",
    "greater_than_equal": "{input}应不小于{ge}",
    "less_than": "{input}应小于{lt}",
    "less_than_equal": "{input}应不大于{le}",
    "string_too_short": "“{input}”过短（至少{min_length}个字符）",
    "string_too_long": "“{input}”过长（至多{max_length}个字符）",
    "too_short": "至少应有{min_length}项",
    "too_long": "至多{max_length}项",
    "date_parsing": "“{input}”不是日期（如 2027-01-01）",
    "date_from_datetime_parsing": "“{input}”不是日期（如 2027-01-01）",
    "date_type": "“{input}”不是日期（如 2027-01-01）",
    "decimal_max_digits": "“{input}”位数过多",
    "decimal_max_places": "“{input}”小数位过多",
    "other": "取值“{input}”无效",
}

SCENARIO_MESSAGES: dict[str, str] = {
    "not_found": "找不到情景文件：{name}",
    "invalid": "情景文件“{path}”有误：{errors}",
    "yaml": "情景文件“{path}”不是有效的 YAML：{error}",
    "envelope_without_bound": "分类资金额度须至少给出 min_amount、max_amount、min_share、max_share 之一",
    "negative_ceiling": "资金渠道“{pool}”{year}年度上限为负数",
    "year_outside_horizon": "资金渠道“{pool}”的{year}年度不在计划期{first}—{last}年内",
    "in_and_out": "项目同时被强制纳入和强制排除：{ids}",
    "unknown_projects": "情景“{path}”中的项目编号不在申报项目中（{items}）",
    "inherit_cycle": "情景继承关系成环：{chain}",
    "bad_scale": "ceiling_scale 应为大于0的数，ceilings 的各年度上限应为数字",
    "bare_name": "未指定情景",
    "variant_description": "在“{base}”基础上：{description}",
}

PLAN_STATUS_LABELS: dict[str, str] = {
    "selected": "拟安排",
    "forced_in": "强制纳入",
    "excluded": "不予安排",
    "not_selected": "未安排",
}

SOLVE_STATUS_LABELS: dict[str, str] = {
    "optimal": "最优（已证明）",
    "time_limit": "达到求解时限，未证明最优",
    "infeasible": "无可行方案",
    "error": "求解失败",
}

PLAN_REASONS: dict[str, str] = {
    "selected": "按优先级入选：得分{value}，每万元价值{per_wan}（{pool}入选项目最低{cut}）",
    "forced_mandated": "上级明确要求或紧急增补，强制纳入",
    "forced_existing_om": "在运行系统续运维，保障运维服务不中断，强制纳入",
    "forced_user": "情景指定强制纳入：{reason}",
    "forced_out": "情景指定强制排除：{reason}",
    "excluded": "{message}",
    "excluded_more": "{message}（另有{count}条不予安排的审核发现）",
    "override": "原则上不予安排的审核发现已由情景写明理由放行：{reason}",
    "override_note": "（{article}{message}）",
    "budget": "资金不足未安排：得分{value}，每万元价值{per_wan}，低于{pool}入选项目最低每万元价值{cut}；{short}",
    "budget_too_big": "资金不足未安排：得分{value}，每万元价值{per_wan}，不低于{pool}入选项目最低每万元价值{cut}，但所需资金超过上限余额；{short}",
    "budget_no_line": "资金不足未安排：得分{value}，每万元价值{per_wan}，{pool}没有入选项目；{short}",
    "budget_short": "{pool}{year}年度需{need}万元，上限余额{slack}万元，差{gap}万元",
    "budget_later": "推迟一年启动亦不能安排：{short}",
    "dependency": "所依赖的项目{required}未安排",
    "dependency_excluded": "所依赖的项目{required}不予安排",
    "domain": "同一业务领域“{domain}”已安排{other}（一领域一平台）",
    "system_count": "新增系统{new}个、整合下线{retired}个，受政务信息系统数量只减不增约束未安排",
    "envelope": "受分类资金额度约束未安排：纳入后不能满足“{envelope}”",
    "unit_cap": "受单位资金上限约束未安排",
    "no_gain": "得分为零，纳入不增加计划价值，未安排",
    "deferred": "三年滚动安排：推迟至{year}年度启动（得分{value}，推迟启动按{factor}计价），本年度不安排资金",
    "infeasible": "方案不可行，未作安排（见诊断）",
    "solver_failed": "求解未完成，未作安排（原因见诊断）",
    "unknown_dependency": "所依赖的项目{required}不在本次申报中，按已有项目处理",
    "forced_but_excluded": "（属强制纳入情形，但有不予安排的审核发现，未强制纳入）",
    # A running system's continuing O&M kept out by a rule, when the policy layer gave no
    # 运维中断风险 finding to quote (第二十五条).
    "om_interruption": "在运行系统的续运维因{blocking}不能纳入计划，存在运维中断风险（{om_article}要求避免服务中断）：{messages}；须{action}",
    "om_interruption_action": "消除{blocking}的不予安排审核发现",
}

DIAGNOSIS: dict[str, str] = {
    "intro": "无可行方案。以下约束不能同时满足：",
    # A long list in a diagnosis: the first few, then how many in all (the project table has all).
    "and_more": "{shown}等共{count}项（完整名单见项目表）",
    "ceiling_forced": "强制纳入项目在{pool}{year}年度合计{forced}万元（{ids}），超过该年度上限{ceiling}万元",
    "ceiling": "{pool}{year}年度上限{ceiling}万元",
    "carried": "{pool}{year}年度上限{ceiling}万元中已有以前年度结转和运维合同承诺{carried}万元，可用于新项目的仅{net}万元",
    "force_in": "强制纳入项目：{ids}",
    "exclusion": "以下项目有不予安排的审核发现：{items}",
    "force_out": "情景强制排除：{ids}",
    "dependency_excluded": "强制纳入的{dependent}依赖{required}，但{required}{why}",
    "dependencies": "项目依赖关系：{items}",
    "one_domain": "一领域一平台：{items}",
    "system_count": "强制纳入项目新增系统{new}个、整合下线{retired}个，净增{net}个，违反政务信息系统数量只减不增（第三条）",
    "system_count_plain": "政务信息系统数量只减不增（第三条）",
    "envelope": "分类资金额度：{name}",
    "unit_cap": "{unit}资金上限{cap}万元",
    "not_solved": "在求解时限内未找到可行方案（{solver}），请放宽时限后重试",
    "solver_missing": "求解器“{solver}”不可用",
    "solver_failed": "求解器{solver}运行出错，未能得出方案，所有项目暂未安排；请核对申报金额和情景设置后重试",
    "out_of_range": "以下项目的金额超出求解器可处理的范围（须小于{limit}万元），请核对是否误填：{items}",
    "conflict_unknown": "无可行方案；求解器运行出错，未能确定是哪些约束相互冲突",
    "why_selected": "{pid}已在计划中，无需强制纳入",
    "why_excluded": "{pid}不予安排（{article}），强制纳入须先消除该审核发现或在情景中写明理由放行",
    "why": "强制纳入{pid}（{amount}万元）将调出{displaced}，计划总价值由{before}降为{after}（损失{loss}）",
    "why_none": "强制纳入{pid}（{amount}万元）无需调出其他项目，计划总价值由{before}升为{after}",
    "why_infeasible": "强制纳入{pid}后无可行方案：{diagnosis}",
    "why_excluded_short": "不予安排",
    "why_forced_out": "被强制排除",
    "all_pools": "全部资金渠道",
    "pool_year": "{pool}{year}年度",
    "at_least": "{category}不少于{amount}万元",
    "at_most": "{category}不超过{amount}万元",
    "share_at_least": "{category}占比不少于{share:.0%}",
    "share_at_most": "{category}占比不超过{share:.0%}",
    "om_interruption": "{count}项在运行系统的续运维被排除，存在运维中断风险（{article}要求避免服务中断）：{items}。",
    "om_interruption_item": "{pid}（{unit}，{amount}万元）须{action}",
}

PLAN_TEXT: dict[str, str] = {
    "title": "{year}年度政务信息化项目计划（草案）—情景“{scenario}”",
    "status": "求解状态：{status}；计划总价值{objective}；求解器{solver} {version}（建模{build}秒，求解{solve}秒，间隙{gap}）",
    "counts": "项目{total}个：拟安排{selected}个，强制纳入{forced}个，不予安排{excluded}个，未安排{not_selected}个",
    "pool_row": "  {pool}：{cells}",
    "pool_year_cell": "{year}年 {amount}/{ceiling}{binding}",
    "unlimited": "未设上限",
    "binding": "*",
    "pools_header": "资金渠道与年度（安排/上限，万元；*表示上限起约束作用，即余额容不下任何候选项目）：",
    "table_header": "项目编号 | 申报单位 | 项目名称 | 状态 | 本年度资金(万元) | 原因",
    "diagnosis": "诊断：{text}",
    "overrides": "放行记录（原则上不予安排，情景写明理由）：",
    "why": "强制纳入分析：{text}",
    "written": "已写出：{paths}",
    "unknown_project": "项目编号“{pid}”不在申报项目中",
    "scoring_note": "评分说明：{note}",
    "risk_header": "风险模拟（{draws}次，种子{seed}；成本在{article}{bound:.0%}内自行调整、少数超出，进度可能推迟一年，后续年度上限有波动）：P50/P90支出/上限，超上限概率",
    "risk_cell": "{year}年 {p50}/{p90}/{ceiling}，{p}",
    "commitments_header": "多年度资金需求（建设/运维/已有承诺→合计/上限，万元；!表示超过上限或财力）：",
    "commitment_cell": "{year}年 {construction}/{om}/{carried}→{total}/{ceiling}{over}",
    "over": "!",
}

PLAN_COLUMNS: dict[str, str] = {
    "project_id": "项目编号",
    "name": "项目名称",
    "unit": "申报单位",
    "level": "层级",
    "funding_pool": "资金渠道",
    "category_effective": "管理类别",
    "status": "安排结果",
    "reason": "原因",
    "article": "依据条款",
    "value": "优先级得分",
    "amount": "本年度资金(万元)",
    "value_per_wan": "每万元价值",
    "forced": "强制纳入情形",
    "override": "放行理由",
    "pool": "资金渠道",
    "year": "年度",
    "ceiling": "年度上限(万元)",
    "slack": "余额(万元)",
    "projects": "项目数",
    "kind": "资金性质",
    "carried": "已有承诺(万元)",
    "construction": "建设资金(万元)",
    "om": "运维资金(万元)",
    "total": "合计(万元)",
    "capacity": "财力预测(万元)",
    "headroom": "上限余额(万元)",
    "over_ceiling": "超过上限",
    "over_capacity": "超过财力",
    "om_interruption": "运维中断风险",
}

COMPARE_TEXT: dict[str, str] = {
    "title": "情景对比（{count}个情景，计划年度{year}）",
    "summary_header": "情景 | 求解状态 | 计划总价值 | 安排项目 | 其中强制纳入 | 未安排 | 其中推迟至下年启动 | 不予安排 | 本年度资金(万元)",
    "differences": "安排结果不同的项目（{count}个）：",
    "no_differences": "各情景安排的项目相同",
    "difference_row": "  {pid} {unit} {name}：{cells}",
    "difference_cell": "{scenario}{status}",
    "by_category": "分类别本年度资金（万元）：",
    "commitments": "多年度资金需求（万元；建设=建设类、采购服务类项目资金，运维=运维服务类项目、质保期后运维及续运维）：",
    "category": "类别",
    "year": "年度",
    "kind": "性质",
    "kind_construction": "建设",
    "kind_om": "运维",
    "diagnosis": "  {scenario}：{diagnosis}",
    "sheet_summary": "情景汇总",
    "sheet_differences": "项目差异",
    "sheet_units": "分单位",
    "sheet_categories": "分类别",
    "sheet_commitments": "多年度资金需求",
    "written": "已写出：{path}",
}

CHART_LABELS: dict[str, str] = {
    "by_category_title": "{year}年度拟安排资金：按类别和资金渠道",
    "by_category_y": "万元",
    "top_units_title": "{year}年度拟安排资金前{n}位单位",
    "top_units_x": "万元",
    "commitments_title": "多年度资金需求（{pool}）",
    "commitments_y": "万元",
    "construction": "建设",
    "om": "运维",
    "carried": "已有承诺",
    "ceiling": "年度上限",
    "frontier_title": "效益-资金前沿（{pool}{year}年度）",
    "frontier_x": "年度资金上限（万元）",
    "frontier_y": "计划总价值",
    "frontier_chosen": "本方案",
    "fan_title": "资金需求风险（{pool}，P50—P90）",
    "fan_p50": "P50",
    "fan_p90": "P90",
    "fan_band": "P50—P90区间",
    "year_axis": "年度",
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
    "compare_years": "对比的情景须为同一计划年度（实为：{years}）",
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
    "pipeline_out": "输出",
    "pipeline_step": "已运行 {name}（{seconds:.1f}秒）",
    "pipeline_written": "执行后的笔记本在 {out}/notebooks，材料在 {out}：{files}",
    "pipeline_failed": "笔记本“{name}”运行出错（执行到出错处的笔记本已留在 {path}）：{error}",
    "compare_needs_scenarios": "对比本次申报的情景须用 --scenario 指定（内置情景只适用于样例数据），可先用 {command} 生成情景骨架",
    "one_folder": "只能指定一个申报文件夹（实为：{items}）",
    "internal_error": "工作台在{doing}时内部出错，未能完成。请将日志文件 {log} 发给维护人员；加 --debug 可显示详细信息",
    "no_log": "（日志未能写出）",
    "interrupted": "已中断",
}

# What a command was doing when it failed, by the workbench package its innermost frame was in.
STAGES: dict[str, str] = {
    "command": "执行命令",
    "intake": "读取申报文件",
    "policy": "按政策审核",
    "scoring": "评分",
    "planner": "编制计划",
    "simulate": "模拟多年度资金和风险",
    "report": "写出材料",
    "pipeline": "运行分析笔记本",
    "apps": "启动应用",
    "compare": "对比情景",
    "scenario": "读取情景",
    "register": "操作项目库",
}

CLI_HELP: dict[str, str] = {
    "debug": "出错时显示详细的调试信息（供维护人员使用）",
    "year": "计划年度；样例默认2027，否则为下一年（旧写法 --plan-year）",
    "inputs": "申报文件或文件夹（xlsx/csv，可多个），不填则用内置样例",
    "inputs_alias": "同位置参数“输入”（旧写法）",
    "folder": "申报文件夹（申报表、已建系统登记表、使用情况、已有承诺），不填则用内置样例",
    "systems": "已建系统登记表",
    "usage": "系统月度使用情况",
    "reference_date": "时间窗口的基准日（YYYY-MM-DD），默认为计划年度1月1日",
    "bad_date": "“{text}”不是 YYYY-MM-DD 格式的日期",
    "format": "输出格式：text（文字，默认）或 json",
    "commitments": "已有资金承诺（以前年度计划结转、在运行系统运维合同），先从上限中扣除",
    "scores": "市数据局审定的评分表（按项目编号：专家评分、审定优先级得分），申报表中的优先级得分不替代评分",
    "cmd_template": "生成申报模板（Excel）",
    "cmd_check": "受理申报并按政策审核",
    "cmd_plan": "编制年度计划草案",
    "cmd_compare": "多个情景的计划对比",
    "cmd_pipeline": "按顺序运行分析笔记本（01申报受理至07汇报材料），留下执行后的笔记本和材料",
    "cmd_app": "启动 Voilà 应用（情景推演、申报自查、计划汇报），仅本机访问",
    "cmd_scenario": "情景文件：scenario init 根据申报数据生成情景骨架",
    "cmd_scenario_init": "根据申报数据生成情景骨架（各资金渠道、年度及申报需求，上限待填）",
    "template_out": "输出文件，默认 申报模板.xlsx",
    "policy": "政策包（id 或 YAML 路径），默认 ordos-2025",
    "plan_policy": "政策包，默认取情景中的设置",
    "scenario": "情景（名称或 YAML 路径）；样例默认 base，本次申报须指定自己的情景（scenario init 生成）",
    "ceiling": "市本级计划年度资金上限（万元，可写 12000、12000万元、1.2亿元），覆盖情景中的值",
    "solver": "求解器，默认取情景中的设置（highs）",
    "time_limit": "求解时限（秒）；达到时限的方案注明未证明最优及间隙",
    "why": "分析强制纳入某项目将调出哪些项目",
    "plan_out": "输出目录：写出计划清单（CSV）、计划草案工作簿（xlsx）、汇报材料（HTML，有Chromium时另出PDF）",
    "internal": "输出内部版：列示涉密项目的名称和内容（默认分发版隐去，内部版不得外发）",
    "plan_compare": "与这些情景对比，写入工作簿和汇报材料的“情景对比”（不填：样例为其余内置情景，本次申报为在本情景上压减20%%等变体）",
    "no_pdf": "不生成PDF",
    "risk": "蒙特卡洛风险模拟（默认10000次）：各资金渠道各年度P50/P90支出及超上限概率",
    "seed": "随机种子，默认0",
    "compare_scenarios": "要对比的情景（名称或 YAML 路径，可多个）；样例默认 base cut20 om_first data_sharing rolling3（旧写法 --scenarios）",
    "compare_out": "输出目录：写出情景对比（xlsx）",
    "compare_internal": "输出内部版：列示涉密项目名称（默认隐去）",
    "pipeline_out": "输出文件夹，默认 输出/<计划年度>",
    "app_target": "应用名称 explorer（情景推演，默认）、checker（申报自查）、dashboard（计划汇报），中文名亦可；其后可跟申报文件夹",
    "port": "端口，默认自动选择空闲端口",
    "cull_idle": "页面关闭后内核空闲多少秒即关闭（默认600）",
    "host": "监听地址，默认127.0.0.1（仅本机）；其他地址（如0.0.0.0）供内网访问，凭打印地址中的令牌打开",
    "app_internal": "内部版：应用列示涉密项目的名称和内容（默认隐去，同分发版）",
    "skeleton_out": "写出的情景文件（YAML），如 情景.yaml",
    "horizon": "计划期年数，默认3",
    "force": "覆盖已有的情景文件",
}

COVERAGE_MESSAGES: dict[str, str] = {
    "sample_scenario": (
        "情景“{name}”是内置合成样例的情景，其资金渠道和上限只适用于样例数据，不能用于编制本次申报的计划。"
        "请先用 {command} 生成本次申报的情景骨架，填写各资金渠道各年度的上限后，以 --scenario 指定"
    ),
    "uncovered": (
        "情景“{name}”没有给出以下资金渠道和年度的资金上限，无法编制计划：{items}。"
        "请用 {command} 生成本次申报的情景骨架（列出全部资金渠道、年度及申报需求），填写上限后以 --scenario 指定；"
        "只有市本级项目时也可用 --ceiling 指定市本级计划年度上限"
    ),
    "item": "{pool}{year}年度（申报需求{amount}万元，{projects}个项目）",
    "init_command": "workbench scenario init {inputs} --out 情景.yaml",
}

SKELETON_LABELS: dict[str, str] = {
    "written": "已生成情景骨架：{path}。请填写各资金渠道各年度的资金上限（万元）后，用 --scenario {path} 编制计划",
    "exists": "情景文件“{path}”已存在，未覆盖；如需覆盖请加 --force",
    "input": "{name}（SHA-256 {sha}…）",
    "name": "本次申报情景",
    "description": "根据{year}年度申报数据生成的情景骨架，资金上限由市数据局、市财政局填写",
    "header": (
        "# 情景骨架：由 workbench scenario init 根据申报数据生成（{time}）。\n"
        "# 输入：{inputs}\n"
        "# 请为下面每个资金渠道、每个年度填写资金上限（万元），如 `{first_year}: 12000`。\n"
        "# 留空（null）的年度视为未给出上限：工作台不会替你设定上限，会拒绝编制计划并列出这些渠道和年度。\n"
        "# 注释中是申报需求（按建设周期分年，计入质保期满后的运维费用），供填写时参考。"
    ),
    "pool_comment": "{pool}：{count}个申报项目",
    "year_comment": "申报需求{amount}万元（建设{construction}，运维{om}）",
    "year_none": "无申报需求",
    "envelopes": (
        "# 分类资金额度（可选）。内置样例的基准情景用过的示例，按需取消注释并修改：\n"
        "# envelopes:\n"
        "#   - {category: 运维服务类, pool: 市本级, min_share: 0.10}   # 市本级运维服务类不少于10%\n"
        "# unit_caps:              # 单位计划年度上限（万元），可选\n"
        "#   某某局: 500"
    ),
    "solver": "# 求解器：highs（默认），或 cbc；time_limit 为求解时限（秒，可选）",
    "om": "# 运维假设：计入质保期满后的运维费用；项目未填质保期时按12个月",
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
    "col_aliases": "可识别的同义写法",
    "alias_item": "{alias}→{canonical}",
    "example_note": "填写示例见本表下方的“填写示例”，仅供参考；“申报表”中只填写实际申报的项目",
    "example_title": "填写示例（仅供参考，不是申报数据；请在“申报表”工作表第3行起逐行填写）",
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

# Scoring (workbench.scoring): what the model loader, the score explanations and the notes say.
# Criterion names and descriptions live in the scoring model (models/scoring/*.yaml).
SCORING_LABELS: dict[str, str] = {
    "not_found": "找不到评分模型：{name}",
    "yaml": "评分模型“{path}”不是有效的 YAML：{error}",
    "invalid": "评分模型“{path}”有误：{errors}",
    "bad_choice": "取值“{value}”无效（可选：{allowed}）",
    "not_number": "“{value}”不是数字",
    "not_text": "应为文本",
    "not_list": "应为列表",
    "not_mapping": "应为键值表",
    "too_short": "至少应有{min}项",
    "at_least": "{value}应不小于{bound}",
    "at_most": "{value}应不大于{bound}",
    "above": "{value}应大于{bound}",
    "bad_key": "评分项键“{value}”应由小写英文字母、数字和下划线组成，且以字母开头",
    "duplicate_key": "评分项键“{value}”重复",
    "weights_zero": "各评分项权重之和应大于0",
    "score_range": "分值{value}应在0–100之间",
    "bad_missing": "取值“{value}”无效（应为 redistribute 或 0–100 之间的中性分值）",
    "term_selector": "每个计分项须且只能填写 area、flag、count 之一（实际填写：{given}）",
    "unknown_area": "“{value}”不是第六条重点支持领域（可选：{allowed}）",
    "not_flag_column": "“{value}”不是申报表的是/否列（可选：{allowed}）",
    "not_count_column": "“{value}”不是申报表的整数列（可选：{allowed}）",
    "not_map_column": "“{value}”不是申报表中可逐值计分的列（可选：{allowed}）",
    "not_allowed_answer": "“{value}”不是“{header}”的可选值（可选：{allowed}）",
    "ahp_keys": "ahp.criteria 应与评分项一一对应：缺少{missing}，多出{extra}",
    "ahp_duplicate": "ahp.criteria 中“{value}”重复",
    "unknown_criteria": "评分模型“{model}”中没有这些评分项：{keys}",
    "ahp_too_many": "层次分析法的随机一致性指标表只到{max}阶，评分项为{n}个",
    "ahp_one_form": "ahp 须填写 matrix（完整判断矩阵）或 upper（上三角）之一",
    "ahp_square": "判断矩阵应为{n}×{n}的方阵（{n}个评分项），实为{rows}行，各行列数{cols}",
    "ahp_upper_shape": "上三角应有{rows}行，第1行{first}个数、逐行减1，实为各行{cols}个数",
    "ahp_judgement": "“{value}”不是正数或分数（如 3、1/3）",
    "ahp_scale": "第{row}行第{col}列的判断值{value}不在 Saaty 1–9 标度内（1/9 至 9）",
    "ahp_diagonal": "第{row}行第{row}列应为1，实为{value}",
    "ahp_reciprocal": "第{row}行第{col}列（{a}）与第{col}行第{row}列（{b}）不互为倒数",
    "cr_warning": (
        "层次分析法判断矩阵的一致性比率 CR = {cr:.3f}，超过 {limit:g}，两两比较判断不够一致，"
        "据此得出的权重仅供参考，请复核判断矩阵"
    ),
    "duplicate_project": "项目编号“{value}”重复，无法评分",
    # The bureau's scores table (workbench.scoring.bureau): rows not used.
    "bureau_table": "审定评分表",
    "bureau_row_empty": "“{expert}”和“{approved}”均未填写，该行没有可采用的评分",
    "bureau_unknown_project": "项目编号“{value}”不在本次受理的申报项目中，该行评分未采用",
    # Notes on a whole scoring run.
    "approved_some": (
        "{count}个项目采用审定评分表（{files}）中的“{header}”作为项目价值，不按评分模型计算"
        "（评分模型的计算值一并列示）"
    ),
    "bureau_unknown_ids": "审定评分表中{count}个项目编号不在申报项目中，未采用：{ids}",
    "bureau_rejected": "审定评分表（{files}）有{count}行未采用，原因见未受理行清单",
    "self_assessed_note": (
        "{count}个项目的申报表填写了“{header}”：这是申报单位的自评，仅作列示，不作为项目价值；"
        "项目价值按评分模型计算，或以审定评分表的审定优先级得分为准"
    ),
    "submitted_experts": (
        "{count}个项目的申报表填写了专家评分列：申报单位不为本单位项目评分，这些值不计入评分；"
        "专家评分以审定评分表为准"
    ),
    "no_registry": "未提供已建系统登记表，“{name}”一项{treatment}",
    "no_experts": (
        "未提供审定评分表（专家评分以审定评分表为准，不取自申报表），“{name}”一项{treatment}"
    ),
    "no_experts_in_table": "审定评分表（{files}）未填写专家评分，“{name}”一项{treatment}",
    "missing_fixed": "按中性值{value:g}分计",
    "missing_redistribute": "不参与评分，其权重按比例分配给其他评分项",
    # One project's explanation (raw value of a criterion).
    "base": "基础分{points:g}",
    "area_term": "重点支持领域含“{area}”{points:+g}",
    "flag_term": "{header}为“是”{points:+g}",
    "count_term": "{header}{count}个×{points:g}={total:+g}",
    "no_term": "未命中计分项",
    "clipped": "（合计{total:g}，限定在0–100分）",
    "answer": "{header}：{value}",
    "blank": "未填写",
    "track_record": "{unit}已建系统绩效评价：{counts}",
    "track_record_count": "{value}{count}个",
    "track_record_none": "{unit}无已评价的已建系统，{treatment}",
    "track_record_no_registry": "未提供已建系统登记表，{treatment}",
    "experts": "专家评分{score:g}（{where}）",
    "experts_none": "审定评分表中无该项目的专家评分，{treatment}",
    "experts_no_table": "未提供审定评分表，无专家评分，{treatment}",
    "approved_raw": "{where}：{header}{value:g}分（评分模型计算为{computed:.2f}分）",
    "approved_note": "；说明：{note}",
    "self_assessed": "申报单位自评优先级得分",
    "self_assessed_raw": "申报表“{header}”填写{value:g}分：申报单位自评，仅作列示，不计入项目价值",
    # Column headers of an explanation and of the score table.
    "criterion": "评分项代码",
    "name": "评分项",
    "article": "依据条款",
    "raw": "原始情况",
    "value": "标准化得分",
    "weight": "权重",
    "contribution": "得分贡献",
    "score": "优先级得分",
    "source": "得分来源",
    "rank": "排序",
    "computed": "评分模型得分",
    "self_assessed_column": "单位自评得分（仅供参考）",
    "source_model": "评分模型",
    "source_ahp": "评分模型（层次分析法权重）",
    "source_bureau": "审定评分表",
}

# The draft-plan document (workbench.report.document): its title, sheets and headings, the same in
# the Excel workbook, the HTML report and the PDF.
REPORT_LABELS: dict[str, str] = {
    "title": "鄂尔多斯市{year}年度市本级政务信息化项目计划（草案）",
    "title_with_districts": "（附旗区、园区项目审核安排情况）",
    "subtitle": "情景：{scenario}　　金额单位：万元　　编制：{drafted}",
    "edition_distribution": "分发版（涉密项目已隐去名称和内容，共{count}个）",
    "edition_distribution_none": "分发版",
    "edition_internal": "内部版（含涉密项目全部信息，不得外发）",
    "redacted_name": "【涉密项目】",
    "redacted_text": "【涉密内容不列示】",
    "unit_note": "金额单位：万元",
    "total": "合计",
    "total_count": "合计（{count}项）",
    "page_footer": "第 &P 页，共 &N 页",
    "generated_by": "由{product}（{version}）生成",
    # Sheets, in order; each is a section of the HTML report with the same heading.
    "sheet_summary": "计划汇总",
    "sheet_selected": "拟安排项目清单",
    "sheet_unselected": "未安排项目及原因",
    "sheet_units": "分单位汇总",
    "sheet_categories": "分类别汇总",
    "sheet_commitments": "多年度资金需求",
    "sheet_comparison": "情景对比",
    "sheet_findings": "审核发现",
    "sheet_provenance": "参数与来源",
    "contents": "目录",
    # Blocks within sheets.
    "block_headline": "主要指标",
    "block_pools": "分资金渠道、分年度安排（{year}—{last}年度）",
    "pool_planned": "{year}年安排",
    "pool_carried": "{year}年已有承诺",
    "pool_ceiling": "{year}年上限",
    "block_levels": "分层级安排（{year}年度）",
    "block_commitments": "分资金渠道、分年度资金需求",
    "block_commitments_total": "各资金渠道合计",
    "block_risk": "资金需求风险（蒙特卡洛模拟{draws}次，种子{seed}）",
    "block_frontier": "效益-资金前沿（{pool}{year}年度）",
    "block_comparison_summary": "情景汇总",
    "block_comparison_differences": "安排结果不同的项目",
    "block_comparison_categories": "分类别本年度资金（万元）",
    "block_parameters": "参数",
    "block_inputs": "输入文件",
    "block_weights": "评分权重",
    # Headline figures (计划汇总).
    "key": "项目",
    "value": "内容",
    "plan_year": "计划年度",
    "scenario": "情景",
    "candidates": "申报项目数",
    "selected": "拟安排项目数",
    "forced_in": "其中强制纳入",
    "amount": "拟安排本年度资金（万元）",
    "out_years": "拟安排项目后续年度资金（万元）",
    "excluded": "不予安排项目数",
    "not_selected": "因资金未安排项目数",
    "deferred": "其中推迟至下年度启动",
    "status": "求解状态",
    "diagnosis": "诊断",
    "edition": "版本",
    # Columns not in PLAN_COLUMNS.
    "seq": "序号",
    "route": "审批方式",
    "supervision": "工程监理",
    "months": "建设周期（月）",
    "total_investment": "总投资（万元）",
    "request": "申请资金（万元）",
    "amount_col": "本年度资金（万元）",
    "later": "后续年度资金（万元）",
    "years": "资金安排年度",
    "classified": "是否涉密",
    "candidates_col": "申报项目数",
    "request_sum": "申请资金（万元）",
    "selected_col": "拟安排项目数",
    "selected_sum": "拟安排资金（万元）",
    "unselected_col": "未安排项目数",
    "rule": "审核规则",
    "severity": "性质",
    "finding": "审核发现",
    "p50": "P50（万元）",
    "p90": "P90（万元）",
    "p_exceed": "超上限概率",
    "frontier_ceiling": "年度资金上限（万元）",
    "frontier_value": "计划总价值",
    "frontier_projects": "安排项目数",
    "frontier_used": "使用资金（万元）",
    "frontier_entering": "新增安排项目",
    "frontier_leaving": "调出项目",
    "yes": "是",
    "no": "否",
    # 参数与来源.
    "param_document": "文件",
    "param_policy": "政策包",
    "param_policy_file": "政策包文件",
    "param_policy_sha": "政策包SHA-256",
    "param_scenario": "情景",
    "param_scenario_file": "情景文件",
    "param_reference_date": "时间窗口基准日",
    "param_horizon": "规划年度",
    "param_solver": "求解器",
    "param_solver_status": "求解状态",
    "param_gap": "最优间隙",
    "param_solve_seconds": "求解用时（秒）",
    "param_scoring": "评分模型",
    "param_scoring_source": "得分来源",
    "param_consistency": "层次分析法一致性比率CR",
    "param_version": "工作台版本",
    "param_generated": "生成时间",
    "param_edition": "版本",
    "input_table": "数据表",
    "input_file": "文件",
    "input_sha": "SHA-256",
    "input_bytes": "字节数",
    "weight_criterion": "评分项",
    "weight_value": "权重",
    "input_other": "其他数据表",
    # Figures in the HTML report.
    "figure": "图{n}　{title}",
    "no_chromium": "未找到 Chromium，未生成 PDF（可安装 chromium 后重试，或用浏览器打印 HTML）",
    "pdf_failed": "Chromium 未能生成 PDF：{error}",
    "written_document": "已写出：{paths}",
}

# Input folders (workbench.session.InputFiles.from_folder): a file whose name contains one of these
# words is that table; every other readable file is a submission (申报表).
INPUT_FILE_WORDS: dict[str, tuple[str, ...]] = {
    "systems": ("已建系统", "系统登记", "systems"),
    "usage": ("使用情况", "usage"),
    "commitments": ("已有承诺", "资金承诺", "commitments"),
}

# Tables the analyst notebooks show (workbench.session), beside PLAN_COLUMNS and REPORT_LABELS.
SESSION_LABELS: dict[str, str] = {
    "table": "数据表",
    "file": "文件",
    "sheet": "工作表",
    "read": "读取行数",
    "accepted": "受理",
    "rejected": "未受理",
    "blank": "空行及示例行",
    "row": "行",
    "column": "列",
    "reason": "原因",
    "rule": "审核规则",
    "article": "依据条款",
    "severity": "性质",
    "projects": "项目数",
    "findings": "审核发现数",
    "unit": "申报单位",
    "route": "审批方式",
    "category": "管理类别",
    "supervision": "需工程监理",
    "total": "合计",
    "no_input": "找不到输入文件夹：{path}",
    "no_submissions": "文件夹“{path}”中没有申报表（xlsx/csv）",
    "candidates": "申报项目",
    "systems": "已建系统登记表",
    "usage": "系统月度使用情况",
    "commitments": "已有资金承诺",
    "scores": "审定评分表",
    "ahp_weight": "层次分析法权重",
    "frequency": "入选比例",
    "verdict": "稳定性",
    "stable_in": "稳定入选",
    "stable_out": "稳定不入选",
    "hinges": "取决于权重和评分",
}

# The Voilà apps (workbench.apps): what their widgets and messages say.
APP_LABELS: dict[str, str] = {
    "explorer_title": "情景推演：鄂尔多斯市{year}年度政务信息化项目计划",
    "checker_title": "申报自查：{year}年度政务信息化项目申报表",
    "dashboard_title": "计划汇报：鄂尔多斯市{year}年度政务信息化项目计划（草案）",
    "scenario": "情景",
    "pool": "资金渠道",
    "ceiling_year": "{year}年上限（万元）",
    "weights": "评分权重",
    "toggles": "规则开关",
    "toggle_system_count": "政务信息系统数量只减不增（第三条）",
    "toggle_one_domain_one_platform": "同一领域一个平台（第三条）",
    "toggle_dependencies": "依赖项目须同时安排",
    "toggle_force_in_mandated": "上级要求项目强制纳入（第十一条）",
    "toggle_force_in_existing_om": "在运行系统续运维强制纳入（第二十五条）",
    "force": "强制纳入 / 强制排除",
    "project": "项目",
    "reason": "理由（写入审计记录）",
    "force_in": "强制纳入",
    "force_out": "强制排除",
    "clear": "清除",
    "reason_needed": "请先填写理由（至少2个字）",
    "forced_list": "{kind}：{pid}（{reason}）",
    "none_forced": "未指定强制纳入或排除的项目",
    "solving": "正在求解…",
    "solved": "已更新：{status}，用时{seconds:.2f}秒",
    "headline": "拟安排{selected}个项目（其中强制纳入{forced}个），本年度资金{amount}万元；不予安排{excluded}个，因资金未安排{not_selected}个；计划总价值{value}",
    "headline_infeasible": "无可行方案：{diagnosis}",
    "tab_plan": "项目安排",
    "tab_charts": "图表",
    "tab_frontier": "效益-资金前沿",
    "tab_diff": "与基准情景对比",
    "frontier_button": "计算效益-资金前沿",
    "frontier_note": "红点为当前方案（{pool}{year}年上限{ceiling}万元）",
    "diff_none": "与基准情景安排结果相同",
    "diff_base": "基准情景",
    "diff_current": "当前方案",
    "download": "生成计划草案工作簿",
    "download_link": "下载 {name}",
    "upload": "选择申报表（xlsx/csv，可多选）",
    "check_button": "开始自查",
    "too_large": "文件“{name}”{size}，超过{limit}的上限，未读取",
    "no_files": "请先选择申报表文件",
    "checked": "读取{read}行，受理{accepted}行，未受理{rejected}行",
    "rejected_header": "未受理的行（请修改后重新提交）",
    "findings_header": "审核发现（依据《鄂尔多斯市政务信息化项目管理办法》）",
    "none_rejected": "全部受理",
    "annotated": "下载标注后的自查结果",
    "annotated_file": "申报自查结果_{year}.xlsx",
    "no_registry": "自查不含已建系统登记表：第六条第（五）项（使用率不高）、第（七）项（未通过绩效评估）由市行政审批政务服务与数据管理局受理时审核",
    "annotated_sheet_rows": "未受理的行",
    "annotated_sheet_findings": "审核发现",
    "annotated_sheet_projects": "项目审核结论",
    "risk_header": "资金需求风险（蒙特卡洛{draws}次）",
    "unknown_app": "没有名为“{name}”的应用（可选：{choices}）",
    "not_started": "Voilà 未能在端口{port}上启动",
    "serving": "{title}已启动（仅本机访问，凭地址中的令牌打开；按 Ctrl-C 停止）：{url}",
    "serving_network": "{title}已启动（本机以外可访问，凭地址中的令牌打开；地址经 HTTP 明文传输，只在可信内网发给需要的人；按 Ctrl-C 停止）：{url}",
    "serving_internal": "内部版：应用列示涉密项目的名称和内容，不得外发",
    "host_needs_token": "在本机以外的地址（{host}）上提供服务须设访问令牌",
    "stopped": "已停止",
    "upload_limit": "一次上传的文件合计不超过{limit}",
    "upload_too_large": "文件“{name}”{size}，超过{limit}的上限，未上传",
    "upload_too_much": "所选文件合计{size}，超过一次{limit}的上限，未上传；请分批选择",
    "upload_dropped": "上传内容超过{limit}的上限，服务器已断开连接；请刷新页面，分批上传",
}

# The register's database (workbench.register: db, store, event_table, cli): where it is, why it
# cannot be opened, its schema version, the event table's rows, and what the `db` commands say.
DB_LABELS: dict[str, str] = {
    "default_file": "项目库.sqlite",
    "bad_url": "“{url}”不是可识别的数据库地址（应为 SQLite 文件路径，或 postgresql+psycopg://用户:密码@主机:端口/数据库名）",
    "unsupported": "不支持数据库类型“{backend}”（支持 SQLite 文件和 PostgreSQL：postgresql+psycopg://…）",
    "no_sqlite_path": "SQLite 项目库须给出文件路径",
    "cannot_open": "无法使用项目库 {where}：{reason}",
    "reason_unreachable": "无法连接数据库服务器（地址或端口有误，或服务器未启动）",
    "reason_auth": "数据库用户名或密码不正确，或该用户不允许登录",
    "reason_no_database": "服务器上没有这个数据库，请先由数据库管理员创建",
    "reason_cannot_open_file": "无法打开文件（所在文件夹不存在，或没有读写权限）",
    "reason_not_sqlite": "该文件不是 SQLite 数据库",
    "reason_corrupt": "数据库文件已损坏",
    "reason_busy": "项目库正由其他程序写入，等待{seconds}秒后仍未完成，请稍后重试",
    "reason_read_only": "项目库只读，无法写入（文件或所在文件夹没有写权限）",
    "reason_disk_full": "磁盘空间已满",
    "reason_permission": "数据库用户没有所需的权限",
    "reason_driver": "缺少连接该数据库所需的驱动程序",
    "missing_file": "项目库 {where} 不存在；请先运行 workbench db init 创建（或用 --db、环境变量 WORKBENCH_DB 指定已有的项目库）",
    "not_initialised": "数据库 {where} 尚未初始化为项目库，请先运行 workbench db init",
    "older": "项目库 {where} 的结构版本为{current}，低于本程序的{head}；请先运行 workbench db upgrade 升级（已有数据不受影响）",
    "newer": "项目库 {where} 的结构版本为{current}，由更新版本的工作台创建或升级，本程序（结构版本{head}）不能使用；请升级工作台",
    "already_initialised": "项目库 {where} 已经初始化（结构版本{current}），不再重复初始化；升级结构请运行 workbench db upgrade",
    "foreign_tables": "数据库 {where} 中已有其他数据表（{tables}），既不是空数据库也不是项目库，未初始化",
    "initialised": "已创建项目库：{where}（结构版本{head}）",
    "upgraded": "项目库 {where} 已从结构版本{before}升级到{after}",
    "up_to_date": "项目库 {where} 已是最新结构版本（{after}），无需升级",
    # The event table (workbench db events): columns beyond the intake contract's, row reasons.
    "col_event": "事件",
    "col_date": "日期",
    "amount_required": "事件“{event}”须填写金额(万元)",
    "amount_forbidden": "事件“{event}”不登记金额（填写了“{amount}”），请删除金额或核对事件",
    "amount_places": "金额{amount}万元超过6位小数（万元的第6位小数即1分），请核对",
    "unknown_project": "项目编号“{value}”不在项目库中（临时办法：加 --new-projects 并填写“项目名称”列，可先登记为新项目）",
    "name_for_new": "项目编号“{value}”不在项目库中，登记为新项目须填写项目名称",
    "unknown_project_id": "项目库中没有项目编号为“{value}”的项目",
    "import_header": "事件表导入（项目库 {where}）",
    "import_summary": "读取{read}行：新增事件{added}条，库中已有{already_present}条，未受理{rejected}行，空行及示例行{blank}行",
    "registered": "新登记项目{count}个：{ids}",
    "renamed": "项目更名{count}项：{items}",
    "rename_item": "{pid}自{date}起名称为“{name}”",
    # History (workbench db history).
    "kind_renamed": "更名",
    "history_header": "项目 {pid} {name}（{first_seen}登记入库）：事件{count}条",
    "history_none": "尚无事件",
    "history_amount": "{amount}万元",
    "history_note": "说明：{note}",
    "history_rename": "名称改为“{name}”",
    "history_recorded": "{by}登记于{at}",
    "history_source": "来源：{where}",
    "utc": "{moment}（UTC）",
}

DB_HELP: dict[str, str] = {
    "cmd_db": "项目库：db init 创建，db upgrade 升级结构，db events 导入事件表，db history 查看项目经历",
    "cmd_init": "创建项目库（SQLite 文件或 PostgreSQL 数据库），建立最新结构；已有项目库的不重复创建",
    "cmd_upgrade": "将旧版本的项目库升级到本程序的结构版本，已有数据不受影响；已是最新的不作改动",
    "cmd_events": "导入事件表（xlsx/csv：项目编号、事件、日期、金额(万元)、说明），同一内容重复导入不重复登记",
    "cmd_history": "按日期顺序列出一个项目的全部事件，及登记人、登记时间和来源",
    "db": "项目库：SQLite 文件路径，或 postgresql+psycopg://用户:密码@主机:端口/数据库名；默认取环境变量 WORKBENCH_DB，未设置时为当前文件夹下的 项目库.sqlite",
    "by": "登记人，默认为当前操作系统用户名",
    "new_projects": "临时办法：项目库中没有的项目编号，按该行的“项目名称”登记为新项目（不加此项则作为未受理的行）",
    "event_files": "事件表文件或文件夹（xlsx/csv，可多个）",
    "project_id": "要查看的项目编号",
    "metavar_command": "子命令",
    "metavar_db": "地址",
    "metavar_by": "姓名",
    "metavar_project": "项目编号",
}

# Output sets (workbench.outputset): the manifest, the folders beside and inside the output
# folder, the file names the sets give their files, and what a user is told about the lock.
OUTPUT_LABELS: dict[str, str] = {
    "manifest": "清单.json",
    "previous": ".上次输出",
    "staging": "部分",
    "committing": "提交",
    "failed_notebooks": ".出错的笔记本",
    "plan_table_file": "年度计划草案_{year}{edition}.csv",
    "comparison_file": "情景对比_{year}.xlsx",
    "waiting": "输出文件夹 {path} 正由另一次运行写入，等待其完成（最多{seconds}秒）……",
    "locked": "输出文件夹 {path} 正由另一次运行写入，等待{seconds}秒后仍未完成，本次未写出任何文件；请待其完成后重新运行（环境变量 WORKBENCH_LOCK_TIMEOUT 可设置等待秒数）",
}

# The register's deadlines (workbench.register: calendar, periods, obligations): obligation
# statuses, the working-day calendar's notices and errors, the pack's lifecycle validation.
REGISTER_LABELS: dict[str, str] = {
    "overdue": "逾期",
    "due_soon": "临期",
    "met": "已完成",
    "not_yet": "未到期",
    "weekends_only": "{year}年的节假日安排尚未收录（日历文件夹 {folder} 中没有 {year}.yaml），该年只按周末计算工作日和休假日，未计法定节假日和调休；请按国务院办公厅关于{year}年部分节假日安排的通知填写该文件（填法见 models/calendars/README.md）",
    "calendar_differs": "{year}年的节假日安排以程序内置的国务院安排为准，models/calendars/{year}.yaml 与其不一致的日期：{days}",
    "calendar_not_found": "找不到日历文件或文件夹：{name}",
    "calendar_invalid": "日历文件“{path}”有误：{errors}",
    "calendar_yaml": "日历文件“{path}”不是有效的 YAML：{error}",
    "calendar_year_mismatch": "文件名为{name}，其中的 year 却是{year}",
    "calendar_date_outside": "日期{day}不在{year}年内（也不在其前一年12月或后一年1月）",
    "calendar_range_reversed": "放假起止日期颠倒：{first}至{last}",
    "calendar_both": "{day}既列为放假日，又列为调休上班日",
    "unknown_event": "“{key}”不是 lifecycle.events 中的事件",
    "unknown_obligation": "“{key}”不是 lifecycle.obligations 中有自己期限的义务",
    "duplicate_key": "“{key}”重复出现",
    "obligation_shape": "义务“{key}”应当且只应当有以下一种期限：trigger 加 amount 和 unit；trigger 加 deadline: note；same_period_as",
    "obligation_months": "义务“{key}”的 period_from_facts 只用于以月计的期限",
    "obligation_max": "义务“{key}”的 max_amount 小于 amount",
    "obligation_window": "义务“{key}”的 opens_after 与 opens_at_share 只能有一个",
    "no_deadline": "整改通知（{date}）的备注中没有可识别的整改期限日期，无法计算期限；请在备注中写明，如“限期2026-10-15”",
}
