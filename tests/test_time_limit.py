"""A plan stopped by the time limit says so and states its gap; it is never called optimal."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.labels import SOLVE_STATUS_LABELS
from workbench.planner.model import SolverChoice, build, solve

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import synthetic_problem


def test_a_time_limited_solve_reports_time_limit_and_its_gap():
    # 5 000 candidates over three years: HiGHS does not prove this within a minute here
    # (benchmarks/README.md), so one second always stops it with a plan in hand.
    problem = synthetic_problem(5000, seed=1)
    solution = solve(build(problem), SolverChoice(time_limit=1.0))
    assert solution.status == "time_limit"
    assert solution.gap is not None and solution.gap > 0
    assert solution.objective is not None and solution.objective <= solution.bound + 1e-6
    assert "未证明最优" in SOLVE_STATUS_LABELS[solution.status]
