from __future__ import annotations

from decimal import Decimal

import pytest

from workbench.scenario import ScenarioError, load_scenario


def write(tmp_path, text: str):
    path = tmp_path / "s.yaml"
    path.write_text(text, "utf-8")
    return path


def test_the_base_scenario_loads():
    s = load_scenario()
    assert s.name == "基准" and s.years == (2027, 2028, 2029)
    assert s.ceilings["市本级"][2027] == Decimal(20000)
    assert s.solver.gap_rel == 0 and s.solver.name == "highs"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("name: x\nplan_year: 2027\nceiling: {}\n", "ceiling: 未知的键"),
        ("name: x\nplan_year: 2027\nhorizon: 0\n", "horizon"),
        ("name: x\nplan_year: 2027\nceilings: {市本级: {2027: -1}}\n", "上限为负数"),
        (
            "name: x\nplan_year: 2027\nforce_in: [{project_id: A, reason: 要求}]\nforce_out: [{project_id: A, reason: 不要}]\n",
            "同时被强制纳入和强制排除：A",
        ),
        ("name: x\nplan_year: 2027\nforce_in: [{project_id: A}]\n", "force_in.0.reason: 缺少此项"),
        ("name: x\nplan_year: 2027\nenvelopes: [{category: 运维服务类}]\n", "至少给出"),
        ("name: x\nplan_year: 2027\nsolver: {name: gurobi}\n", "solver.name"),
        ("plan_year: 2027\n", "name: 缺少此项"),
    ],
)
def test_bad_scenarios_get_a_chinese_error_naming_the_key(tmp_path, text, fragment):
    with pytest.raises(ScenarioError) as err:
        load_scenario(write(tmp_path, text))
    assert fragment in str(err.value) and "情景文件" in str(err.value)


def test_with_ceiling_changes_one_pool_year():
    s = load_scenario().with_ceiling(Decimal(5000), "市本级")
    assert s.ceilings["市本级"] == {2027: Decimal(5000), 2028: Decimal(6000), 2029: Decimal(5000)}
