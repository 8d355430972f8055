"""From checked, scored candidates and a scenario to the plain :class:`~workbench.planner.model.Problem`.

This is where the measures meet the model: hard findings keep a project out, in-principle ones
too unless the scenario sets them aside with a reason (第六条第（七）项 "原则上"), mandated projects
(第十一条) and O&M of running systems (第二十五条) are forced in unless a hard finding forbids it,
and the scenario's own lists, envelopes, caps and toggles are applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from workbench.labels import CATEGORY_OM, SCENARIO_MESSAGES
from workbench.planner.model import Envelope, Problem
from workbench.planner.spend import spend_profile
from workbench.policy import CheckResult
from workbench.policy.context import flag
from workbench.scenario import Scenario, ScenarioError

HARD = "exclude"
SOFT = "exclude_in_principle"


class Blocking(NamedTuple):
    """A finding that keeps a project out of the plan (exclude, or in principle and not set
    aside), as the explanations quote it."""

    rule: str
    article: str
    severity: str
    message: str


@dataclass
class Prepared:
    """The problem plus what the explanations need to know about how it was made."""

    problem: Problem
    candidates: pd.DataFrame  # sorted by project_id, indexed by it
    spend: pd.DataFrame  # long spend profile (spend.SPEND_COLUMNS)
    exclusions: dict[str, tuple[Blocking, ...]]  # id → its exclude / unset-aside findings
    forced_reason: dict[str, str]  # id → "mandated" | "existing_om" | "user"
    forced_not_applied: set[str]  # default force-in blocked by a hard finding
    user_reasons: dict[str, str]  # force in / out reasons
    overrides: dict[str, str]  # id → reason (in-principle findings set aside)
    unknown_dependencies: dict[str, list[str]] = field(default_factory=dict)
    carried: dict[tuple[str, int], float] = field(default_factory=dict)


def carried_by_pool_year(carried: pd.DataFrame | None) -> dict[tuple[str, int], float]:
    """Commitments already made (earlier plans' later years, running O&M contracts) by pool
    and year: they come off the ceilings before any new project is chosen."""
    if carried is None or carried.empty:
        return {}
    grouped = carried.groupby(["pool", "year"], sort=True)["amount"].apply(lambda s: sum(s))
    return {(str(pool), int(year)): float(amount) for (pool, year), amount in grouped.items()}


def _by_project(findings: pd.DataFrame) -> dict[str, tuple[Blocking, ...]]:
    """``findings`` by project (projects sorted, each project's findings in their order), read
    column by column: a ``groupby`` loop costs ~0.2 ms a project, 10 000 projects two seconds."""
    grouped: dict[str, list[Blocking]] = {}
    columns = (findings[c].tolist() for c in ("project_id", *Blocking._fields))
    for pid, *finding in zip(*columns, strict=True):
        grouped.setdefault(pid, []).append(Blocking(*finding))
    return {pid: tuple(grouped[pid]) for pid in sorted(grouped)}


def prepare(
    check: CheckResult, values: pd.Series, scenario: Scenario, carried: pd.DataFrame | None = None
) -> Prepared:
    cands = check.candidates.sort_values("project_id", kind="stable").set_index(
        "project_id", drop=False
    )
    ids = tuple(cands.index)
    _check_named_projects(scenario, set(ids))
    findings = check.findings
    overrides = {d.project_id: d.reason for d in scenario.overrides}

    blocking = findings[findings["severity"].isin([HARD, SOFT])]
    blocking = blocking[~((blocking["severity"] == SOFT) & blocking["project_id"].isin(overrides))]
    exclusions = _by_project(blocking)

    forced_reason: dict[str, str] = {}
    forced_not_applied: set[str] = set()
    toggles = scenario.toggles
    defaults = []
    if toggles.force_in_mandated:
        defaults.append(("mandated", flag(cands, "mandated")))
    if toggles.force_in_existing_om:
        defaults.append(
            (
                "existing_om",
                flag(cands, "existing_om") & (cands["category_effective"] == CATEGORY_OM),
            )
        )
    for reason, mask in defaults:
        for pid in cands.index[mask]:
            if pid in exclusions:
                forced_not_applied.add(pid)
            else:
                forced_reason.setdefault(pid, reason)
    user_reasons = {}
    for d in scenario.force_in:
        forced_reason[d.project_id] = "user"
        user_reasons[d.project_id] = d.reason
    forced_out = {d.project_id for d in scenario.force_out}
    user_reasons.update({d.project_id: d.reason for d in scenario.force_out})
    for pid in forced_out:
        forced_reason.pop(pid, None)

    spend = spend_profile(cands.reset_index(drop=True), scenario)
    grouped = spend.groupby(["project_id", "pool", "year"], sort=True)["amount"].sum()
    spend_map = {key: float(amount) for key, amount in grouped.items()}

    known = set(ids)
    dependencies: list[tuple[str, str]] = []
    unknown: dict[str, list[str]] = {}
    if toggles.dependencies:
        for pid, deps in cands["depends_on"].items():
            for required in deps or ():
                if required in known:
                    dependencies.append((pid, required))
                else:
                    unknown.setdefault(pid, []).append(required)

    domains: dict[str, tuple[str, ...]] = {}
    if toggles.one_domain_one_platform:
        adding = cands[(cands["new_systems"].fillna(0) > 0) & cands["domain"].notna()]
        for domain, group in adding.groupby("domain", sort=True):
            if len(group) > 1:
                domains[str(domain)] = tuple(group.index)

    system_delta = None
    if toggles.system_count:
        delta = cands["new_systems"].fillna(0).astype(int) - cands["retired_systems"].fillna(
            0
        ).astype(int)
        system_delta = {pid: int(d) for pid, d in delta.items() if d}

    envelopes = []
    for k, env in enumerate(scenario.envelopes):
        year = env.year or scenario.plan_year
        scope = cands if env.pool is None else cands[cands["funding_pool"] == env.pool]
        envelopes.append(
            Envelope(
                key=f"e{k}",
                category=env.category,
                category_members=tuple(scope.index[scope["category_effective"] == env.category]),
                members=tuple(scope.index),
                pool=env.pool,
                year=year,
                min_amount=_float(env.min_amount),
                max_amount=_float(env.max_amount),
                min_share=_float(env.min_share),
                max_share=_float(env.max_share),
            )
        )
    unit_caps = {
        unit: (tuple(cands.index[cands["unit"] == unit]), float(cap))
        for unit, cap in scenario.unit_caps.items()
    }
    already = carried_by_pool_year(carried)
    ceilings = {
        (pool, year): float(amount) - already.get((pool, year), 0.0)
        for pool, by_year in scenario.ceilings.items()
        for year, amount in by_year.items()
    }
    problem = Problem(
        ids=ids,
        value={pid: float(values.get(pid, 0.0)) for pid in ids},
        spend=spend_map,
        ceilings=ceilings,
        forced_in=frozenset(forced_reason),
        # A user forcing in an excluded project keeps both constraints: the plan is then
        # infeasible and the diagnosis names the finding (exclusion is never silently dropped).
        excluded=frozenset(exclusions),
        forced_out=frozenset(forced_out),
        dependencies=tuple(sorted(dependencies)),
        domains=domains,
        system_delta=system_delta,
        envelopes=tuple(envelopes),
        unit_caps=unit_caps,
        plan_year=scenario.plan_year,
        deferrable=frozenset(
            set(ids) - set(forced_reason) - set(exclusions) - forced_out
            if scenario.deferral.allowed and scenario.horizon > 1
            else ()
        ),
        defer_factor=scenario.deferral.value_factor,
        last_year=scenario.years[-1],
    )
    return Prepared(
        problem=problem,
        candidates=cands,
        spend=spend,
        exclusions=exclusions,
        forced_reason=forced_reason,
        forced_not_applied=forced_not_applied,
        user_reasons=user_reasons,
        overrides={p: r for p, r in overrides.items() if p in known},
        unknown_dependencies=unknown,
        carried=already,
    )


def _check_named_projects(scenario: Scenario, known: set[str]) -> None:
    """Every project a scenario names must be a candidate: a typo would otherwise be ignored."""
    named = [
        (kind, d.project_id)
        for kind, decisions in (
            ("force_in", scenario.force_in),
            ("force_out", scenario.force_out),
            ("overrides", scenario.overrides),
        )
        for d in decisions
        if d.project_id not in known
    ]
    if named:
        items = "、".join(f"{kind}：{pid}" for kind, pid in named)
        raise ScenarioError(
            SCENARIO_MESSAGES["unknown_projects"].format(
                path=scenario.path or scenario.name, items=items
            )
        )


def _float(value: object) -> float | None:
    return None if value is None else float(value)
