"""The plan's tables, as the document's body shows them: headline details, pools by year, levels,
units and categories (in the government's order, workbench.units), the project lists, the
multi-year money and its risk, the frontier's short table, the comparison. Each returns a
:class:`~workbench.report.model.Block` whose money columns hold Decimals in 万元."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from workbench.compare import Comparison
from workbench.labels import (
    CATEGORIES,
    CHART_LABELS,
    LEVEL_CITY,
    LEVEL_DISTRICT,
    PLAN_COLUMNS,
    PLAN_STATUS_LABELS,
    REPORT_LABELS,
    SOLVE_STATUS_LABELS,
)
from workbench.money import format_wan, to_decimal
from workbench.planner import Plan
from workbench.policy import CheckResult
from workbench.report.model import Block, Risk
from workbench.simulate import commitments
from workbench.units import UnitOrder

L = REPORT_LABELS
ZERO = Decimal(0)


def sum_wan(values: pd.Series) -> Decimal:
    return sum((to_decimal(v) for v in values if v is not None and v == v), ZERO)


def wan(value: object) -> Decimal | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return to_decimal(value)


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame.insert(0, L["seq"], range(1, len(frame) + 1))
    return frame


def classified_ids(check: CheckResult) -> set[str]:
    """Projects answered 是 / 部分 under 是否涉密 (the pack's ``classified`` values)."""
    values = set(check.pack.rules.classified.values)
    cands = check.candidates
    return set(cands.loc[cands["classified"].isin(values), "project_id"])


def projects_shown(plan: Plan, check: CheckResult, hidden: set[str]) -> pd.DataFrame:
    """The plan's projects with what the document shows of each from the check (route,
    supervision, period, total investment), their money beyond the plan year, and the
    distribution edition's redaction applied."""
    cands = check.candidates.set_index("project_id")
    year = plan.scenario.plan_year
    spend = plan.spend.assign(amount=plan.spend["amount"].map(to_decimal))
    later = spend[spend["year"] > year].groupby("project_id")["amount"].apply(sum_wan)
    years = spend.groupby("project_id")["year"].agg(["min", "max"])
    out = plan.projects.copy()
    ids = out["project_id"]
    out["route"] = ids.map(cands["approval_route"])
    out["supervision"] = ids.map(cands["supervision_required"]).map(
        lambda v: L["yes"] if v is True else L["no"]
    )
    out["months"] = ids.map(cands["construction_months"])
    out["total_investment"] = ids.map(cands["total_investment"]).map(wan)
    out["amount"] = out["amount"].map(wan)
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


def headline(plan: Plan, projects: pd.DataFrame, edition: str) -> Block:
    counts = plan.projects["status"].value_counts()
    selected = projects[projects["status"].isin(("selected", "forced_in"))]
    rows = [
        (L["plan_year"], str(plan.scenario.plan_year)),
        (L["scenario"], plan.scenario.name),
        (L["candidates"], str(len(plan.projects))),
        (L["selected"], str(len(selected))),
        (L["forced_in"], str(counts.get("forced_in", 0))),
        (L["amount"], format_wan(sum_wan(selected["amount"]))),
        (L["out_years"], format_wan(sum_wan(selected["later"]))),
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


def pools_by_year(plan: Plan, units: UnitOrder) -> Block:
    """One row per pool, the years side by side: planned (and already committed, where any)
    against the ceiling."""
    table = plan.totals_by_pool_year()
    order = units.pools_sorted(table["pool"])
    years = sorted(table["year"].unique())
    with_carried = bool((table["carried"] != 0).any())
    rows = []
    for pool in order:
        row: dict[str, object] = {PLAN_COLUMNS["pool"]: pool}
        for year in years:
            hit = table[(table["pool"] == pool) & (table["year"] == year)]
            first = hit.iloc[0] if not hit.empty else None
            row[L["pool_planned"].format(year=year)] = (
                ZERO if first is None else wan(first["amount"])
            )
            if with_carried:
                row[L["pool_carried"].format(year=year)] = (
                    ZERO if first is None else wan(first["carried"])
                )
            row[L["pool_ceiling"].format(year=year)] = (
                None if first is None else wan(first["ceiling"])
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    money = tuple(frame.columns[1:])
    total: dict[str, object] = {PLAN_COLUMNS["pool"]: L["total"]}
    total.update({c: sum_wan(frame[c]) for c in money})
    return Block(
        frame,
        L["block_pools"].format(year=plan.scenario.plan_year, last=max(plan.scenario.years)),
        money=money,
        total=total,
    )


def _group_order(projects: pd.DataFrame, by: str, units: UnitOrder) -> list[str]:
    """Units in the government's order; levels 市本级, 旗区, then the rest; categories in the
    measures' order (建设类, 采购服务类, 运维服务类); never code-point order."""
    met = list(dict.fromkeys(projects[by]))
    if by == "unit":
        return units.units_sorted(met)
    if by == "level":
        first = [LEVEL_CITY, LEVEL_DISTRICT]
    elif by == "category_effective":
        first = list(CATEGORIES)
    else:
        return met
    return [k for k in first if k in met] + [k for k in met if k not in first]


def grouped(
    projects: pd.DataFrame, by: str, label: str, units: UnitOrder, caption: str = ""
) -> Block:
    """Per unit / category / level: what was asked, what is planned, what is left out."""
    chosen = projects["status"].isin(("selected", "forced_in"))
    rows = []
    groups = dict(list(projects.groupby(by, sort=False)))
    for key in _group_order(projects, by, units):
        group = groups[key]
        picked = group[chosen.loc[group.index]]
        rows.append(
            {
                label: key,
                L["candidates_col"]: len(group),
                L["request_sum"]: sum_wan(group["amount"]),
                L["selected_col"]: len(picked),
                L["selected_sum"]: sum_wan(picked["amount"]),
                L["unselected_col"]: len(group) - len(picked),
            }
        )
    frame = pd.DataFrame(rows)
    total = {label: L["total"], **{c: frame[c].sum() for c in frame.columns[1:]}}
    for money in (L["request_sum"], L["selected_sum"]):
        total[money] = sum_wan(frame[money])
    return Block(frame, caption, money=(L["request_sum"], L["selected_sum"]), total=total)


def project_list(
    projects: pd.DataFrame, unselected: bool, om_risk: set[str], units: UnitOrder
) -> Block:
    """拟安排项目清单 or 未安排项目及原因. The selected list shows each project's 审批方式 and
    工程监理 beside its amounts, which are therefore exact; the list of the others marks the
    running systems' O&M left out (运维中断风险, 第二十五条) when there are any."""
    identity = {
        key: PLAN_COLUMNS[key]
        for key in ("project_id", "name", "unit", "funding_pool", "category_effective")
    }
    if unselected:
        rows = projects[~projects["status"].isin(("selected", "forced_in"))]
        rows = rows.assign(
            _o=rows["status"].map({"excluded": 1, "not_selected": 0}),
            _p=rows["funding_pool"].map(units.pool_key),
        )
        rows = rows.sort_values(["_o", "_p", "value_per_wan"], ascending=[True, True, False])
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
        rows = rows.assign(
            _o=rows["funding_pool"].map(units.pool_key), _u=rows["unit"].map(units.unit_key)
        ).sort_values(["_o", "_u", "project_id"])
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
    frame = numbered(rows[list(columns)].rename(columns=columns))
    total = {PLAN_COLUMNS["project_id"]: L["total_count"].format(count=len(frame))}
    total.update({m: sum_wan(frame[m]) for m in money})
    return Block(
        frame,
        money=money,
        total=total,
        wide=(PLAN_COLUMNS["name"], PLAN_COLUMNS["reason"]),
        exact=exact,
    )


def commitment_blocks(plan: Plan, risk: Risk | None, units: UnitOrder) -> list[Block]:
    table = commitments(plan)
    order = units.pools_sorted(table["pool"])
    table = table.assign(_o=table["pool"].map(order.index)).sort_values(["_o", "year"])
    flag = {True: L["yes"], False: L["no"]}
    frame = pd.DataFrame(
        {
            PLAN_COLUMNS["pool"]: table["pool"],
            PLAN_COLUMNS["year"]: table["year"],
            PLAN_COLUMNS["construction"]: table["construction"].map(wan),
            PLAN_COLUMNS["om"]: table["om"].map(wan),
            PLAN_COLUMNS["carried"]: table["carried"].map(wan),
            PLAN_COLUMNS["total"]: table["total"].map(wan),
            PLAN_COLUMNS["ceiling"]: table["ceiling"].map(wan),
            PLAN_COLUMNS["capacity"]: table["capacity"].map(wan),
            PLAN_COLUMNS["headroom"]: table["headroom"].map(wan),
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
                PLAN_COLUMNS["construction"]: sum_wan(group["construction"]),
                PLAN_COLUMNS["om"]: sum_wan(group["om"]),
                PLAN_COLUMNS["carried"]: sum_wan(group["carried"]),
                PLAN_COLUMNS["total"]: sum_wan(group["total"]),
            }
        )
    years = pd.DataFrame(by_year)
    total = {PLAN_COLUMNS["year"]: L["total"]}
    total.update({c: sum_wan(years[c]) for c in years.columns[1:]})
    blocks.append(
        Block(years, L["block_commitments_total"], money=tuple(years.columns[1:]), total=total)
    )
    if risk is not None:
        shown = risk.table[risk.table["ceiling"].notna() & (risk.table["planned"] > 0)]
        shown = shown.assign(_o=shown["pool"].map(units.pool_key)).sort_values(["_o", "year"])
        frame = pd.DataFrame(
            {
                PLAN_COLUMNS["pool"]: shown["pool"],
                PLAN_COLUMNS["year"]: shown["year"],
                L["p50"]: shown["p50"].map(lambda v: to_decimal(round(float(v), 2))),
                L["p90"]: shown["p90"].map(lambda v: to_decimal(round(float(v), 2))),
                PLAN_COLUMNS["ceiling"]: shown["ceiling"].map(wan),
                L["p_exceed"]: shown["p_exceed"].astype(float),
            }
        ).reset_index(drop=True)
        blocks.append(
            Block(
                frame,
                L["block_risk"].format(draws=risk.draws),
                money=(L["p50"], L["p90"], PLAN_COLUMNS["ceiling"]),
                percent=(L["p_exceed"],),
            )
        )
    return blocks


def frontier_block(frontier: pd.DataFrame, plan: Plan, pool: str) -> Block:
    """The frontier as a short table beside its chart: each ceiling tried, the best value and
    how many projects it takes; once a larger ceiling adds nothing, the rest are one row."""
    solved = frontier[frontier["value"].notna()].sort_values("ceiling")
    keep, last = [], None
    for i, value in zip(solved.index, solved["value"], strict=True):
        if last is None or round(value, 2) != round(last, 2):
            keep.append(i)
        last = value
    rows = solved.loc[keep]
    frame = pd.DataFrame(
        {
            L["frontier_ceiling"]: rows["ceiling"].map(lambda v: to_decimal(v)),
            L["frontier_value"]: rows["value"].map(lambda v: round(v, 2)),
            L["frontier_projects"]: rows["projects"].astype(int),
            L["frontier_used"]: rows["used"].map(lambda v: to_decimal(v)),
        }
    ).reset_index(drop=True)
    return Block(
        frame,
        L["block_frontier"].format(pool=pool, year=plan.scenario.plan_year),
        money=(L["frontier_ceiling"], L["frontier_used"]),
    )


def comparison_blocks(comparison: Comparison, hidden: set[str]) -> list[Block]:
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
            L["amount"]: c.summary["amount"].map(wan),
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
                **{name: c.status_labels(name) for name in c.names},
            }
        )
        blocks.append(
            Block(numbered(frame), L["block_comparison_differences"], wide=(PLAN_COLUMNS["name"],))
        )
    by_category = c.by_category.rename(
        columns={"category_effective": PLAN_COLUMNS["category_effective"]}
    )
    by_category = by_category.assign(**{n: by_category[n].map(wan) for n in c.names})
    total = {PLAN_COLUMNS["category_effective"]: L["total"]}
    total.update({n: sum_wan(by_category[n]) for n in c.names})
    blocks.append(
        Block(by_category, L["block_comparison_categories"], money=tuple(c.names), total=total)
    )
    return blocks
