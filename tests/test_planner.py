"""Each constraint family on a tiny instance, reasons, infeasibility in words, determinism."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from conftest import project

from workbench.planner import draft_plan, why
from workbench.scenario import Scenario


def scenario(**changes) -> Scenario:
    base = {"name": "测试", "plan_year": 2027, "horizon": 1, "ceilings": {"市本级": {2027: 1000}}}
    return Scenario.model_validate({**base, **changes})


def values(result, **by_id: float) -> pd.Series:
    ids = list(result.candidates["project_id"])
    return pd.Series({pid: by_id.get(pid, 50.0) for pid in ids})


def status(plan, pid: str) -> str:
    return plan.projects.set_index("project_id").at[pid, "status"]


def reason(plan, pid: str) -> str:
    return plan.projects.set_index("project_id").at[pid, "reason"]


def p(pid: str, amount: float, **changes) -> dict:
    text = f"{amount:g}"
    fields = {
        "name": f"项目{pid}专用系统",
        "total_investment": text,
        "request_amount": text,
        **changes,
    }
    return project(project_id=pid, **fields)


def test_the_ceiling_keeps_the_best_value_that_fits(checked):
    result = checked([p("A", 600), p("B", 500), p("C", 400)])
    plan = draft_plan(
        result, values(result, A=60, B=50, C=45), scenario(ceilings={"市本级": {2027: 950}})
    )
    assert plan.status == "optimal"
    assert {status(plan, x) for x in "BC"} == {"selected"} and status(plan, "A") == "not_selected"
    assert plan.objective == pytest.approx(95)
    cut = reason(plan, "A")
    assert (
        "资金不足" in cut and "市本级2027年度需600.00万元，上限余额50.00万元，差550.00万元" in cut
    )
    assert "每万元价值0.1000" in cut
    assert "按优先级入选" in reason(plan, "B")


def test_multi_year_spend_counts_against_later_ceilings(checked):
    # A: 300 now, 300 next year (24 months); next year's ceiling only admits B's tail.
    result = checked(
        [
            p("A", 600, request_amount="300", construction_months="24"),
            p("B", 400, request_amount="300", construction_months="24"),
        ]
    )
    plan = draft_plan(
        result,
        values(result, A=80, B=50),
        scenario(horizon=2, ceilings={"市本级": {2027: 1000, 2028: 150}}),
    )
    assert status(plan, "A") == "not_selected" and status(plan, "B") == "selected"
    assert "2028年度需300.00万元" in reason(plan, "A")


def test_om_tail_after_warranty(checked):
    result = checked(
        [p("A", 100, annual_om_cost="40", construction_months="12", warranty_months="12")]
    )
    sc = scenario(horizon=3, ceilings={"市本级": {2027: 1000, 2028: 1000, 2029: 30}})
    plan = draft_plan(result, values(result), sc)
    assert status(plan, "A") == "not_selected"  # O&M 40 from 2029 (12 months + 12 warranty)
    assert "2029年度需40.00万元" in reason(plan, "A")
    no_tail = sc.model_copy(update={"om": sc.om.model_copy(update={"include_tail": False})})
    assert status(draft_plan(result, values(result), no_tail), "A") == "selected"


def test_force_in_mandated_and_existing_om(checked):
    result = checked(
        [
            p("A", 400, mandated="是"),
            p("B", 300, category="运维服务类", existing_om="是"),
            p("C", 500),
        ]
    )
    plan = draft_plan(result, values(result, A=1, B=1, C=90), scenario())
    assert status(plan, "A") == "forced_in" and status(plan, "B") == "forced_in"
    assert plan.projects.set_index("project_id").at["A", "article"] == "第十一条"
    assert plan.projects.set_index("project_id").at["B", "article"] == "第二十五条"
    assert status(plan, "C") == "not_selected"
    toggled = scenario(toggles={"force_in_mandated": False, "force_in_existing_om": False})
    plan = draft_plan(result, values(result, A=1, B=1, C=90), toggled)
    assert status(plan, "C") == "selected"


def test_user_force_in_and_out_with_reasons(checked):
    result = checked([p("A", 100), p("B", 100)])
    sc = scenario(
        force_in=[{"project_id": "A", "reason": "市政府专题会议要求"}],
        force_out=[{"project_id": "B", "reason": "已由自治区统建"}],
    )
    plan = draft_plan(result, values(result, A=1, B=99), sc)
    assert status(plan, "A") == "forced_in" and "市政府专题会议要求" in reason(plan, "A")
    assert status(plan, "B") == "excluded" and "已由自治区统建" in reason(plan, "B")


def test_findings_exclude_and_in_principle_needs_a_written_override(checked):
    systems = [
        {
            "system_id": "XT-1",
            "name": "旧系统",
            "unit": "市教育局",
            "status": "运行",
            "final_acceptance_date": "2022-01-01",
            "performance_evaluation": "不通过",
            "evaluation_date": "2026-05-01",
        }
    ]
    # B invests in the system that failed its evaluation (关联已建系统编号), as 第六条第（七）项
    # is read: the next year's investment in that system is withheld in principle.
    result = checked(
        [p("A", 100, pre_review="不通过"), p("B", 100, related_systems="XT-1")], systems=systems
    )
    plan = draft_plan(result, values(result), scenario())
    assert status(plan, "A") == "excluded"
    assert plan.projects.set_index("project_id").at["A", "article"] == "第八条"
    assert status(plan, "B") == "excluded"
    assert plan.projects.set_index("project_id").at["B", "article"] == "第六条第（七）项"
    sc = scenario(overrides=[{"project_id": "B", "reason": "整改已完成，经市政府同意"}])
    plan = draft_plan(result, values(result), sc)
    assert status(plan, "B") == "selected"
    assert "整改已完成，经市政府同意" in reason(plan, "B")


def test_dependencies_domains_and_system_count(checked):
    result = checked(
        [
            p("A", 100, pre_review="未审核"),
            p("B", 100, depends_on="A"),
            p("C", 100, new_systems="1", domain="应急"),
            p("D", 100, new_systems="1", domain="应急", unit="市应急管理局"),
            p("E", 100, new_systems="1", domain="交通", unit="市交通运输局"),
            p("F", 100, retired_systems="1", domain="档案", unit="市档案馆"),
        ]
    )
    plan = draft_plan(result, values(result, C=60, D=50, E=40, F=10), scenario())
    assert status(plan, "B") == "not_selected" and "所依赖的项目A不予安排" in reason(plan, "B")
    assert status(plan, "C") == "selected"
    assert status(plan, "D") == "not_selected" and "一领域一平台" in reason(plan, "D")
    # One system retired (F) admits one new system (C): E waits on the system count.
    assert status(plan, "F") == "selected"
    assert status(plan, "E") == "not_selected" and "只减不增" in reason(plan, "E")
    relaxed = draft_plan(
        result, values(result, C=60, D=50, E=40, F=10), scenario(toggles={"system_count": False})
    )
    assert status(relaxed, "E") == "selected"


def test_envelopes_and_unit_caps(checked):
    result = checked(
        [
            p("A", 300),
            p("B", 300, unit="市公安局"),
            p("O", 50, category="运维服务类"),
        ]
    )
    sc = scenario(
        envelopes=[{"category": "运维服务类", "pool": "市本级", "max_share": 0.05}],
        unit_caps={"市公安局": 200},
    )
    plan = draft_plan(result, values(result), sc)
    assert status(plan, "A") == "selected"
    assert status(plan, "B") == "not_selected"  # over its unit's cap
    assert status(plan, "O") == "not_selected"  # 50 / 350 > 5 %


def test_infeasible_forced_total_is_said_in_words(checked):
    result = checked(
        [
            p("A", 3000, mandated="是"),
            p("B", 2230, category="运维服务类", existing_om="是"),
            p("C", 10),
        ]
    )
    plan = draft_plan(result, values(result), scenario(ceilings={"市本级": {2027: 4800}}))
    assert plan.status == "infeasible"
    assert (
        "强制纳入项目在市本级2027年度合计5,230.00万元（A、B），超过该年度上限4,800.00万元"
        in plan.diagnosis
    )
    assert set(plan.projects["status"]) == {"not_selected"}


def test_infeasible_dependency_on_an_excluded_project(checked):
    result = checked([p("A", 100, ex_ante_evaluation="不可行"), p("B", 100, depends_on="A")])
    sc = scenario(force_in=[{"project_id": "B", "reason": "上级要求"}])
    plan = draft_plan(result, values(result), sc)
    assert plan.status == "infeasible"
    assert "强制纳入的B依赖A，但A不予安排" in plan.diagnosis


def test_infeasible_forced_new_systems_against_the_system_count(checked):
    result = checked([p("A", 100, new_systems="2", retired_systems="1", mandated="是")])
    plan = draft_plan(result, values(result), scenario())
    assert plan.status == "infeasible"
    assert "新增系统2个、整合下线1个，净增1个" in plan.diagnosis and "第三条" in plan.diagnosis


def test_forcing_in_an_excluded_project_names_the_finding(checked):
    result = checked([p("A", 100, has_data_catalog="否")])
    plan = draft_plan(
        result, values(result), scenario(force_in=[{"project_id": "A", "reason": "急需"}])
    )
    assert plan.status == "infeasible"
    assert "A（第十六条：未编制数据资源目录" in plan.diagnosis


def test_why_reports_what_forcing_in_displaces(checked):
    result = checked([p("A", 600), p("B", 500), p("C", 400)])
    plan = draft_plan(
        result, values(result, A=60, B=50, C=45), scenario(ceilings={"市本级": {2027: 950}})
    )
    answer = why(plan, "A")
    assert (
        answer.displaced == ("B",)
        or answer.displaced == ("C",)
        or set(answer.displaced) <= {"B", "C"}
    )
    assert answer.value_before == pytest.approx(95) and answer.value_after < 95
    assert "强制纳入A（600.00万元）将调出" in answer.text
    assert why(plan, "B").text.startswith("B已在计划中")


def test_same_input_in_any_row_order_gives_the_same_plan(checked):
    rows = [
        p(f"P{i:02d}", 50 + 7 * i, new_systems=str(i % 2), domain=f"领域{i % 3}") for i in range(12)
    ]
    vals = {f"P{i:02d}": float(40 + (i * 37) % 50) for i in range(12)}
    plans = []
    for seed in range(3):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        result = checked(shuffled)
        plan = draft_plan(result, pd.Series(vals), scenario(ceilings={"市本级": {2027: 400}}))
        plans.append(
            plan.projects.sort_values("project_id")[["project_id", "status", "reason"]].reset_index(
                drop=True
            )
        )
    assert plans[0].equals(plans[1]) and plans[0].equals(plans[2])


def test_every_candidate_leaves_with_a_status_and_a_reason(checked):
    result = checked([p("A", 100), p("B", 5000), p("C", 10, pre_review="不通过")])
    plan = draft_plan(result, values(result), scenario())
    assert len(plan.projects) == 3
    assert plan.projects["reason"].str.len().min() > 4
    assert set(plan.projects["status"]) <= {"selected", "forced_in", "excluded", "not_selected"}


def test_why_for_every_cut_in_batch(checked):
    from workbench.planner import why_cuts

    result = checked([p("A", 600), p("B", 500), p("C", 400), p("D", 100, pre_review="不通过")])
    plan = draft_plan(
        result, values(result, A=60, B=50, C=45), scenario(ceilings={"市本级": {2027: 950}})
    )
    table = why_cuts(plan)
    assert table["project_id"].tolist() == ["A"]  # D is excluded, not a cut
    assert table["loss"].iloc[0] == pytest.approx(95 - 60) and set(table["displaced"].iloc[0]) == {
        "B",
        "C",
    }


def test_constraint_table_reports_slack_and_binding(checked):
    result = checked(
        [p("A", 600), p("B", 500), p("C", 400, unit="市公安局"), p("O", 50, category="运维服务类")]
    )
    sc = scenario(
        ceilings={"市本级": {2027: 950}},
        unit_caps={"市公安局": 500},
        envelopes=[{"category": "运维服务类", "pool": "市本级", "min_share": 0.05}],
    )
    plan = draft_plan(result, values(result, A=60, B=50, C=45, O=5), sc)
    table = plan.constraints.set_index("constraint")
    ceiling = table.loc["ceiling"]
    assert ceiling["limit"] == 950 and ceiling["used"] + ceiling["slack"] == pytest.approx(950)
    assert bool(ceiling["binding"])  # A (600) cannot fit in what is left
    assert table.loc["unit_cap", "limit"] == 500
    assert "运维服务类占比不少于5%" in table.loc["envelope", "pool"]


def test_a_scenario_naming_an_unknown_project_is_refused(checked):
    from workbench.scenario import ScenarioError

    result = checked([p("A", 100)])
    with pytest.raises(ScenarioError, match="force_in：B"):
        draft_plan(
            result, values(result), scenario(force_in=[{"project_id": "B", "reason": "笔误"}])
        )


def test_a_rolling_plan_defers_a_start_instead_of_leaving_the_project_out(checked):
    result = checked([p("A", 600), p("B", 500)])
    vals = values(result, A=60, B=50)
    rolling = scenario(
        horizon=2,
        ceilings={"市本级": {2027: 600, 2028: 600}},
        deferral={"allowed": True, "value_factor": 0.9},
    )
    plan = draft_plan(result, vals, rolling)
    assert status(plan, "A") == "selected"
    assert status(plan, "B") == "not_selected" and "推迟至2028年度启动" in reason(plan, "B")
    assert plan.objective == pytest.approx(60 + 0.9 * 50)
    spend = plan.spend.set_index(["project_id", "year"])["amount"]
    assert float(spend[("B", 2028)]) == 500  # its money moves to 2028 and counts there
    fixed = draft_plan(
        result, vals, scenario(horizon=2, ceilings={"市本级": {2027: 600, 2028: 600}})
    )
    assert "资金不足" in reason(fixed, "B")


def test_a_deferred_start_counts_against_next_years_ceiling(checked):
    result = checked([p("A", 600), p("B", 500)])
    rolling = scenario(
        horizon=2,
        ceilings={"市本级": {2027: 600, 2028: 400}},
        deferral={"allowed": True},
    )
    plan = draft_plan(result, values(result, A=60, B=50), rolling)
    assert status(plan, "B") == "not_selected" and "资金不足" in reason(plan, "B")
    assert "2028年度需500.00万元" in reason(plan, "B")
