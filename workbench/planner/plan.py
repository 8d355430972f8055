"""The annual plan (年度计划（草案）): draft it and explain it. What forcing a project in costs
(``why``, ``why_cuts``) is asked in :mod:`workbench.planner.displacement`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from workbench.labels import DIAGNOSIS
from workbench.planner import diagnose
from workbench.planner.explain import (
    OM_RISK_COLUMNS,
    Selection,
    envelope_broken,
    envelope_text,
    om_interruption_risks,
    om_interruption_text,
    project_table,
)
from workbench.planner.model import Problem, Solution, SolverChoice, SolverUnavailable, build, solve
from workbench.planner.prepare import Prepared, prepare
from workbench.policy import CheckResult
from workbench.scenario import Scenario

SELECTED_STATUSES = ("selected", "forced_in")
CONSTRAINT_COLUMNS = ("constraint", "pool", "year", "limit", "used", "slack", "binding")


@dataclass(frozen=True)
class Plan:
    """A drafted plan. ``projects`` has one row per candidate (status, reason, article, value,
    amount); the other tables render the totals and constraints; ``diagnosis`` explains an
    infeasible plan in words, and names the running systems' O&M the rules keep out
    (``om_interruption``: project_id, unit, amount, message, action; 第二十五条) in any plan."""

    status: str
    objective: float | None
    projects: pd.DataFrame
    spend: pd.DataFrame  # selected projects' spend by pool, year, kind
    constraints: pd.DataFrame
    diagnosis: str
    solver: dict[str, object]
    scenario: Scenario
    prepared: Prepared = field(repr=False)
    solution: Solution = field(repr=False)
    provenance: dict[str, object] = field(default_factory=dict)
    om_interruption: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(OM_RISK_COLUMNS))
    )

    @property
    def selected(self) -> pd.DataFrame:
        return self.projects[self.projects["status"].isin(SELECTED_STATUSES)]

    def totals(self, by: str) -> pd.DataFrame:
        """Plan-year amounts of the selected projects by ``funding_pool``, ``category_effective``,
        ``unit`` or ``level``, with counts and value."""
        selected = self.selected
        grouped = selected.groupby(by, sort=True).agg(
            projects=("project_id", "size"), amount=("amount", "sum"), value=("value", "sum")
        )
        return grouped.reset_index()

    def totals_by_pool_year(self) -> pd.DataFrame:
        """Spend of the selected projects by pool and year, against the ceilings."""
        used = self.spend.groupby(["pool", "year"], sort=True)["amount"].sum()
        carried = self.prepared.carried
        rows = []
        keys = sorted(set(used.index) | set(self.prepared.problem.ceilings) | set(carried))
        for pool, year in keys:
            ceiling = self.scenario.ceilings.get(pool, {}).get(year)
            amount = used.get((pool, year), Decimal(0))
            already = Decimal(str(carried.get((pool, year), 0)))
            rows.append(
                {
                    "pool": pool,
                    "year": year,
                    "amount": amount,
                    "carried": already,
                    "ceiling": ceiling,
                    "slack": None if ceiling is None else ceiling - amount - already,
                }
            )
        return pd.DataFrame(rows, columns=["pool", "year", "amount", "carried", "ceiling", "slack"])

    def reason(self, project_id: str) -> str:
        return str(self.projects.loc[self.projects["project_id"] == project_id, "reason"].iloc[0])


def _choice(scenario: Scenario) -> SolverChoice:
    s = scenario.solver
    return SolverChoice(
        name=s.name,
        time_limit=s.time_limit,
        gap_rel=s.gap_rel,
        gap_abs=s.gap_abs,
        threads=s.threads,
    )


def _constraint_table(prepared: Prepared, solution: Solution) -> pd.DataFrame:
    """Every ceiling, the system count, each envelope bound and unit cap, with what the plan uses
    and its slack. A constraint *binds* when some eligible project left out would break it."""
    p = prepared.problem
    sel = Selection(prepared, solution.selected, solution.deferred)
    out_set = set(p.ids) - solution.selected - solution.deferred - p.excluded - p.forced_out
    out_of_plan = sorted(out_set)
    cheapest: dict[tuple[str, int], float] = {}
    for pid in out_of_plan:
        for pool, year, amount in sel.spend_of.get(pid, ()):
            cheapest[(pool, year)] = min(cheapest.get((pool, year), float("inf")), amount)
    rows = []
    for (pool, year), ceiling in sorted(p.ceilings.items()):
        slack = ceiling - sel.used.get((pool, year), 0.0)
        rows.append(
            {
                "constraint": "ceiling",
                "pool": pool,
                "year": year,
                "limit": ceiling,
                "used": ceiling - slack,
                "slack": slack,
                "binding": cheapest.get((pool, year), float("inf")) > slack + 1e-9
                and (pool, year) in cheapest,
            }
        )
    if p.system_delta is not None:
        net = sel.net_systems
        rows.append(
            {
                "constraint": "system_count",
                "pool": "",
                "year": p.plan_year,
                "limit": 0.0,
                "used": float(net),
                "slack": float(-net),
                "binding": net == 0,
            }
        )
    rows += _envelope_rows(sel, out_of_plan)
    for unit, (ids, cap) in sorted(p.unit_caps.items()):
        amount = sel.unit_used[unit]
        waiting = [sel.in_year(i, p.plan_year) for i in ids if i in out_set]
        rows.append(
            {
                "constraint": "unit_cap",
                "pool": unit,
                "year": p.plan_year,
                "limit": cap,
                "used": amount,
                "slack": cap - amount,
                "binding": bool(waiting) and min(waiting) > cap - amount + 1e-9,
            }
        )
    table = pd.DataFrame(rows, columns=list(CONSTRAINT_COLUMNS))
    for column in ("limit", "used", "slack"):  # 万元 (or a count): no binary noise in reports
        table[column] = table[column].astype(float).round(2)
    return table


def _envelope_rows(sel: Selection, out_of_plan: list[str]) -> list[dict]:
    """Each envelope bound: the category's spend against the amount the bound allows or requires
    (for a share, of the plan's own spend in that pool and year)."""
    rows = []
    for (env, _, _), (inside, everything) in zip(sel.envelopes, sel.envelope_use, strict=True):
        blocked = any(envelope_broken(sel, i) is env for i in out_of_plan)
        bounds = [
            ("min", env.min_amount),
            ("max", env.max_amount),
            ("min", None if env.min_share is None else env.min_share * everything),
            ("max", None if env.max_share is None else env.max_share * everything),
        ]
        for side, limit in bounds:
            if limit is None:
                continue
            slack = inside - limit if side == "min" else limit - inside
            rows.append(
                {
                    "constraint": "envelope",
                    "pool": envelope_text(env),
                    "year": env.year,
                    "limit": limit,
                    "used": inside,
                    "slack": slack,
                    "binding": blocked,
                }
            )
    return rows


def _selected_spend(prepared: Prepared, solution: Solution) -> pd.DataFrame:
    """The money the plan commits: its projects' spend, and the shifted spend of the projects a
    rolling plan starts a year later (what passes the horizon is not counted)."""
    spend = prepared.spend
    now = spend[spend["project_id"].isin(solution.selected)]
    later = spend[spend["project_id"].isin(solution.deferred)].assign(year=lambda f: f["year"] + 1)
    later = (
        later[later["year"] <= prepared.problem.last_year] if prepared.problem.last_year else later
    )
    return pd.concat([now, later], ignore_index=True)


def draft_plan(
    check: CheckResult,
    values: pd.Series,
    scenario: Scenario,
    *,
    carried: pd.DataFrame | None = None,
    provenance: dict[str, object] | None = None,
    history: Mapping[str, str] | None = None,
) -> Plan:
    """Draft the annual plan: the best total value the rules allow under the scenario.

    ``values`` is each project's value (its priority score), indexed by project_id.
    ``carried`` are commitments already made (the ``commitments`` intake table: pool, year,
    amount): they come off the ceilings first. ``history``: per project, what earlier plans
    decided (a sentence, e.g. from the register), added to its reason.
    """
    prepared = prepare(check, values, scenario, carried)
    plan = _solve_prepared(prepared, check, scenario, provenance or {})
    if history:
        said = plan.projects["project_id"].map(lambda pid: history.get(str(pid), ""))
        told = said != ""
        plan.projects.loc[told, "reason"] = (
            plan.projects.loc[told, "reason"].astype(str) + "；" + said[told]
        )
    return plan


def _solve_prepared(
    prepared: Prepared, check: CheckResult, scenario: Scenario, provenance: dict
) -> Plan:
    choice = _choice(scenario)
    diagnosis = ""
    built = build(prepared.problem)
    try:
        solution = solve(built, choice)
    except SolverUnavailable as exc:
        solution = Solution("error", frozenset(), None, None, None, str(exc), "", 0.0, 0.0)
        diagnosis = DIAGNOSIS["solver_missing"].format(solver=exc)
    if solution.status == "infeasible":
        diagnosis = diagnose.diagnosis(prepared, choice, built)
    elif solution.status == "error" and not diagnosis:
        diagnosis = diagnose.failure(prepared.problem, solution)
    om_risks = om_interruption_risks(prepared, check.findings, check.pack)
    diagnosis += om_interruption_text(om_risks, check.pack)
    projects = project_table(prepared, solution, check.pack, om_risks)
    solver = {
        "name": solution.solver,
        "version": solution.solver_version,
        "build_seconds": round(solution.build_seconds, 4),
        "solve_seconds": round(solution.solve_seconds, 4),
        # An infeasible model has no gap (HiGHS reports an infinite one): none, not Infinity.
        "gap": _finite(solution.gap),
        "bound": _finite(solution.bound),
        "time_limit": choice.time_limit,
        "gap_rel": choice.gap_rel,
        "gap_abs": choice.gap_abs,
    }
    return Plan(
        status=solution.status,
        objective=_finite(solution.objective),
        projects=projects,
        spend=_selected_spend(prepared, solution),
        constraints=_constraint_table(prepared, solution),
        diagnosis=diagnosis,
        solver=solver,
        scenario=scenario,
        prepared=prepared,
        solution=solution,
        provenance={
            **provenance,
            "drafted_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
        om_interruption=om_risks,
    )


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


__all__ = ["Plan", "Problem", "draft_plan"]
