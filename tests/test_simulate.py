"""Monte Carlo risk: reproducible under a seed, and converging to a known answer."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import project

from workbench.planner import draft_plan
from workbench.scenario import Scenario
from workbench.simulate import RiskAssumptions, assumptions_from, simulate


def one_project_plan(checked, ceiling: float, horizon: int = 1):
    result = checked(
        [
            project(
                project_id="A",
                total_investment="100",
                request_amount="100",
                construction_months="12",
                annual_om_cost="0",
            )
        ]
    )
    ceilings = {"市本级": {2027 + k: ceiling for k in range(horizon)}}
    scenario = Scenario.model_validate(
        {"name": "t", "plan_year": 2027, "horizon": horizon, "ceilings": ceilings}
    )
    plan = draft_plan(result, pd.Series({"A": 50.0}), scenario)
    assert plan.selected["project_id"].tolist() == ["A"]
    return plan


def test_the_same_seed_gives_the_same_risk_and_another_seed_does_not(checked):
    plan = one_project_plan(checked, 110)
    risk = RiskAssumptions(overrun_bound=0.15)
    first = simulate(plan, risk, draws=5000, seed=7)
    assert first.equals(simulate(plan, risk, draws=5000, seed=7))
    assert not first.equals(simulate(plan, risk, draws=5000, seed=8))


def test_probability_of_exceeding_converges_to_the_closed_form(checked):
    # Overrun = 0.15 × Beta(2, 5); the ceiling sits at an overrun of 0.075 (x = 0.5), so
    # P(exceed) = P(Beta(2, 5) > 0.5) = (1 − x)^6 + 6x(1 − x)^5 = 0.109375.
    plan = one_project_plan(checked, 107.5)
    risk = RiskAssumptions(overrun_bound=0.15, tail_probability=0, slip_probability=0, ceiling_sd=0)
    row = simulate(plan, risk, draws=200_000, seed=1).iloc[0]
    assert row["p_exceed"] == pytest.approx(0.109375, abs=0.003)
    assert 100 < row["p50"] < 107.5 < row["p90"] <= 115


def test_a_slip_moves_spend_into_the_next_year(checked):
    plan = one_project_plan(checked, 200, horizon=2)
    risk = RiskAssumptions(overrun_bound=0.15, tail_probability=0, slip_probability=1, ceiling_sd=0)
    rows = simulate(plan, risk, draws=1000, seed=3).set_index("year")
    assert rows.loc[2027, "p90"] == 0 and 100 <= rows.loc[2028, "p50"] <= 115
    assert rows.loc[2027, "planned"] == 100


def test_the_overrun_bound_comes_from_the_policy_pack(checked):
    plan = one_project_plan(checked, 110)
    assert assumptions_from(plan).overrun_bound == 0.15


def test_risk_assumptions_come_from_the_scenario(checked):
    result = checked([project()])
    scenario = Scenario.model_validate(
        {
            "name": "t",
            "plan_year": 2027,
            "ceilings": {"市本级": {2027: 5000}},
            "risk": {"slip_probability": 0.4, "ceiling_sd": 0},
        }
    )
    plan = draft_plan(result, pd.Series({"P1": 50.0}), scenario)
    risk = assumptions_from(plan)
    assert (risk.slip_probability, risk.ceiling_sd, risk.tail_probability) == (0.4, 0, 0.05)
    assert assumptions_from(plan, tail_probability=0).tail_probability == 0
    with pytest.raises(ValueError, match="slip_probability"):
        Scenario.model_validate({"name": "t", "plan_year": 2027, "risk": {"slip_probability": 2}})
