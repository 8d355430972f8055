"""Whose ceilings a plan is drafted under: the scenario must be written for this intake.

The shipped scenarios hold the embedded sample's pools and ceilings. On anyone else's intake they
would silently shape the plan (a district's ceiling from the sample, the sample's O&M envelope),
so on input that is not the sample a scenario marked ``sample: true`` is refused, and every pool
with candidates needs a ceiling in every year of the horizon its candidates ask money for.
``workbench scenario init`` writes the skeleton to fill in (:mod:`workbench.report.skeleton`).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from workbench.labels import COVERAGE_MESSAGES
from workbench.money import format_wan_exact
from workbench.planner.spend import spend_profile
from workbench.policy import CheckResult
from workbench.scenario import Scenario, ScenarioError


class ScenarioNotForThisInput(ScenarioError):
    """The scenario does not cover (or was not written for) the input; the message is Chinese."""


def demand(check: CheckResult, scenario: Scenario) -> pd.DataFrame:
    """What the candidates ask of each pool in each year of the scenario's horizon: columns
    pool, year, construction, om, amount, projects (exact Decimals of 万元)."""
    spend = spend_profile(check.candidates, scenario)
    if spend.empty:
        return pd.DataFrame(columns=["pool", "year", "construction", "om", "amount", "projects"])
    by_kind = spend.pivot_table(
        index=["pool", "year"], columns="kind", values="amount", aggfunc=lambda s: sum(s)
    )
    out = pd.DataFrame(index=by_kind.index)
    for kind in ("construction", "om"):
        column = by_kind[kind] if kind in by_kind else pd.Series(Decimal(0), index=by_kind.index)
        out[kind] = column.map(lambda v: Decimal(0) if pd.isna(v) else v)
    out["amount"] = out["construction"] + out["om"]
    out["projects"] = spend.groupby(["pool", "year"])["project_id"].nunique()
    return out.reset_index().sort_values(["pool", "year"], kind="stable").reset_index(drop=True)


def uncovered(check: CheckResult, scenario: Scenario) -> pd.DataFrame:
    """The pool-years the candidates ask money of for which the scenario gives no ceiling.
    Projects a hard rule excludes ask nothing of the plan and are left out of the count."""
    hard = set(check.findings.loc[check.findings["severity"] == "exclude", "project_id"])
    open_candidates = check.candidates[~check.candidates["project_id"].isin(hard)]
    asked = demand(
        CheckResult(
            candidates=open_candidates,
            findings=check.findings,
            pack=check.pack,
            plan_year=check.plan_year,
            reference_date=check.reference_date,
        ),
        scenario,
    )
    covered = {(pool, year) for pool, by_year in scenario.ceilings.items() for year in by_year}
    missing = [
        (pool, year) not in covered and amount > 0
        for pool, year, amount in zip(asked["pool"], asked["year"], asked["amount"], strict=True)
    ]
    return asked[missing].reset_index(drop=True)


def require_scenario_for_input(
    check: CheckResult, scenario: Scenario, *, using_sample: bool, command: str
) -> None:
    """Refuse to plan someone's own intake under the sample's scenario or under a scenario that
    leaves a pool with candidates without a ceiling. ``command`` is what writes a skeleton for
    this input (shown in the message). Raises :class:`ScenarioNotForThisInput`."""
    if using_sample:
        return
    if scenario.sample:
        raise ScenarioNotForThisInput(
            COVERAGE_MESSAGES["sample_scenario"].format(name=scenario.name, command=command)
        )
    missing = uncovered(check, scenario)
    if missing.empty:
        return
    items = "；".join(
        COVERAGE_MESSAGES["item"].format(
            pool=row.pool, year=row.year, amount=format_wan_exact(row.amount), projects=row.projects
        )
        for row in missing.itertuples()
    )
    raise ScenarioNotForThisInput(
        COVERAGE_MESSAGES["uncovered"].format(name=scenario.name, items=items, command=command)
    )
