"""The efficient frontier (效益-资金前沿): the best plan value as one pool's ceiling in one year
sweeps from what the forced projects need to what every eligible candidate asks for, with the
projects that enter at each step.

Each point is an exact solve. The sweep runs in ascending order in one solver instance (HiGHS
keeps the model; each step changes one bound and starts from the previous plan), and can be
split over processes. New processes are *spawned*, never forked: HiGHS in a child forked from a
parent that already used HiGHS silently returns an error status.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import pandas as pd

from workbench.labels import LEVEL_CITY
from workbench.planner.model import (
    DEFAULT_CHOICE,
    Problem,
    Solution,
    SolverChoice,
    min_spend,
    sweep_ceiling,
)

FRONTIER_COLUMNS = ("ceiling", "status", "value", "projects", "used", "entering", "leaving")


def ceiling_range(
    problem: Problem, pool: str, year: int, choice: SolverChoice = DEFAULT_CHOICE
) -> tuple[float, float]:
    """From the least any plan must spend there (the forced projects, and whatever the other
    constraints, such as a minimum O&M share, require) to the spend of every candidate not kept
    out. When no plan exists at any ceiling, the low end is the forced projects' spend."""
    out = problem.excluded | problem.forced_out
    spend = {i: a for (i, q, y), a in problem.spend.items() if q == pool and y == year}
    forced = sum(a for i, a in spend.items() if i in problem.forced_in)
    high = sum(a for i, a in spend.items() if i not in out)
    least = min_spend(problem, pool, year, choice)
    low = forced if least is None else max(least, forced)
    return low, max(high, low)


def _chunks(points: list[float], workers: int) -> list[list[float]]:
    # Interleaved, so that every worker gets easy (low, high) and hard (middle) points alike.
    return [points[k::workers] for k in range(workers) if points[k::workers]]


def frontier(
    problem: Problem,
    *,
    pool: str = LEVEL_CITY,
    year: int | None = None,
    points: int = 30,
    choice: SolverChoice = DEFAULT_CHOICE,
    workers: int = 1,
) -> pd.DataFrame:
    """Value against ceiling over ``points`` evenly spaced ceilings of ``(pool, year)``."""
    year = year or problem.plan_year
    low, high = ceiling_range(problem, pool, year, choice)
    step = (high - low) / max(points - 1, 1)
    ceilings = [round(low + k * step, 2) for k in range(points)]
    if (pool, year) not in problem.ceilings:
        problem = replace(problem, ceilings={**problem.ceilings, (pool, year): high})
    if workers > 1:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool_:
            parts = list(
                pool_.map(
                    _sweep, [(problem, pool, year, c, choice) for c in _chunks(ceilings, workers)]
                )
            )
        solved = sorted((s for part in parts for s in part), key=lambda pair: pair[0])
    else:
        solved = _sweep((problem, pool, year, ceilings, choice))
    return _table(problem, pool, year, solved)


def _sweep(
    args: tuple[Problem, str, int, list[float], SolverChoice],
) -> list[tuple[float, Solution]]:
    problem, pool, year, ceilings, choice = args
    ordered = sorted(ceilings)
    return list(zip(ordered, sweep_ceiling(problem, pool, year, ordered, choice), strict=True))


def _table(
    problem: Problem, pool: str, year: int, solved: list[tuple[float, Solution]]
) -> pd.DataFrame:
    rows = []
    previous: frozenset[str] = frozenset()
    for ceiling, solution in solved:
        chosen = solution.selected
        used = sum(
            a for (i, q, y), a in problem.spend.items() if q == pool and y == year and i in chosen
        )
        rows.append(
            {
                "ceiling": ceiling,
                "status": solution.status,
                "value": solution.objective,
                "projects": len(chosen),
                "used": round(used, 2),
                "entering": tuple(sorted(chosen - previous)),
                "leaving": tuple(sorted(previous - chosen)),
            }
        )
        if solution.status in ("optimal", "time_limit"):
            previous = chosen
    return pd.DataFrame(rows, columns=list(FRONTIER_COLUMNS))
