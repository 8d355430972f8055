"""``workbench plan`` output: a Chinese summary and table, JSON in the contract's shape (DESIGN
§7; strict: no number is infinite or NaN, see ``report.jsonsafe``), and the plan written as CSV
and xlsx for ``--out``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.labels import (
    LEVEL_CITY,
    PLAN_COLUMNS,
    PLAN_STATUS_LABELS,
    PLAN_TEXT,
    REPORT_LABELS,
    SOLVE_STATUS_LABELS,
)
from workbench.money import format_wan, to_decimal
from workbench.planner import Plan
from workbench.planner.plan import SELECTED_STATUSES
from workbench.policy.findings import plain
from workbench.report.jsonsafe import strict
from workbench.report.safe import safe_frame
from workbench.simulate import commitments


def _money(value: object) -> str:
    return (
        "" if value is None or (isinstance(value, float) and value != value) else format_wan(value)
    )


def plan_text(plan: Plan) -> str:
    s = plan.scenario
    counts = plan.projects["status"].value_counts()
    lines = [
        PLAN_TEXT["title"].format(year=s.plan_year, scenario=s.name),
        PLAN_TEXT["status"].format(
            status=SOLVE_STATUS_LABELS[plan.status],
            objective="—" if plan.objective is None else f"{plan.objective:.2f}",
            solver=plan.solver["name"],
            version=plan.solver["version"],
            build=plan.solver["build_seconds"],
            solve=plan.solver["solve_seconds"],
            gap="—" if plan.solver["gap"] is None else f"{plan.solver['gap']:.2%}",
        ),
        PLAN_TEXT["counts"].format(
            total=len(plan.projects),
            selected=counts.get("selected", 0),
            forced=counts.get("forced_in", 0),
            excluded=counts.get("excluded", 0),
            not_selected=counts.get("not_selected", 0),
        ),
    ]
    if plan.diagnosis:
        lines.append(PLAN_TEXT["diagnosis"].format(text=plan.diagnosis))
    lines.append(PLAN_TEXT["pools_header"])
    binding = {
        (r.pool, r.year)
        for r in plan.constraints.itertuples()
        if r.constraint == "ceiling" and r.binding
    }
    by_pool = plan.totals_by_pool_year()
    # 市本级 first, then the other pools by name: one line per pool, the years side by side.
    for pool in sorted(by_pool["pool"].unique(), key=lambda name: (name != LEVEL_CITY, name)):
        cells = [
            PLAN_TEXT["pool_year_cell"].format(
                year=r.year,
                amount=_money(r.amount),
                ceiling=_money(r.ceiling) if r.ceiling is not None else PLAN_TEXT["unlimited"],
                binding=PLAN_TEXT["binding"] if (r.pool, r.year) in binding else "",
            )
            for r in by_pool[by_pool["pool"] == pool].itertuples()
        ]
        lines.append(PLAN_TEXT["pool_row"].format(pool=pool, cells="；".join(cells)))
    lines += _commitment_lines(plan)
    overridden = plan.projects[plan.projects["override"] != ""]
    if not overridden.empty:
        lines.append(PLAN_TEXT["overrides"])
        lines += [f"  {r.project_id}：{r.override}" for r in overridden.itertuples()]
    lines += ["", PLAN_TEXT["table_header"]]
    order = {
        status: i for i, status in enumerate(("forced_in", "selected", "not_selected", "excluded"))
    }
    table = plan.projects.assign(_o=plan.projects["status"].map(order)).sort_values(
        ["_o", "project_id"]
    )
    for r in table.itertuples():
        # A reason that already ends by citing its article (运维中断风险) does not cite it twice.
        article = (
            f"（{r.article}）" if r.article and not r.reason.endswith(f"（{r.article}）") else ""
        )
        lines.append(
            " | ".join(
                [
                    r.project_id,
                    r.unit,
                    r.name,
                    PLAN_STATUS_LABELS[r.status],
                    _money(r.amount),
                    r.reason + article,
                ]
            )
        )
    return "\n".join(lines)


def _commitment_lines(plan: Plan) -> list[str]:
    """Out-year money (多年度资金需求) for the pools that have any beyond the plan year or any
    commitments carried in."""
    table = commitments(plan)
    if table.empty or (plan.scenario.horizon == 1 and not (table["carried"] != 0).any()):
        return []
    lines = [PLAN_TEXT["commitments_header"]]
    for pool in sorted(table["pool"].unique(), key=lambda name: (name != LEVEL_CITY, name)):
        rows = table[table["pool"] == pool]
        if not (rows["total"] != 0).any():
            continue
        cells = [
            PLAN_TEXT["commitment_cell"].format(
                year=r.year,
                construction=_money(r.construction),
                om=_money(r.om),
                carried=_money(r.carried),
                total=_money(r.total),
                ceiling=_money(r.ceiling) if r.ceiling is not None else PLAN_TEXT["unlimited"],
                over=PLAN_TEXT["over"] if r.over_ceiling or r.over_capacity else "",
            )
            for r in rows.itertuples()
        ]
        lines.append(PLAN_TEXT["pool_row"].format(pool=pool, cells="；".join(cells)))
    return lines


def risk_text(risk: pd.DataFrame, draws: int, seed: int, bound: float, article: str) -> str:
    """The Monte Carlo table: pools with a ceiling, P50 / P90 spend and P(exceed) by year."""
    lines = [PLAN_TEXT["risk_header"].format(draws=draws, seed=seed, bound=bound, article=article)]
    shown = risk[risk["ceiling"].notna() & (risk["planned"] > 0)]
    for pool in sorted(shown["pool"].unique(), key=lambda name: (name != LEVEL_CITY, name)):
        cells = [
            PLAN_TEXT["risk_cell"].format(
                year=r.year,
                p50=_money(r.p50),
                p90=_money(r.p90),
                ceiling=_money(r.ceiling),
                p=f"{r.p_exceed:.0%}",
            )
            for r in shown[shown["pool"] == pool].itertuples()
        ]
        lines.append(PLAN_TEXT["pool_row"].format(pool=pool, cells="；".join(cells)))
    return "\n".join(lines)


def risk_records(risk: pd.DataFrame) -> list[dict[str, object]]:
    return _frame_records(risk)


def _frame_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _plain(value: object) -> object:
    """:func:`plain`, with a non-finite number (a slack against no ceiling) as None: ``plain``
    would write it as the text "Infinity"."""
    return plain(strict(value))


def _start_year(plan: Plan, project_id: str, status: str) -> int | None:
    """The year the project's money starts: the plan year when selected, the next year when a
    rolling plan defers it, none otherwise."""
    if project_id in plan.solution.deferred:
        return plan.scenario.plan_year + 1
    return plan.scenario.plan_year if status in SELECTED_STATUSES else None


def plan_json(plan: Plan) -> dict[str, object]:
    selected = plan.selected
    payload = {
        "status": plan.status,
        "objective": plan.objective,
        "projects": [
            {
                "project_id": r.project_id,
                "status": r.status,
                "reason": r.reason,
                "article": r.article,
                "amount": _plain(r.amount),
                "value": round(r.value, 4),
                "funding_pool": r.funding_pool,
                "unit": r.unit,
                "category": r.category_effective,
                "start_year": _start_year(plan, r.project_id, r.status),
            }
            for r in plan.projects.itertuples()
        ],
        "totals": {
            "selected_projects": len(selected),
            "amount": plain(sum((to_decimal(a) for a in selected["amount"]), to_decimal(0))),
            "by_pool_year": _frame_records(plan.totals_by_pool_year()),
            "by_category": _frame_records(plan.totals("category_effective")),
            "by_level": _frame_records(plan.totals("level")),
            "by_unit": _frame_records(plan.totals("unit")),
        },
        "constraints": _frame_records(plan.constraints),
        "commitments": _frame_records(commitments(plan)),
        "diagnosis": plan.diagnosis,
        "om_interruption_risks": [
            {
                "project_id": r.project_id,
                "unit": r.unit,
                "amount": _plain(r.amount),
                "message": r.message,
            }
            for r in plan.om_interruption.itertuples()
        ],
        "solver": plan.solver,
        "scenario": {
            "name": plan.scenario.name,
            "path": plan.scenario.path,
            "plan_year": plan.scenario.plan_year,
            "horizon": plan.scenario.horizon,
        },
        "provenance": plan.provenance,
    }
    return strict(payload)  # type: ignore[return-value]


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if "status" in out:
        out["status"] = out["status"].map(PLAN_STATUS_LABELS)
    return safe_frame(out.rename(columns=PLAN_COLUMNS))


def write_plan_csv(
    plan: Plan, path: str | Path, hidden: set[str] | frozenset[str] = frozenset()
) -> Path:
    """Every candidate with its status and reason as CSV (UTF-8 with BOM, which Excel and WPS
    open in Chinese), for other tools; ``hidden`` projects' names are withheld (涉密)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    projects = plan.projects.assign(
        value=plan.projects["value"].round(2),
        value_per_wan=plan.projects["value_per_wan"].round(4),
    )
    projects.loc[projects["project_id"].isin(hidden), "name"] = REPORT_LABELS["redacted_name"]
    _labelled(projects).to_csv(path, index=False, encoding="utf-8-sig")
    return path


__all__ = ["SELECTED_STATUSES", "plan_json", "plan_text", "write_plan_csv"]
