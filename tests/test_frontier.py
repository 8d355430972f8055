"""The efficient frontier: each point equals an independent exact solve; value never falls as
the ceiling rises; the projects entering at each step are listed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from test_planner_bruteforce import needs_cbc, problems

from workbench.planner.frontier import ceiling_range, frontier
from workbench.planner.model import Problem, SolverChoice, build, solve


def problem() -> Problem:
    ids = tuple(f"P{i}" for i in range(8))
    costs = [120, 80, 200, 50, 300, 90, 60, 150]
    values = [60, 50, 70, 20, 90, 40, 35, 55]
    return Problem(
        ids=ids,
        value=dict(zip(ids, map(float, values), strict=True)),
        spend={(i, "市本级", 2027): float(c) for i, c in zip(ids, costs, strict=True)},
        ceilings={("市本级", 2027): 400.0},
        forced_in=frozenset({"P3"}),
        excluded=frozenset({"P7"}),
        dependencies=(("P5", "P1"),),
        plan_year=2027,
    )


@pytest.mark.parametrize("solver", ["highs", pytest.param("cbc", marks=needs_cbc)])
def test_each_point_is_the_exact_optimum_at_its_ceiling(solver):
    p = problem()
    table = frontier(p, points=7, choice=SolverChoice(name=solver))
    low, high = ceiling_range(p, "市本级", 2027)
    assert (low, high) == (50.0, 900.0)  # the forced P3 .. everything but the excluded P7
    assert table["ceiling"].tolist()[0] == low and table["ceiling"].tolist()[-1] == high
    for row in table.itertuples():
        expected = solve(build(replace(p, ceilings={("市本级", 2027): row.ceiling})))
        assert row.status == "optimal"
        assert row.value == pytest.approx(expected.objective)
    assert table["value"].is_monotonic_increasing
    assert table["value"].iloc[-1] == pytest.approx(sum(v for i, v in p.value.items() if i != "P7"))


def test_entering_and_leaving_projects_are_listed():
    table = frontier(problem(), points=7)
    first = table.iloc[0]
    assert first.entering == ("P3",) and first.leaving == ()
    chosen = set()
    for row in table.itertuples():
        chosen = (chosen | set(row.entering)) - set(row.leaving)
        assert len(chosen) == row.projects


def test_two_spawned_workers_give_the_same_frontier():
    p = problem()
    one = frontier(p, points=9)
    two = frontier(p, points=9, workers=2)
    assert one[["ceiling", "value", "projects"]].equals(two[["ceiling", "value", "projects"]])


@settings(max_examples=25, deadline=None)
@given(problems())
def test_frontier_points_equal_independent_solves_on_random_instances(p: Problem):
    pool, year = "市本级", 2027
    if not any(q == pool and y == year for (_, q, y) in p.spend):
        return
    table = frontier(p, pool=pool, year=year, points=5)
    for row in table.itertuples():
        step = replace(p, ceilings={**p.ceilings, (pool, year): row.ceiling})
        expected = solve(build(step))
        assert row.status == expected.status
        if expected.status == "optimal":
            assert row.value == pytest.approx(expected.objective)


def test_the_sweep_starts_at_the_least_ceiling_that_admits_a_plan():
    from workbench.planner.model import Envelope

    p = problem()
    envelope = Envelope(
        key="e0",
        category="运维服务类",
        category_members=("P6",),
        members=p.ids,
        pool="市本级",
        year=2027,
        min_share=0.5,
    )
    q = replace(p, envelopes=(envelope,))
    low, _ = ceiling_range(q, "市本级", 2027)
    assert low == 110.0  # the forced P3 (50) needs O&M P6 (60) beside it for a 50 % share
    table = frontier(q, points=4)
    assert table["status"].iloc[0] == "optimal"
