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
from workbench.labels import COMPARE_TEXT, PLAN_STATUS_LABELS
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
        # The weights the model's values were computed with: a criterion no project has data
        # for (no expert scores yet) gives its weight to the others (workbench.scoring.scores).
        "applied": applied_weights(scores),
        "names": {k: names.get(k, k) for k in scores.weights},
        "consistency": None if scores.consistency is None else scores.consistency.as_dict(),
        "notes": list(scores.notes),
    }
    record_provenance(plan.provenance, scores.bureau)
    return plan, scores


def applied_weights(scores: Scores) -> dict[str, float]:
    """Each criterion's weight as applied, averaged over the projects the model scored (those
    the bureau gave an approved score are not scored by the model); where no criterion is
    missing for any project these are the model's weights."""
    effective = scores.effective_weights[list(scores.weights)]
    scored = effective[~scores.given.reindex(effective.index, fill_value=False)]
    if scored.empty:
        return {k: round(v, 4) for k, v in scores.weights.items()}
    return {k: round(float(v), 4) for k, v in scored.mean(axis=0).items()}


@dataclass(frozen=True)
class Comparison:
    names: tuple[str, ...]
    summary: pd.DataFrame  # one row per scenario
    # Projects whose outcome is not the same in every scenario: in this year's plan, started a
    # year later by a rolling plan, or out. Per scenario: ``status:`` (the plan's status code),
    # ``start_year:`` (plan year, next year when deferred, None when out), ``reason:``.
    differences: pd.DataFrame
    by_unit: pd.DataFrame  # plan-year amount per unit and scenario
    by_category: pd.DataFrame  # plan-year amount per category and scenario
    commitments: pd.DataFrame  # spend per year (and kind) and scenario
    plan_year: int | None = None

    def status_labels(self, name: str) -> pd.Series:
        """Scenario ``name``'s outcome for each row of :attr:`differences`, in words: the
        status label, or 推迟至Y+1年度启动 for a start a rolling plan defers (the status code
        alone says 未安排, which would misstate the plan to the meeting)."""
        return status_labels(self.differences, name, self.plan_year)


def status_labels(frame: pd.DataFrame, name: str, plan_year: int | None) -> pd.Series:
    """The ``status:{name}`` column of ``frame`` in words, deferred starts (``start_year:{name}``
    after ``plan_year``) as 推迟至{start_year}年度启动."""
    labels = frame[f"status:{name}"].map(PLAN_STATUS_LABELS)
    column = f"start_year:{name}"
    if column not in frame or plan_year is None:
        return labels
    start = frame[column]
    later = start.notna() & (start.fillna(plan_year) > plan_year)
    deferred = start[later].map(lambda year: COMPARE_TEXT["status_deferred"].format(year=year))
    return labels.where(~later, deferred)


def start_year(plan: Plan, project_id: str) -> int | None:
    """The year the project's money starts in ``plan``: the plan year when it is in this year's
    plan, the next year when a rolling plan defers it, None when it is out."""
    if project_id in plan.solution.deferred:
        return plan.scenario.plan_year + 1
    if project_id in plan.solution.selected:
        return plan.scenario.plan_year
    return None


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
        base[f"start_year:{name}"] = pd.Series(
            [start_year(plan, pid) for pid in p.index], index=p.index, dtype=object
        )
        base[f"reason:{name}"] = p["reason"]
    # A project differs when it is in this year's plan in some scenarios and not in others, or
    # when a rolling plan starts it a year later: the start year says both.
    starts = base[[f"start_year:{n}" for n in names]]
    differs = starts.nunique(axis=1, dropna=False) > 1
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
        plan_year=first.scenario.plan_year,
    )
