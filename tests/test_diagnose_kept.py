"""The infeasibility diagnosis on one kept HiGHS model (issue #12): the same minimal conflict and
the same words as rebuilding the model for every group, no PuLP model built per group; and a
solver that raises gives a status and a Chinese diagnosis, never an exception."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pulp
import pytest
from conftest import project

import workbench.planner.model as model
from workbench.labels import DIAGNOSIS, PLAN_REASONS
from workbench.planner import diagnose, draft_plan, why
from workbench.planner.explain import LISTED_ITEMS
from workbench.planner.frontier import frontier
from workbench.planner.model import Problem, SolverChoice, build, solve
from workbench.planner.prepare import prepare
from workbench.scenario import Scenario

CHOICE = SolverChoice()


def scenario(**changes) -> Scenario:
    base = {"name": "测试", "plan_year": 2027, "horizon": 1, "ceilings": {"市本级": {2027: 1000}}}
    return Scenario.model_validate({**base, **changes})


def p(pid: str, amount: float, **changes) -> dict:
    text = f"{amount:g}"
    return project(
        project_id=pid,
        name=f"项目{pid}专用系统",
        total_investment=text,
        request_amount=text,
        **changes,
    )


def rebuilt_conflict(problem: Problem) -> list[tuple]:
    """The diagnosis as it was before the kept model: the deletion filter, rebuilding and
    re-solving the PuLP model for every group (the reference the kept model must match)."""
    groups = sorted(
        build(problem, with_objective=False).groups,
        key=lambda g: (diagnose._ORDER.get(g[0], 9), g),
    )
    keep = list(groups)
    for group in groups:
        trial = [g for g in keep if g != group]
        built = build(problem, enabled=set(trial), with_objective=False)
        if not built.groups or solve(built, CHOICE).status != "infeasible":
            continue
        keep = trial
    return keep


# The infeasible cases of tests/test_planner.py, and two with more groups in play.
CASES = {
    "forced_total": (
        [
            p("A", 3000, mandated="是"),
            p("B", 2230, category="运维服务类", existing_om="是"),
            p("C", 10),
        ],
        {"ceilings": {"市本级": {2027: 4800}}},
    ),
    "dependency_on_excluded": (
        [p("A", 100, ex_ante_evaluation="不可行"), p("B", 100, depends_on="A")],
        {"force_in": [{"project_id": "B", "reason": "上级要求"}]},
    ),
    "system_count": ([p("A", 100, new_systems="2", retired_systems="1", mandated="是")], {}),
    "forced_but_excluded": (
        [p("A", 100, has_data_catalog="否")],
        {"force_in": [{"project_id": "A", "reason": "急需"}]},
    ),
    "three_years_and_a_cap": (
        [
            p("A", 900, mandated="是", construction_months="24"),
            p("B", 600, mandated="是"),
            p("C", 300),
            p("D", 200, unit="市公安局"),
        ],
        {
            "horizon": 3,
            "ceilings": {"市本级": {2027: 1000, 2028: 300, 2029: 2000}},
            "unit_caps": {"市教育局": 5000},
        },
    ),
}


@pytest.fixture
def count_builds(monkeypatch):
    """How many PuLP models ``model.build`` makes from now on (the diagnosis's only way to one)."""
    counter = {"builds": 0}
    original = model.build

    def counted(*args, **kwargs):
        counter["builds"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(model, "build", counted)
    return counter


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_kept_model_names_the_conflict_the_rebuilt_models_named(checked, case, count_builds):
    rows, changes = CASES[case]
    result = checked(rows)
    values = pd.Series(50.0, index=result.candidates["project_id"])
    plan = draft_plan(result, values, scenario(**changes))
    assert plan.status == "infeasible"
    assert count_builds["builds"] == 0  # the plan's own model is taken over, not rebuilt
    prepared = prepare(result, values, scenario(**changes))
    reference = rebuilt_conflict(prepared.problem)
    kept = diagnose.conflicting_groups(prepared, CHOICE)
    assert kept == reference
    assert plan.diagnosis.startswith(diagnose.explain(prepared, reference))


def test_the_diagnosis_never_builds_a_model_per_group(checked, count_builds, monkeypatch):
    rows, changes = CASES["three_years_and_a_cap"]
    result = checked(rows)
    values = pd.Series(50.0, index=result.candidates["project_id"])
    prepared = prepare(result, values, scenario(**changes))
    runs = []
    rerun = model.KeptModel.rerun
    monkeypatch.setattr(model.KeptModel, "rerun", lambda self: runs.append(1) or rerun(self))
    groups = model.build(prepared.problem).groups
    count_builds["builds"] = 0
    diagnose.conflicting_groups(prepared, CHOICE)
    assert count_builds["builds"] == 1  # on its own: one model without objective, kept
    assert len(groups) > 3 and len(runs) <= len(groups)
    # With CBC drafting the plan, the diagnosis still asks one kept HiGHS model.
    count_builds["builds"] = 0
    runs.clear()
    diagnose.conflicting_groups(prepared, replace(CHOICE, name="cbc"))
    assert count_builds["builds"] == 1 and runs


def random_problem(seed: int) -> Problem:
    rng = random.Random(seed)
    ids = tuple(f"P{k}" for k in range(12))
    pools, years = ("市本级", "东胜区"), (2027, 2028)
    spend = {
        (i, pool, year): float(rng.randint(10, 200))
        for i in ids
        for pool in pools
        for year in years
        if rng.random() < 0.4
    }
    forced = frozenset(rng.sample(ids, 4))
    excluded = frozenset(rng.sample([i for i in ids if i not in forced], 2))
    if rng.random() < 0.3:
        excluded |= {sorted(forced)[0]}
    return Problem(
        ids=ids,
        value={i: float(rng.randint(1, 99)) for i in ids},
        spend=spend,
        ceilings={(pool, y): float(rng.randint(50, 500)) for pool in pools for y in years},
        forced_in=forced,
        excluded=excluded,
        dependencies=((ids[0], ids[1]), (ids[2], ids[3])),
        domains={"领域": ids[4:8]},
        system_delta={i: rng.choice((-1, 0, 1, 2)) for i in ids},
        unit_caps={"单位": (ids[:6], float(rng.randint(50, 300)))},
        plan_year=2027,
    )


def test_random_infeasible_problems_kept_and_rebuilt_agree():
    class Prepared:
        pass

    conflicts = set()
    for seed in range(40):
        problem = random_problem(seed)
        if solve(build(problem), CHOICE).status != "infeasible":
            continue
        prepared = Prepared()
        prepared.problem = problem
        kept = diagnose.conflicting_groups(prepared, CHOICE)
        assert kept == rebuilt_conflict(problem), seed
        conflicts.add(tuple(sorted(g[0] for g in kept)))
    assert len(conflicts) >= 3  # ceilings, caps, domains, system count … not one story


def _raising(*args, **kwargs):
    raise IndexError("list index out of range")


def test_a_solver_that_raises_gives_a_status_and_a_chinese_diagnosis(checked, monkeypatch):
    result = checked([p("A", 600), p("B", 500)])
    values = pd.Series(50.0, index=result.candidates["project_id"])
    monkeypatch.setattr(pulp.LpProblem, "solve", _raising)
    plan = draft_plan(result, values, scenario())
    assert plan.status == "error"
    assert plan.diagnosis.startswith("求解器HiGHS运行出错，未能得出方案")
    assert not re.search(r"[A-Za-z]{4,}", plan.diagnosis.replace("HiGHS", ""))
    assert set(plan.projects["status"]) == {"not_selected"}
    # Each candidate says the solve did not finish, not that the plan is infeasible.
    assert set(plan.projects["reason"]) == {PLAN_REASONS["solver_failed"]}
    assert "IndexError" in plan.solution.failure  # for the programmer, never in the words
    answer = why(plan, "A")
    assert "运行出错" in answer.text


def test_an_absurd_amount_past_the_intake_names_the_project(checked):
    result = checked([p("A", 600), p("B", 500)])
    candidates = result.candidates.copy()
    absurd = candidates["project_id"] == "A"
    candidates.loc[absurd, ["total_investment", "request_amount"]] = Decimal(10) ** 21
    result = replace(result, candidates=candidates)
    values = pd.Series(50.0, index=candidates["project_id"])
    plan = draft_plan(result, values, scenario())  # PuLP's HiGHS adapter raised IndexError here
    assert plan.status == "error"
    assert "超出求解器可处理的范围" in plan.diagnosis
    assert "A（1,000,000,000,000,000,000,000.00万元）" in plan.diagnosis


def test_a_kept_model_whose_solver_raises_says_error(monkeypatch):
    problem = Problem(
        ids=("A", "B"),
        value={"A": 5.0, "B": 4.0},
        spend={("A", "市本级", 2027): 60.0, ("B", "市本级", 2027): 50.0},
        ceilings={("市本级", 2027): 100.0},
        plan_year=2027,
    )
    original = model.KeptModel.rerun

    def failing(self):
        self.highs.run = _raising
        return original(self)

    monkeypatch.setattr(model.KeptModel, "rerun", failing)
    table = frontier(problem, pool="市本级", points=3)
    assert table["status"].iloc[0] == "optimal"
    assert list(table["status"].iloc[1:]) == ["error", "error"]


def test_a_long_list_in_the_diagnosis_names_the_first_and_counts_all(checked):
    """Hundreds of forced projects over a ceiling: the sentence lists the first ones and says
    how many in all; every one of them is still in the project table."""
    many = LISTED_ITEMS + 7
    rows = [p(f"M{i:03d}", 100, mandated="是") for i in range(many)]
    result = checked(rows)
    values = pd.Series(50.0, index=result.candidates["project_id"])
    plan = draft_plan(result, values, scenario(ceilings={"市本级": {2027: 1000}}))
    assert plan.status == "infeasible"
    ids = sorted(r["project_id"] for r in rows)
    shown = "、".join(ids[:LISTED_ITEMS])
    tail = DIAGNOSIS["and_more"].format(shown=shown, count=many)
    assert tail in plan.diagnosis
    assert ids[LISTED_ITEMS] not in plan.diagnosis
    assert set(plan.projects["project_id"]) == set(ids)
    short = draft_plan(
        checked(rows[:LISTED_ITEMS]),
        pd.Series(50.0, index=ids[:LISTED_ITEMS]),
        scenario(ceilings={"市本级": {2027: 1000}}),
    )
    assert "等共" not in short.diagnosis and "、".join(ids[:LISTED_ITEMS]) in short.diagnosis
