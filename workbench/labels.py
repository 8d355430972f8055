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
    "unknown_dependency": "所依赖的项目{required}不在本次申报中，按已有项目处理",
    "forced_but_excluded": "（属强制纳入情形，但有不予安排的审核发现，未强制纳入）",
}

DIAGNOSIS: dict[str, str] = {
    "intro": "无可行方案。以下约束不能同时满足：",
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
    # Notes on a whole scoring run.
    "given_all": "全部{count}个项目均填写了“{header}”，以填写值作为项目价值，不再计算评分",
    "given_some": (
        "{count}个项目填写了“{header}”，以填写值作为项目价值；其余{rest}个项目按评分模型"
        "“{model}”计算（两者尺度可能不一致，请复核）"
    ),
    "no_registry": "未提供已建系统登记表，“{name}”一项{treatment}",
    "no_experts": "申报表没有专家评分列，“{name}”一项{treatment}",
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
    "experts": "专家评分{scores}（均值{mean:.2f}）",
    "experts_none": "无专家评分，{treatment}",
    "given": "申报表填写的{header}",
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
    "source_model": "评分模型",
    "source_ahp": "评分模型（层次分析法权重）",
    "source_priority_score": "申报表填写",
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
    "ahp_weight": "层次分析法权重",
    "frequency": "入选比例",
    "verdict": "稳定性",
    "stable_in": "稳定入选",
    "stable_out": "稳定不入选",
    "hinges": "取决于权重和评分",
}
