"""Plans under several scenarios, side by side (情景对比).

:func:`plan_scenario` drafts one scenario's plan from a checked intake (scoring with the
scenario's weights, then the planner); :func:`compare` lines plans up: totals and value per
scenario, the projects whose status differs with each scenario's reason, the differences by unit
and by category, and the out-year commitments (spend by year of the horizon).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from workbench.intake import IntakeResult
from workbench.planner import Plan, draft_plan
from workbench.planner.plan import SELECTED_STATUSES
from workbench.policy import CheckResult
from workbench.scenario import Scenario
from workbench.scoring import Scores, load_scoring, read_scores, record_provenance, score


def plan_scenario(
    check: CheckResult,
    scenario: Scenario,
    *,
    systems: pd.DataFrame | None = None,
    carried: pd.DataFrame | None = None,
    provenance: dict[str, object] | None = None,
    bureau_scores: IntakeResult | None = None,
    history: Mapping[str, str] | None = None,
) -> tuple[Plan, Scores]:
    """Score the candidates with the scenario's model and weights, and draft its plan.
    ``bureau_scores``: the bureau's scores table (``read_scores``); without it, the file the
    scenario names under ``scores:``, if any. ``history``: earlier plans' decisions per project
    (the register's), added to the reasons."""
    model = load_scoring(scenario.scoring)
    if scenario.weights:
        model = model.with_weights(scenario.weights)
    if bureau_scores is None and scenario.scores:
        bureau_scores = read_scores([scenario.scores], check.candidates)
    scores = score(check.candidates, model, systems=systems, bureau_scores=bureau_scores)
    plan = draft_plan(
        check, scores.value, scenario, carried=carried, provenance=provenance, history=history
    )
    names = {c.key: c.name for c in model.criteria}
    plan.provenance["scoring"] = {
        "model": model.id,
        "source": scores.source,
        "weights": {k: round(v, 4) for k, v in scores.weights.items()},
        "names": {k: names.get(k, k) for k in scores.weights},
        "consistency": None if scores.consistency is None else scores.consistency.as_dict(),
        "notes": list(scores.notes),
    }
    record_provenance(plan.provenance, scores.bureau)
    return plan, scores


@dataclass(frozen=True)
class Comparison:
    names: tuple[str, ...]
    summary: pd.DataFrame  # one row per scenario
    differences: pd.DataFrame  # projects whose status is not the same in every scenario
    by_unit: pd.DataFrame  # plan-year amount per unit and scenario
    by_category: pd.DataFrame  # plan-year amount per category and scenario
    commitments: pd.DataFrame  # spend per year (and kind) and scenario


def _money(values: pd.Series) -> Decimal:
    return sum((Decimal(str(v)) for v in values), Decimal(0))


def _amounts(plans: dict[str, Plan], by: str) -> pd.DataFrame:
    frames = []
    for name, plan in plans.items():
        selected = plan.selected
        grouped = selected.groupby(by)["amount"].apply(_money).rename(name)
        frames.append(grouped)
    table = pd.concat(frames, axis=1).fillna(Decimal(0)) if frames else pd.DataFrame()
    return table.sort_index().reset_index().rename(columns={"index": by})


def compare(plans: dict[str, Plan]) -> Comparison:
    """Line up plans drafted from the same intake under different scenarios (name → plan)."""
    names = tuple(plans)
    summary = pd.DataFrame(
        [
            {
                "scenario": name,
                "status": plan.status,
                "objective": plan.objective,
                "selected": int(plan.projects["status"].isin(SELECTED_STATUSES).sum()),
                "forced_in": int((plan.projects["status"] == "forced_in").sum()),
                "not_selected": int((plan.projects["status"] == "not_selected").sum()),
                "deferred": len(plan.solution.deferred),
                "excluded": int((plan.projects["status"] == "excluded").sum()),
                "amount": _money(plan.selected["amount"]),
                "diagnosis": plan.diagnosis,
            }
            for name, plan in plans.items()
        ]
    )
    first = next(iter(plans.values()))
    base = first.projects[["project_id", "name", "unit"]].set_index("project_id")
    for name, plan in plans.items():
        p = plan.projects.set_index("project_id")
        base[f"status:{name}"] = p["status"]
        base[f"reason:{name}"] = p["reason"]
    statuses = base[[f"status:{n}" for n in names]]
    chosen = statuses.isin(SELECTED_STATUSES)
    differs = chosen.nunique(axis=1) > 1
    differences = base[differs].reset_index()

    years = []
    for name, plan in plans.items():
        spend = plan.spend.groupby(["year", "kind"])["amount"].apply(_money).rename(name)
        years.append(spend)
    commitments = pd.concat(years, axis=1).fillna(Decimal(0)).sort_index().reset_index()
    return Comparison(
        names=names,
        summary=summary,
        differences=differences,
        by_unit=_amounts(plans, "unit"),
        by_category=_amounts(plans, "category_effective"),
        commitments=commitments,
    )
