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


def test_shipped_scenarios_inherit_from_the_base():
    base = load_scenario("base")
    cut = load_scenario("cut20")
    assert cut.name == "压减20%" and cut.inherits == "base"
    assert cut.ceilings["市本级"][2027] == base.ceilings["市本级"][2027] * Decimal("0.8")
    assert cut.ceilings["东胜区"][2029] == base.ceilings["东胜区"][2029] * Decimal("0.8")
    # Earmarked funds from above are not the city's to cut.
    assert cut.ceilings["中央预算内投资"] == base.ceilings["中央预算内投资"]
    assert cut.horizon == base.horizon and cut.envelopes == base.envelopes
    om = load_scenario("om_first")
    assert om.envelopes[0].min_share == Decimal("0.15") and om.weights == {
        "system_integration": 0.2
    }
    assert load_scenario("data_sharing").weights["data_sharing"] == 0.30


def test_inheritance_merges_mappings_and_replaces_lists(tmp_path):
    (tmp_path / "parent.yaml").write_text(
        "name: 父\nplan_year: 2027\nhorizon: 2\nceilings: {市本级: {2027: 100, 2028: 50}, 东胜区: {2027: 10}}\n"
        "force_in: [{project_id: A, reason: 上级要求}]\n",
        "utf-8",
    )
    child = tmp_path / "child.yaml"
    child.write_text(
        "name: 子\ninherits: parent\nceilings: {市本级: {2028: 80}}\nforce_in: []\nceiling_scale: 0.5\n",
        "utf-8",
    )
    s = load_scenario(child)
    # Inherited ceilings are scaled; the one the child writes (2028: 80) is taken as written.
    assert s.ceilings == {
        "市本级": {2027: Decimal(50), 2028: Decimal(80)},
        "东胜区": {2027: Decimal(5)},
    }
    assert s.force_in == () and s.horizon == 2 and s.name == "子"


def test_an_inheritance_cycle_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nplan_year: 2027\ninherits: b\n", "utf-8")
    (tmp_path / "b.yaml").write_text("name: b\nplan_year: 2027\ninherits: a\n", "utf-8")
    with pytest.raises(ScenarioError, match="成环"):
        load_scenario(tmp_path / "a.yaml")


def test_a_bad_scale_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="ceiling_scale"):
        load_scenario(write(tmp_path, "name: x\nplan_year: 2027\nceiling_scale: 多\n"))
