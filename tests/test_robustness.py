"""Robustness of the selection under expert disagreement: reproducible, and the same whether
run in one process, over joblib's processes, or on a local Dask cluster."""

from __future__ import annotations

import pytest
from conftest import project

from workbench.compare import plan_scenario
from workbench.robustness import Disagreement, robustness
from workbench.scenario import Scenario


@pytest.fixture
def plan_and_scores(checked):
    rows = [
        # A is cheap and strong on every criterion; E is excluded by a finding; B, C, D compete.
        project(
            project_id="A",
            total_investment="100",
            request_amount="100",
            mandated="是",
            cross_department="是",
            priority_areas="数据资源、跨部门跨层级共建共享",
        ),
        project(
            project_id="B",
            total_investment="300",
            request_amount="300",
            domain="交通",
            unit="市交通运输局",
        ),
        project(
            project_id="C",
            total_investment="300",
            request_amount="300",
            domain="水利",
            unit="市水利局",
        ),
        project(
            project_id="D",
            total_investment="300",
            request_amount="300",
            domain="林草",
            unit="市林业和草原局",
        ),
        project(
            project_id="E",
            total_investment="50",
            request_amount="50",
            pre_review="不通过",
            unit="市统计局",
        ),
    ]
    result = checked(rows)
    scenario = Scenario.model_validate(
        {
            "name": "t",
            "plan_year": 2027,
            "ceilings": {"市本级": {2027: 700}},
            "toggles": {"force_in_mandated": False},
        }
    )
    return plan_scenario(result, scenario)


def test_stable_and_hinging_decisions(plan_and_scores):
    plan, scores = plan_and_scores
    table = robustness(plan, scores, runs=40, seed=3, disagreement=Disagreement(0.5, 10)).set_index(
        "project_id"
    )
    assert table.loc["A", "verdict"] == "stable_in" and table.loc["A", "selected_share"] == 1
    assert table.loc["E", "verdict"] == "stable_out" and table.loc["E", "selected_share"] == 0
    # Two of B, C, D fit beside A: under disagreement the choice among them moves.
    assert table.loc[["B", "C", "D"], "selected_share"].sum() == pytest.approx(2)
    assert (table.loc[["B", "C", "D"], "verdict"] == "hinges").any()


def test_reproducible_and_the_same_in_parallel(plan_and_scores):
    plan, scores = plan_and_scores
    one = robustness(plan, scores, runs=20, seed=5)
    assert one.equals(robustness(plan, scores, runs=20, seed=5))
    assert one.equals(robustness(plan, scores, runs=20, seed=5, n_jobs=2))


def test_on_a_local_dask_cluster(plan_and_scores):
    import distributed  # a test dependency: the Dask path is tested, never skipped

    plan, scores = plan_and_scores
    expected = robustness(plan, scores, runs=12, seed=2)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        got = robustness(plan, scores, runs=12, seed=2, backend="dask")
    assert got.equals(expected)
