"""Multi-year commitments: the plan's construction and O&M tail, carried commitments, against
the ceilings and the fiscal capacity (a hand-computed case)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from conftest import project, write_csv

from workbench.intake import read_table
from workbench.planner import draft_plan
from workbench.scenario import Scenario
from workbench.simulate import commitments


def scenario(**changes) -> Scenario:
    base = {
        "name": "t",
        "plan_year": 2027,
        "horizon": 3,
        "ceilings": {"市本级": {2027: 1000, 2028: 600, 2029: 300}},
        "capacity": {"市本级": {2029: 250}},
    }
    return Scenario.model_validate({**base, **changes})


def carried(tmp_path) -> pd.DataFrame:
    path = write_csv(
        tmp_path / "承诺.csv",
        [
            {
                "承诺编号": "C1",
                "承诺类型": "以前年度计划结转",
                "说明": "政务云二期",
                "资金渠道": "市本级",
                "年度": "2027",
                "金额(万元)": "200",
            },
            {
                "承诺编号": "C2",
                "承诺类型": "在运行系统运维合同",
                "说明": "视频云运维",
                "资金渠道": "市本级",
                "年度": "2028",
                "金额(万元)": "50",
            },
        ],
    )
    result = read_table([path], "commitments")
    assert result.rejections.empty
    return result.accepted


def test_commitments_by_year_hand_computed(checked, tmp_path):
    # A: 600 total, 400 now, 200 in 2028 (18 months); 12 months of warranty after 18 months of
    # construction: O&M 60 a year from July 2029, i.e. 30 in 2029.
    result = checked(
        [
            project(
                project_id="A",
                total_investment="600",
                request_amount="400",
                construction_months="18",
                warranty_months="12",
                annual_om_cost="60",
            )
        ]
    )
    plan = draft_plan(result, pd.Series({"A": 80.0}), scenario(), carried=carried(tmp_path))
    assert plan.status == "optimal" and plan.selected["project_id"].tolist() == ["A"]
    table = commitments(plan).set_index("year")
    assert table.loc[2027, "construction"] == Decimal("400") and table.loc[
        2027, "carried"
    ] == Decimal("200")
    assert table.loc[2027, "total"] == Decimal("600") and table.loc[2027, "headroom"] == Decimal(
        "400"
    )
    assert table.loc[2028, "construction"] == Decimal("200") and table.loc[
        2028, "carried"
    ] == Decimal("50")
    assert table.loc[2029, "om"] == Decimal("30.00") and table.loc[2029, "total"] == Decimal(
        "30.00"
    )
    assert not table["over_ceiling"].any() and not table.loc[2029, "over_capacity"]


def test_carried_commitments_come_off_the_ceiling_first(checked, tmp_path):
    result = checked(
        [
            project(
                project_id="A",
                total_investment="900",
                request_amount="900",
                annual_om_cost="0",
                mandated="是",
            )
        ]
    )
    plan = draft_plan(result, pd.Series({"A": 80.0}), scenario(), carried=carried(tmp_path))
    assert plan.status == "infeasible"  # 900 + 200 carried > 1000
    assert "已有以前年度结转和运维合同承诺200.00万元，可用于新项目的仅800.00万元" in plan.diagnosis
    assert "合计900.00万元（A），超过该年度上限800.00万元" in plan.diagnosis
