"""The draft plan as a document (年度计划（草案）): the sections the municipal government and
finance read (第九条), each a list of tables, built once and rendered three ways (the Excel
workbook, the HTML report, its PDF) so that they cannot disagree.

Distribution and internal editions: projects whose 是否涉密 answer is one of the policy pack's
``classified`` values (是 / 部分; 第十三条: a project that is partly classified is handled as
classified) keep their id, unit, category, pool and amounts in the distribution edition, so that
every total still adds up, but their name, content and the text of their findings are withheld.
The internal edition (``internal=True``) shows everything and says on every page that it must
not leave the office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pandas as pd
from matplotlib.figure import Figure

import workbench
from workbench.compare import Comparison
from workbench.labels import (
    CHART_LABELS,
    LEVEL_CITY,
    PLAN_COLUMNS,
    PLAN_STATUS_LABELS,
    PRODUCT_TITLE,
    REPORT_LABELS,
    SCORING_LABELS,
    SESSION_LABELS,
    SEVERITY_LABELS,
    SOLVE_STATUS_LABELS,
)
from workbench.money import format_wan, to_decimal
from workbench.planner import Plan
from workbench.policy import CheckResult
from workbench.policy.findings import sort_findings
from workbench.provenance import file_name
from workbench.simulate import commitments

L = REPORT_LABELS
ZERO = Decimal(0)


@dataclass(frozen=True)
class Block:
    """One table. ``money`` columns hold Decimals in 万元 (shown with two decimals and thousands
    separators); ``exact`` money columns stand beside a decision taken on a threshold (审批方式,
    工程监理) and are shown with as many decimals as the amount has (``report.amounts``), so that
    29.9999 never reads 30.00 beside "低于30万元"; ``total`` is the totals row (column → value),
    shown apart from the data so that re-reading the data gives the plan back; ``wide`` columns
    are long text that wraps."""

    frame: pd.DataFrame
    caption: str = ""
    money: tuple[str, ...] = ()
    percent: tuple[str, ...] = ()
    total: dict[str, object] | None = None
    wide: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figures:
    """A chart of the HTML report: drawn only when a renderer asks for it."""

    title: str
    draw: Callable[[], Figure]


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # the sheet name and the heading
    blocks: tuple[Block, ...]
    figures: tuple[Figures, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Risk:
    """A Monte Carlo run (``workbench.simulate.simulate``) and how it was drawn."""

    table: pd.DataFrame
    draws: int
    seed: int


@dataclass(frozen=True)
class PlanDocument:
    title: str
    subtitle: str
    edition: str
    internal: bool
    plan_year: int
    sections: tuple[Section, ...]
    redacted: tuple[str, ...] = ()
    generated_at: str = ""
    provenance: dict[str, object] = field(default_factory=dict)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def classified_ids(check: CheckResult) -> set[str]:
    """Projects answered 是 / 部分 under 是否涉密 (the pack's ``classified`` values)."""
    values = set(check.pack.rules.classified.values)
    cands = check.candidates
    return set(cands.loc[cands["classified"].isin(values), "project_id"])


def _sum(values: pd.Series) -> Decimal:
    return sum((to_decimal(v) for v in values if v is not None and v == v), ZERO)


def _wan(value: object) -> Decimal | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return to_decimal(value)


def _projects(plan: Plan, check: CheckResult, hidden: set[str]) -> pd.DataFrame:
    """The plan's projects with what the document shows of each from the check (route,
    supervision, period, total investment), their money beyond the plan year, and the
    distribution edition's redaction applied."""
    cands = check.candidates.set_index("project_id")
    year = plan.scenario.plan_year
    spend = plan.spend.assign(amount=plan.spend["amount"].map(to_decimal))
    later = spend[spend["year"] > year].groupby("project_id")["amount"].apply(_sum)
    years = spend.groupby("project_id")["year"].agg(["min", "max"])
    out = plan.projects.copy()
    ids = out["project_id"]
    out["route"] = ids.map(cands["approval_route"])
    out["supervision"] = ids.map(cands["supervision_required"]).map(
        lambda v: L["yes"] if v is True else L["no"]
    )
    out["months"] = ids.map(cands["construction_months"])
    out["total_investment"] = ids.map(cands["total_investment"]).map(_wan)
    out["amount"] = out["amount"].map(_wan)
    out["later"] = ids.map(later).map(lambda v: ZERO if v is None or v != v else v)
    out["years"] = ids.map(
        lambda i: (
            ""
            if i not in years.index
            else (
                str(years.at[i, "min"])
                if years.at[i, "min"] == years.at[i, "max"]
                else f"{years.at[i, 'min']}—{years.at[i, 'max']}"
            )
        )
    )
    out["status_label"] = out["status"].map(PLAN_STATUS_LABELS)
    out["score"] = out["value"].round(2)
    secret = out["project_id"].isin(hidden)
    out.loc[secret, "name"] = L["redacted_name"]
    return out


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame.insert(0, L["seq"], range(1, len(frame) + 1))
    return frame


def _headline(plan: Plan, projects: pd.DataFrame, edition: str) -> Block:
    counts = plan.projects["status"].value_counts()
    selected = projects[projects["status"].isin(("selected", "forced_in"))]
    rows = [
        (L["plan_year"], str(plan.scenario.plan_year)),
        (L["scenario"], plan.scenario.name),
        (L["candidates"], str(len(plan.projects))),
        (L["selected"], str(len(selected))),
        (L["forced_in"], str(counts.get("forced_in", 0))),
        (L["amount"], format_wan(_sum(selected["amount"]))),
        (L["out_years"], format_wan(_sum(selected["later"]))),
        (L["excluded"], str(counts.get("excluded", 0))),
        (L["not_selected"], str(counts.get("not_selected", 0))),
        (L["deferred"], str(len(plan.solution.deferred))),
        (L["status"], SOLVE_STATUS_LABELS[plan.status]),
        (L["edition"], edition),
    ]
    if plan.diagnosis:
        rows.append((L["diagnosis"], plan.diagnosis))
    frame = pd.DataFrame(rows, columns=[L["key"], L["value"]])
    return Block(frame, L["block_headline"], wide=(L["value"],))


def _pools(plan: Plan) -> Block:
    """One row per pool, the years side by side: planned (and already committed, where any)
    against the ceiling."""
    table = plan.totals_by_pool_year()
    order = sorted(table["pool"].unique(), key=lambda name: (name != LEVEL_CITY, name))
    years = sorted(table["year"].unique())
    with_carried = bool((table["carried"] != 0).any())
    rows = []
    for pool in order:
        row: dict[str, object] = {PLAN_COLUMNS["pool"]: pool}
        for year in years:
            hit = table[(table["pool"] == pool) & (table["year"] == year)]
            first = hit.iloc[0] if not hit.empty else None
            row[L["pool_planned"].format(year=year)] = (
                ZERO if first is None else _wan(first["amount"])
            )
            if with_carried:
                row[L["pool_carried"].format(year=year)] = (
                    ZERO if first is None else _wan(first["carried"])
                )
            row[L["pool_ceiling"].format(year=year)] = (
                None if first is None else _wan(first["ceiling"])
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    money = tuple(frame.columns[1:])
    total: dict[str, object] = {PLAN_COLUMNS["pool"]: L["total"]}
    total.update({c: _sum(frame[c]) for c in money})
    return Block(
        frame,
        L["block_pools"].format(year=plan.scenario.plan_year, last=max(plan.scenario.years)),
        money=money,
        total=total,
    )


def _grouped(projects: pd.DataFrame, by: str, label: str, caption: str = "") -> Block:
    """Per unit / category / level: what was asked, what is planned, what is left out."""
    chosen = projects["status"].isin(("selected", "forced_in"))
    rows = []
    for key, group in projects.groupby(by, sort=True):
        picked = group[chosen.loc[group.index]]
        rows.append(
            {
                label: key,
                L["candidates_col"]: len(group),
                L["request_sum"]: _sum(group["amount"]),
                L["selected_col"]: len(picked),
                L["selected_sum"]: _sum(picked["amount"]),
                L["unselected_col"]: len(group) - len(picked),
            }
        )
    frame = pd.DataFrame(rows)
    total = {label: L["total"], **{c: frame[c].sum() for c in frame.columns[1:]}}
    for money in (L["request_sum"], L["selected_sum"]):
        total[money] = _sum(frame[money])
    return Block(frame, caption, money=(L["request_sum"], L["selected_sum"]), total=total)


def _project_list(projects: pd.DataFrame, unselected: bool, om_risk: set[str]) -> Block:
    """拟安排项目清单 or 未安排项目及原因. The selected list shows each project's 审批方式 and
    工程监理 beside its amounts, which are therefore exact; the list of the others marks the
    running systems' O&M left out (运维中断风险, 第二十五条) when there are any."""
    identity = {
        key: PLAN_COLUMNS[key]
        for key in ("project_id", "name", "unit", "funding_pool", "category_effective")
    }
    if unselected:
        rows = projects[~projects["status"].isin(("selected", "forced_in"))]
        rows = rows.assign(_o=rows["status"].map({"excluded": 1, "not_selected": 0}))
        rows = rows.sort_values(
            ["_o", "funding_pool", "value_per_wan"], ascending=[True, True, False]
        )
        columns = {
            **identity,
            "amount": L["request"],
            "score": PLAN_COLUMNS["value"],
            "status_label": PLAN_COLUMNS["status"],
            "article": PLAN_COLUMNS["article"],
            "reason": PLAN_COLUMNS["reason"],
        }
        if om_risk:
            rows = rows.assign(
                om_risk=rows["project_id"].map(lambda pid: L["yes"] if pid in om_risk else "")
            )
            columns["om_risk"] = PLAN_COLUMNS["om_interruption"]
        money = (L["request"],)
        exact: tuple[str, ...] = ()
    else:
        rows = projects[projects["status"].isin(("selected", "forced_in"))]
        order = sorted(rows["funding_pool"].unique(), key=lambda name: (name != LEVEL_CITY, name))
        rows = rows.assign(_o=rows["funding_pool"].map(order.index)).sort_values(
            ["_o", "unit", "project_id"]
        )
        columns = {
            **identity,
            "route": L["route"],
            "supervision": L["supervision"],
            "months": L["months"],
            "years": L["years"],
            "total_investment": L["total_investment"],
            "amount": L["amount_col"],
            "later": L["later"],
            "score": PLAN_COLUMNS["value"],
            "status_label": PLAN_COLUMNS["status"],
            "reason": PLAN_COLUMNS["reason"],
        }
        money = (L["total_investment"], L["amount_col"], L["later"])
        exact = money
    frame = _numbered(rows[list(columns)].rename(columns=columns))
    total = {PLAN_COLUMNS["project_id"]: L["total_count"].format(count=len(frame))}
    total.update({m: _sum(frame[m]) for m in money})
    return Block(
        frame,
        money=money,
        total=total,
        wide=(PLAN_COLUMNS["name"], PLAN_COLUMNS["reason"]),
        exact=exact,
    )


def _commitment_blocks(plan: Plan, risk: Risk | None) -> list[Block]:
    table = commitments(plan)
    order = sorted(table["pool"].unique(), key=lambda name: (name != LEVEL_CITY, name))
    table = table.assign(_o=table["pool"].map(order.index)).sort_values(["_o", "year"])
    flag = {True: L["yes"], False: L["no"]}
    frame = pd.DataFrame(
        {
            PLAN_COLUMNS["pool"]: table["pool"],
            PLAN_COLUMNS["year"]: table["year"],
            PLAN_COLUMNS["construction"]: table["construction"].map(_wan),
            PLAN_COLUMNS["om"]: table["om"].map(_wan),
            PLAN_COLUMNS["carried"]: table["carried"].map(_wan),
            PLAN_COLUMNS["total"]: table["total"].map(_wan),
            PLAN_COLUMNS["ceiling"]: table["ceiling"].map(_wan),
            PLAN_COLUMNS["capacity"]: table["capacity"].map(_wan),
            PLAN_COLUMNS["headroom"]: table["headroom"].map(_wan),
            PLAN_COLUMNS["over_ceiling"]: table["over_ceiling"].map(flag),
            PLAN_COLUMNS["over_capacity"]: table["over_capacity"].map(flag),
        }
    ).reset_index(drop=True)
    money = tuple(frame.columns[2:9])
    blocks = [Block(frame, L["block_commitments"], money=money)]
    by_year = []
    for year, group in table.groupby("year", sort=True):
        by_year.append(
            {
                PLAN_COLUMNS["year"]: year,
                PLAN_COLUMNS["construction"]: _sum(group["construction"]),
                PLAN_COLUMNS["om"]: _sum(group["om"]),
                PLAN_COLUMNS["carried"]: _sum(group["carried"]),
                PLAN_COLUMNS["total"]: _sum(group["total"]),
            }
        )
    years = pd.DataFrame(by_year)
    total = {PLAN_COLUMNS["year"]: L["total"]}
    total.update({c: _sum(years[c]) for c in years.columns[1:]})
    blocks.append(
        Block(years, L["block_commitments_total"], money=tuple(years.columns[1:]), total=total)
    )
    if risk is not None:
        shown = risk.table[risk.table["ceiling"].notna() & (risk.table["planned"] > 0)]
        shown = shown.assign(_o=shown["pool"].map(lambda p: (p != LEVEL_CITY, p))).sort_values(
            ["_o", "year"]
        )
        frame = pd.DataFrame(
            {
                PLAN_COLUMNS["pool"]: shown["pool"],
                PLAN_COLUMNS["year"]: shown["year"],
                L["p50"]: shown["p50"].map(lambda v: to_decimal(round(float(v), 2))),
                L["p90"]: shown["p90"].map(lambda v: to_decimal(round(float(v), 2))),
                PLAN_COLUMNS["ceiling"]: shown["ceiling"].map(_wan),
                L["p_exceed"]: shown["p_exceed"].astype(float),
            }
        ).reset_index(drop=True)
        blocks.append(
            Block(
                frame,
                L["block_risk"].format(draws=risk.draws, seed=risk.seed),
                money=(L["p50"], L["p90"], PLAN_COLUMNS["ceiling"]),
                percent=(L["p_exceed"],),
            )
        )
    return blocks


def _frontier_block(frontier: pd.DataFrame, plan: Plan, pool: str) -> Block:
    frame = pd.DataFrame(
        {
            L["frontier_ceiling"]: frontier["ceiling"].map(lambda v: to_decimal(v)),
            L["status"]: frontier["status"].map(SOLVE_STATUS_LABELS),
            L["frontier_value"]: frontier["value"].map(
                lambda v: None if v is None else round(v, 2)
            ),
            L["frontier_projects"]: frontier["projects"],
            L["frontier_used"]: frontier["used"].map(lambda v: to_decimal(v)),
            L["frontier_entering"]: frontier["entering"].map("、".join),
            L["frontier_leaving"]: frontier["leaving"].map("、".join),
        }
    )
    return Block(
        frame,
        L["block_frontier"].format(pool=pool, year=plan.scenario.plan_year),
        money=(L["frontier_ceiling"], L["frontier_used"]),
        wide=(L["frontier_entering"], L["frontier_leaving"]),
    )


def _comparison_blocks(comparison: Comparison, hidden: set[str]) -> list[Block]:
    c = comparison
    summary = pd.DataFrame(
        {
            L["scenario"]: c.summary["scenario"],
            L["status"]: c.summary["status"].map(SOLVE_STATUS_LABELS),
            CHART_LABELS["frontier_y"]: c.summary["objective"].map(
                lambda v: None if v is None else round(v, 2)
            ),
            L["selected"]: c.summary["selected"],
            L["forced_in"]: c.summary["forced_in"],
            L["not_selected"]: c.summary["not_selected"],
            L["deferred"]: c.summary["deferred"],
            L["excluded"]: c.summary["excluded"],
            L["amount"]: c.summary["amount"].map(_wan),
        }
    )
    blocks = [Block(summary, L["block_comparison_summary"], money=(L["amount"],))]
    if not c.differences.empty:
        diff = c.differences
        frame = pd.DataFrame(
            {
                PLAN_COLUMNS["project_id"]: diff["project_id"],
                PLAN_COLUMNS["name"]: diff["name"].where(
                    ~diff["project_id"].isin(hidden), L["redacted_name"]
                ),
                PLAN_COLUMNS["unit"]: diff["unit"],
                **{name: diff[f"status:{name}"].map(PLAN_STATUS_LABELS) for name in c.names},
            }
        )
        blocks.append(
            Block(_numbered(frame), L["block_comparison_differences"], wide=(PLAN_COLUMNS["name"],))
        )
    by_category = c.by_category.rename(
        columns={"category_effective": PLAN_COLUMNS["category_effective"]}
    )
    by_category = by_category.assign(**{n: by_category[n].map(_wan) for n in c.names})
    total = {PLAN_COLUMNS["category_effective"]: L["total"]}
    total.update({n: _sum(by_category[n]) for n in c.names})
    blocks.append(
        Block(by_category, L["block_comparison_categories"], money=tuple(c.names), total=total)
    )
    return blocks


def _findings(check: CheckResult, projects: pd.DataFrame, hidden: set[str]) -> Block:
    findings = sort_findings(check.findings, list(check.candidates["project_id"]))
    names = projects.set_index("project_id")["name"]
    units = projects.set_index("project_id")["unit"]
    secret = findings["project_id"].isin(hidden)
    rule_names = check.pack.rule_names()
    frame = pd.DataFrame(
        {
            PLAN_COLUMNS["project_id"]: findings["project_id"],
            PLAN_COLUMNS["name"]: findings["project_id"].map(names),
            PLAN_COLUMNS["unit"]: findings["project_id"].map(units),
            # The rule's Chinese name: a reader never sees a rule id.
            L["rule"]: findings["rule"].map(lambda rule: rule_names.get(rule, rule)),
            PLAN_COLUMNS["article"]: findings["article"],
            L["severity"]: findings["severity"].map(SEVERITY_LABELS),
            L["finding"]: findings["message"].where(~secret, L["redacted_text"]),
        }
    )
    return Block(_numbered(frame), wide=(PLAN_COLUMNS["name"], L["finding"]))


def _provenance_blocks(
    plan: Plan, check: CheckResult, document_title: str, edition: str, generated: str
) -> list[Block]:
    """参数与来源, as a reader of the document can use it: every file by its name and SHA-256
    (no directory of the analyst's machine), tables, the scenario, the policy pack and the
    scoring model by their Chinese names, never a key of the provenance record."""
    p = plan.provenance
    pack = p.get("policy_pack") or {}
    scenario = p.get("scenario") or {}
    scoring = p.get("scoring") or {}
    solver = plan.solver
    consistency = scoring.get("consistency") or {}
    gap = solver.get("gap")
    rows = [
        (L["param_document"], document_title),
        (L["param_edition"], edition),
        (L["param_policy"], check.pack.title),
        (L["param_policy_file"], file_name(pack.get("path") or check.pack.path)),
        (L["param_policy_sha"], pack.get("sha256", "")),
        (L["param_scenario"], plan.scenario.name),
        (L["param_scenario_file"], file_name(scenario.get("path") or plan.scenario.path)),
        (L["plan_year"], str(plan.scenario.plan_year)),
        (L["param_horizon"], "、".join(str(y) for y in plan.scenario.years)),
        (L["param_reference_date"], str(p.get("reference_date", ""))),
        (L["param_solver"], f"{solver['name']} {solver['version']}"),
        (L["param_solver_status"], SOLVE_STATUS_LABELS[plan.status]),
        (L["param_gap"], "—" if gap is None or gap != gap else f"{gap:.2%}"),
        (L["param_solve_seconds"], f"{solver['solve_seconds']}"),
    ]
    if scoring:
        rows += [
            (L["param_scoring"], _scoring_title(plan, scoring)),
            (
                L["param_scoring_source"],
                SCORING_LABELS.get(f"source_{scoring.get('source', '')}", ""),
            ),
        ]
    if consistency:
        rows.append((L["param_consistency"], f"{consistency.get('cr', '')}"))
    register = p.get("register") or {}
    if register:  # what the register gave, never where it is (a path, a server)
        rows.append((L["param_register"], L["param_register_value"].format(**register)))
    rows += [
        (L["param_version"], str(p.get("workbench_version", workbench.__version__))),
        (L["param_generated"], generated),
    ]
    blocks = [
        Block(
            pd.DataFrame(rows, columns=[L["key"], L["value"]]),
            L["block_parameters"],
            wide=(L["value"],),
        )
    ]
    inputs = p.get("inputs") or []
    if inputs:
        frame = pd.DataFrame(
            {
                L["input_table"]: [_table_name(i.get("table")) for i in inputs],
                L["input_file"]: [file_name(i.get("file")) for i in inputs],
                L["input_sha"]: [i.get("sha256", "") for i in inputs],
                L["input_bytes"]: [i.get("bytes", "") for i in inputs],
            }
        )
        blocks.append(Block(frame, L["block_inputs"], wide=(L["input_file"],)))
    weights = scoring.get("weights") or {}
    if weights:
        names = scoring.get("names") or {}
        frame = pd.DataFrame(
            {
                L["weight_criterion"]: [names.get(k, k) for k in weights],
                L["weight_value"]: list(weights.values()),
            }
        )
        blocks.append(Block(frame, L["block_weights"], percent=(L["weight_value"],)))
    return blocks


def _table_name(table: object) -> str:
    """An intake table (``candidates``, ``systems``, ``usage``, ``commitments``) in Chinese."""
    return SESSION_LABELS.get(str(table), L["input_other"]) if table else L["input_other"]


def _scoring_title(plan: Plan, scoring: dict) -> str:
    """The scoring model's title: from the record when it has one, else from the model file the
    scenario names (a record written before titles were kept)."""
    if scoring.get("title"):
        return str(scoring["title"])
    from workbench.scoring import load_scoring

    try:
        model = load_scoring(plan.scenario.scoring)
    except Exception:  # the file may have moved since: the record is what is shown then
        return SCORING_LABELS["source_model"]
    return model.title if model.id == scoring.get("model") else SCORING_LABELS["source_model"]


def _figures(plan: Plan, frontier: pd.DataFrame | None, risk: Risk | None) -> dict[str, list]:
    from workbench.report import charts

    year = plan.scenario.plan_year
    out: dict[str, list] = {"summary": [], "commitments": []}
    if not plan.selected.empty:
        out["summary"].append(
            Figures(
                CHART_LABELS["by_category_title"].format(year=year),
                lambda: charts.budget_by_category_and_pool(plan),
            )
        )
        out["summary"].append(
            Figures(
                CHART_LABELS["top_units_title"].format(year=year, n=10),
                lambda: charts.top_units(plan),
            )
        )
    if frontier is not None and not frontier.empty:
        pool = LEVEL_CITY
        out["summary"].append(
            Figures(
                CHART_LABELS["frontier_title"].format(pool=pool, year=year),
                lambda: charts.frontier_chart(frontier, plan, pool),
            )
        )
    table = commitments(plan)
    for pool in sorted(table["pool"].unique(), key=lambda name: (name != LEVEL_CITY, name))[:1]:
        out["commitments"].append(
            Figures(
                CHART_LABELS["commitments_title"].format(pool=pool),
                lambda pool=pool: charts.commitments_chart(table, pool),
            )
        )
    if risk is not None and (risk.table["pool"] == LEVEL_CITY).any():
        out["commitments"].append(
            Figures(
                CHART_LABELS["fan_title"].format(pool=LEVEL_CITY),
                lambda: charts.risk_fan(risk.table, LEVEL_CITY),
            )
        )
    return out


def plan_document(
    plan: Plan,
    check: CheckResult,
    *,
    comparison: Comparison | None = None,
    risk: Risk | None = None,
    frontier: pd.DataFrame | None = None,
    internal: bool = False,
    supervision: Sequence[tuple[str, pd.DataFrame]] = (),
) -> PlanDocument:
    """The draft plan as a document: the distribution edition unless ``internal``.
    ``supervision``: the register's 监管事项 (captioned tables with Chinese headers, from
    ``--db``), a section of their own after the findings."""
    secret = classified_ids(check)
    hidden = set() if internal else secret
    projects = _projects(plan, check, hidden)
    year = plan.scenario.plan_year
    title = L["title"].format(year=year)
    if (projects["level"] != LEVEL_CITY).any():
        title += L["title_with_districts"]
    if internal:
        edition = L["edition_internal"]
    elif hidden:
        edition = L["edition_distribution"].format(count=len(hidden))
    else:
        edition = L["edition_distribution_none"]
    generated = str(
        plan.provenance.get("drafted_at") or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )
    subtitle = L["subtitle"].format(scenario=plan.scenario.name, drafted=generated[:10])
    figures = _figures(plan, frontier, risk)
    om_risk = set(plan.om_interruption["project_id"])
    summary_blocks = [
        _headline(plan, projects, edition),
        _pools(plan),
        _grouped(projects, "level", PLAN_COLUMNS["level"], L["block_levels"].format(year=year)),
    ]
    if frontier is not None and not frontier.empty:
        summary_blocks.append(_frontier_block(frontier, plan, LEVEL_CITY))
    sections = [
        Section("summary", L["sheet_summary"], tuple(summary_blocks), tuple(figures["summary"])),
        Section("selected", L["sheet_selected"], (_project_list(projects, False, om_risk),)),
        Section("unselected", L["sheet_unselected"], (_project_list(projects, True, om_risk),)),
        Section("units", L["sheet_units"], (_grouped(projects, "unit", PLAN_COLUMNS["unit"]),)),
        Section(
            "categories",
            L["sheet_categories"],
            (_grouped(projects, "category_effective", PLAN_COLUMNS["category_effective"]),),
        ),
        Section(
            "commitments",
            L["sheet_commitments"],
            tuple(_commitment_blocks(plan, risk)),
            tuple(figures["commitments"]),
        ),
    ]
    if comparison is not None:
        sections.append(
            Section(
                "comparison", L["sheet_comparison"], tuple(_comparison_blocks(comparison, hidden))
            )
        )
    sections.append(Section("findings", L["sheet_findings"], (_findings(check, projects, hidden),)))
    if supervision:
        blocks = tuple(
            Block(frame, caption, wide=tuple(c for c in frame.columns if frame[c].dtype == object))
            for caption, frame in supervision
        )
        sections.append(Section("supervision", L["sheet_supervision"], blocks))
    sections += [
        Section(
            "provenance",
            L["sheet_provenance"],
            tuple(_provenance_blocks(plan, check, title, edition, generated)),
        ),
    ]
    if hidden:
        names = check.candidates.loc[check.candidates["project_id"].isin(hidden), "name"]
        sections = [_scrub(section, set(names)) for section in sections]
    return PlanDocument(
        title=title,
        subtitle=subtitle,
        edition=edition,
        internal=internal,
        plan_year=year,
        sections=tuple(sections),
        redacted=tuple(sorted(hidden)),
        generated_at=generated,
        provenance=dict(plan.provenance),
    )


def _scrub(section: Section, names: set[str]) -> Section:
    """Withhold classified projects' names wherever other text quotes them (a similarity
    finding names the project it resembles; a dependency reason names what it waits for)."""
    names = {n for n in names if n}

    def clean(value: object) -> object:
        if isinstance(value, str):
            for name in names:
                value = value.replace(name, L["redacted_name"])
        return value

    blocks = []
    for block in section.blocks:
        frame = block.frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
                frame[column] = frame[column].map(clean)
        blocks.append(replace(block, frame=frame))
    return replace(section, blocks=tuple(blocks))


def footer() -> str:
    return L["generated_by"].format(product=PRODUCT_TITLE, version=workbench.__version__)
