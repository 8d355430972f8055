"""Infeasibility explained in words (DESIGN §5): never a bare solver status.

The constraints of the model come in groups (a pool's ceiling in one year, the force-in list,
the exclusions, the dependencies, the system count, each envelope and unit cap). A *deletion
filter* over the groups (Chinneck's method, applied to groups rather than rows) finds a minimal
set that cannot be satisfied together: drop each group in turn and keep it dropped when the rest
is still infeasible. What remains is then said with the amounts it is about.

The model is built once and kept in HiGHS (:func:`~workbench.planner.model.feasibility_model`):
dropping a group frees its rows' bounds, keeping it restores them, so the filter costs one
HiGHS run per group and no rebuild (62 groups at 10 000 candidates: benchmarks/README.md). The
diagnosis always uses HiGHS, whichever solver drafted the plan: it only asks whether a plan
exists, and CBC would have to be rebuilt and re-run for each question.
"""

from __future__ import annotations

import math
from decimal import Decimal

from workbench.labels import DIAGNOSIS
from workbench.money import format_wan
from workbench.planner.explain import envelope_text, listed
from workbench.planner.model import (
    LARGEST_ENTRY,
    Built,
    Envelope,
    Problem,
    Solution,
    SolverChoice,
    feasibility_model,
    out_of_range,
)
from workbench.planner.prepare import Prepared

# Groups tried first for removal are the ones least likely to be the user's intent to keep:
# deleting in this order leaves the conflict stated in terms of ceilings and forced projects.
_ORDER = {
    "envelope": 0,
    "unit_cap": 1,
    "one_domain": 2,
    "dependencies": 3,
    "system_count": 4,
    "force_out": 5,
    "exclusion": 6,
    "ceiling": 7,
    "force_in": 8,
}


def conflicting_groups(
    prepared: Prepared, choice: SolverChoice, built: Built | None = None
) -> list[tuple]:
    """A minimal set of constraint groups that admits no plan. ``built``: the model the plan was
    solved with, taken over when HiGHS holds it."""
    model = feasibility_model(prepared.problem, choice, built)
    if model.highs is None:  # HiGHS refused the model: no conflict can be named
        return []
    groups = sorted(model.groups, key=lambda g: (_ORDER.get(g[0], 9), g))
    keep = list(groups)
    for group in groups:
        trial = [g for g in keep if g != group]
        if not model.feasible(set(trial)):
            keep = trial
    return keep


def diagnosis(prepared: Prepared, choice: SolverChoice, built: Built | None = None) -> str:
    """Why no plan exists, in words (DESIGN §5)."""
    groups = conflicting_groups(prepared, choice, built)
    return explain(prepared, groups) if groups else DIAGNOSIS["conflict_unknown"]


def failure(problem: Problem, solution: Solution) -> str:
    """Why the solver gave no plan when it stopped or failed, in words: a time limit reached
    without a plan, or a solver that raised (naming the amounts beyond what it can take)."""
    if not solution.failure:
        text = DIAGNOSIS["not_solved"].format(solver=solution.solver)
    else:
        text = DIAGNOSIS["solver_failed"].format(solver=solution.solver)
    beyond = out_of_range(problem)
    if beyond:
        items = listed([f"{pid}（{_amount(a)}万元）" for pid, a in beyond.items()])
        limit = f"{int(LARGEST_ENTRY):,}"
        text += "。" + DIAGNOSIS["out_of_range"].format(limit=limit, items=items)
    return text


def _amount(value: float) -> str:
    return format_wan(Decimal(repr(value))) if math.isfinite(value) else "—"


def _ids(ids: list[str]) -> str:
    return listed(ids)


def explain(prepared: Prepared, groups: list[tuple]) -> str:
    """The conflicting groups as Chinese sentences with their amounts."""
    p = prepared.problem
    kinds = {g[0] for g in groups}
    forced = sorted(p.forced_in)
    sentences: list[str] = []
    said_force_in = False
    for group in groups:
        kind = group[0]
        if kind == "ceiling":
            _, pool, year = group
            ceiling = p.ceilings[(pool, year)]
            carried = prepared.carried.get((pool, year), 0.0)
            if carried:
                sentences.append(
                    DIAGNOSIS["carried"].format(
                        pool=pool,
                        year=year,
                        carried=format_wan(Decimal(str(round(carried, 2)))),
                        ceiling=format_wan(Decimal(str(round(ceiling + carried, 2)))),
                        net=format_wan(Decimal(str(round(ceiling, 2)))),
                    )
                )
            if "force_in" in kinds:
                spend = {i: p.spend.get((i, pool, year), 0.0) for i in forced}
                spenders = [i for i in forced if spend[i]]
                total = sum(Decimal(str(spend[i])) for i in spenders)
                sentences.append(
                    DIAGNOSIS["ceiling_forced"].format(
                        pool=pool,
                        year=year,
                        forced=format_wan(total),
                        ids=_ids(spenders),
                        ceiling=format_wan(ceiling),
                    )
                )
                said_force_in = True
            else:
                sentences.append(
                    DIAGNOSIS["ceiling"].format(pool=pool, year=year, ceiling=format_wan(ceiling))
                )
        elif kind == "system_count":
            if "force_in" in kinds:
                delta = p.system_delta or {}
                new = int(prepared.candidates.loc[forced, "new_systems"].fillna(0).sum())
                retired = int(prepared.candidates.loc[forced, "retired_systems"].fillna(0).sum())
                net = sum(delta.get(i, 0) for i in forced)
                sentences.append(
                    DIAGNOSIS["system_count"].format(new=new, retired=retired, net=net)
                )
                said_force_in = True
            else:
                sentences.append(DIAGNOSIS["system_count_plain"])
        elif kind == "exclusion":
            items = []
            for pid in forced:
                if pid in prepared.exclusions:
                    first = prepared.exclusions[pid][0]
                    items.append(f"{pid}（{first.article}：{first.message}）")
            if not items:
                items = [f"{pid}" for pid in sorted(p.excluded)[:10]]
            sentences.append(DIAGNOSIS["exclusion"].format(items=listed(items, "；")))
        elif kind == "dependencies":
            chains = _dependency_chains(prepared)
            sentences.append(DIAGNOSIS["dependencies"].format(items=listed(chains, "；") or "—"))
        elif kind == "one_domain":
            items = [
                f"{d}：{_ids([i for i in ids if i in p.forced_in])}"
                for d, ids in sorted(p.domains.items())
                if sum(i in p.forced_in for i in ids) > 1
            ]
            sentences.append(DIAGNOSIS["one_domain"].format(items=listed(items, "；") or "—"))
        elif kind == "force_out":
            sentences.append(DIAGNOSIS["force_out"].format(ids=_ids(sorted(p.forced_out))))
        elif kind == "envelope":
            sentences.append(
                DIAGNOSIS["envelope"].format(name=envelope_text(_envelope(prepared, group[1])))
            )
        elif kind == "unit_cap":
            unit = group[1]
            sentences.append(
                DIAGNOSIS["unit_cap"].format(unit=unit, cap=format_wan(p.unit_caps[unit][1]))
            )
        elif kind == "force_in" and not said_force_in:
            sentences.append(DIAGNOSIS["force_in"].format(ids=_ids(forced)))
    return DIAGNOSIS["intro"] + "；".join(dict.fromkeys(sentences)) + "。"


def _dependency_chains(prepared: Prepared) -> list[str]:
    p = prepared.problem
    out = []
    for dependent, required in p.dependencies:
        if dependent not in p.forced_in:
            continue
        if required in p.excluded or required in p.forced_out:
            why = DIAGNOSIS["why_excluded_short" if required in p.excluded else "why_forced_out"]
            out.append(
                DIAGNOSIS["dependency_excluded"].format(
                    dependent=dependent, required=required, why=why
                )
            )
    return out


def _envelope(prepared: Prepared, key: str) -> Envelope:
    return next(e for e in prepared.problem.envelopes if e.key == key)
