"""The plan adopted from the 项目库 (``workbench db adopt``, 第九条, issue #13): drafted from the
year's submissions under a scenario with the own-input rules of ``plan``, every decision
recorded with its reason, a year adopted once unless forced, a forced adoption superseding the
earlier one, which stays; on SQLite and on PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

import argparse
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import project, write_csv
from test_register_db import db_url, raw, register

from workbench.cli import main, run_check
from workbench.compare import plan_scenario
from workbench.english import english_sentences
from workbench.planner.plan import SELECTED_STATUSES
from workbench.register.adopt import ADOPTED_IN
from workbench.register.db import RegisterError, init_database
from workbench.register.store import Register
from workbench.scenario import ScenarioError, load_scenario

__all__ = ["db_url", "register"]  # the fixtures, imported to be used here

SUMMARY = "建设全市统一的教育资源公共服务平台，汇聚优质数字教育资源"


def own_rows() -> list[dict[str, object]]:
    """Two projects of 市本级 asking 300万元 each in 2027, and one a rule excludes."""
    return [
        project(project_id="SB2027-0001", name="智慧教育资源公共服务平台", summary=SUMMARY),
        project(project_id="SB2027-0002", name="教育数据共享交换系统", ex_ante_evaluation="未评价"),
        project(
            project_id="SB2027-0004",
            name="城市运行监测预警系统",
            unit="市城市管理综合执法局",
            domain="城市管理",
            priority_areas="共性应用",
        ),
    ]


def scenario_file(folder: Path, ceiling_2027: int, name: str = "本次申报情景") -> Path:
    path = folder / f"情景{ceiling_2027}.yaml"
    path.write_text(
        f'name: "{name}"\nplan_year: 2027\nhorizon: 3\n'
        f'ceilings:\n  "市本级":\n    2027: {ceiling_2027}\n    2028: 1000\n    2029: 1000\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def imported(register: Register, tmp_path: Path) -> Register:
    register.import_intake([write_csv(tmp_path / "申报.csv", own_rows())], plan_year=2027)
    return register


def register_url(register: Register) -> str:
    return register.url.render_as_string(hide_password=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not english_sentences(out + err, allow=[a for a in argv if a]), out + err
    return code, out, err


def test_the_planners_statuses_are_the_ones_read_as_taken_in():
    assert ADOPTED_IN == SELECTED_STATUSES


def test_own_submissions_need_their_own_scenario(imported, tmp_path):
    with pytest.raises(RegisterError, match="须用 --scenario"):
        imported.adopt(2027)
    with pytest.raises(ScenarioError, match="内置合成样例的情景"):
        imported.adopt(2027, scenario="base")
    uncovered = tmp_path / "缺上限.yaml"
    uncovered.write_text('name: "缺上限"\nplan_year: 2027\nhorizon: 3\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="市本级2027年度"):
        imported.adopt(2027, scenario=str(uncovered))
    assert imported.adoptions() == []


def test_every_decision_is_recorded_with_its_reason(imported, tmp_path):
    scenario = scenario_file(tmp_path, 400)
    done = imported.adopt(2027, scenario=str(scenario), by="王五")
    adoption = done.adoption
    assert (adoption.plan_year, adoption.scenario_name, adoption.scenario_file) == (
        2027,
        "本次申报情景",
        scenario.name,
    )
    assert (adoption.adopted_by, adoption.solve_status, adoption.supersedes_id) == (
        "王五",
        "optimal",
        None,
    )
    assert adoption.scenario_sha256 == hashlib.sha256(scenario.read_bytes()).hexdigest()
    assert adoption.provenance["policy_pack"]["id"] == "ordos-2025"
    assert adoption.provenance["submissions"] == 3
    decisions = {d.project_id: d for d in imported.decisions(adoption.id)}
    assert decisions == {d.project_id: d for d in done.decisions}
    assert sorted(decisions) == ["SB2027-0001", "SB2027-0002", "SB2027-0004"]
    excluded = decisions["SB2027-0002"]
    assert (excluded.status, excluded.article) == ("excluded", "第三十四条")
    assert "事前绩效评价" in excluded.reason
    # 400万元 in 2027 takes one of the two 300万元 projects; the other waits, for money.
    taken = [d for d in decisions.values() if d.status == "selected"]
    waiting = [d for d in decisions.values() if d.status == "not_selected"]
    assert len(taken) == len(waiting) == 1
    assert waiting[0].reason.startswith("资金不足未安排")
    assert all(d.amount == Decimal("300") for d in decisions.values())
    submissions = {s.project_id: s.id for s in imported.submissions(plan_year=2027, latest=True)}
    assert {p: d.submission_id for p, d in decisions.items()} == submissions
    assert imported.current_adoption(2027) == adoption


def test_adopting_twice_is_refused_and_force_supersedes_keeping_the_earlier(imported, tmp_path):
    url = register_url(imported)
    first = imported.adopt(2027, scenario=str(scenario_file(tmp_path, 400)), by="王五")
    with pytest.raises(RegisterError, match=r"已于.*由王五审定.*--force"):
        imported.adopt(2027, scenario=str(scenario_file(tmp_path, 700)))
    assert len(imported.adoptions(2027)) == 1
    second = imported.adopt(
        2027, scenario=str(scenario_file(tmp_path, 700, "追加预算")), by="赵六", force=True
    )
    assert second.superseded == first.adoption
    assert second.adoption.supersedes_id == first.adoption.id
    assert [a.id for a in imported.adoptions(2027)] == [first.adoption.id, second.adoption.id]
    assert imported.current_adoption(2027) == second.adoption
    assert {d.status for d in second.decisions} == {"selected", "excluded"}
    # The earlier adoption and its decisions stay as they were.
    assert imported.decisions(first.adoption.id) == list(first.decisions)
    assert raw(url, "SELECT count(*) FROM plan_decisions") == [(6,)]
    for sql in (
        "UPDATE adoptions SET adopted_by = 'x'",
        "DELETE FROM adoptions",
        "UPDATE plan_decisions SET status = 'selected'",
        "DELETE FROM plan_decisions",
    ):
        with pytest.raises(sa.exc.DBAPIError):
            raw(url, sql)


def test_the_approved_amount_is_the_adopted_plans(imported, tmp_path):
    imported.adopt(2027, scenario=str(scenario_file(tmp_path, 700)))
    later = [
        dict(own_rows()[0], total_investment="800", request_amount="400", construction_months=24)
    ]
    imported.import_intake([write_csv(tmp_path / "2028.csv", later)], plan_year=2028)
    facts = imported.project_facts()
    # Taken in by the 2027 plan at 500万元; the 2028 resubmission (not adopted) gives the rest.
    assert (facts["SB2027-0001"].approved_amount, facts["SB2027-0001"].construction_months) == (
        Decimal("500"),
        24,
    )
    # Excluded by the plan: the submission's total investment.
    assert facts["SB2027-0002"].approved_amount == Decimal("500")


def test_projects_checked_otherwise_than_at_entry_are_named(register, tmp_path):
    """Two departments' forms imported apart: the check of the whole year sees the pair a rule
    compares (疑似重复投资), which neither import saw."""
    twin = project(
        project_id="SB2027-0005",
        unit="市卫生健康委员会",
        name="智慧教育资源公共服务平台",
        summary=SUMMARY,
    )
    register.import_intake([write_csv(tmp_path / "教育局.csv", own_rows())], plan_year=2027)
    register.import_intake([write_csv(tmp_path / "卫健委.csv", [twin])], plan_year=2027)
    done = register.adopt(2027, scenario=str(scenario_file(tmp_path, 1000)))
    assert done.findings_changed == ("SB2027-0001", "SB2027-0005")


def test_a_year_without_submissions_is_refused(register):
    with pytest.raises(RegisterError, match=r"没有2027年度的申报.*workbench db import"):
        register.adopt(2027, scenario="base")


# -- the command ------------------------------------------------------------------------------


def test_adopt_in_text_and_json(db_url, capsys, tmp_path):
    init_database(db_url)
    form = write_csv(tmp_path / "申报.csv", own_rows())
    assert run(capsys, "db", "import", str(form), "--year", "2027", "--db", db_url)[0] == 0
    code, _, err = run(capsys, "db", "adopt", "--year", "2027", "--db", db_url)
    assert code == 2 and "须用 --scenario" in err and "workbench scenario init" in err
    code, _, err = run(capsys, "db", "adopt", "--db", db_url)
    assert code == 2 and "--year" in err
    scenario = str(scenario_file(tmp_path, 400))
    argv = ["db", "adopt", "--year", "2027", "--scenario", scenario, "--db", db_url]
    code, out, err = run(capsys, *argv, "--by", "王五")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("2027年度计划审定（第九条，项目库 ")
    assert lines[1].startswith("情景“本次申报情景”（情景400.yaml，SHA-256 ")
    assert lines[1].endswith("求解状态：最优（已证明）")
    assert lines[2].startswith("审定人：王五；审定时间：") and lines[2].endswith("审定记录1")
    assert "拟安排1项300.00万元；不予安排1项300.00万元；未安排1项300.00万元" in out
    assert (
        "  SB2027-0002 教育数据共享交换系统：不予安排 300.00万元；未开展事前绩效评价，"
        "事前绩效评价结果是项目入库的必要条件（第三十四条）" in lines
    )
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "") and "已于" in err and "--force" in err
    code, out, err = run(capsys, *argv, "--force", "--format", "json")
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert set(payload) == {
        "database",
        "adoption",
        "superseded",
        "sample",
        "findings_changed",
        "decisions",
    }
    assert (payload["adoption"]["supersedes"], payload["superseded"]["adopted_by"]) == (1, "王五")
    assert payload["sample"] is False
    assert payload["decisions"][1] == {
        "project_id": "SB2027-0002",
        "name": "教育数据共享交换系统",
        "status": "excluded",
        "status_label": "不予安排",
        "reason": "未开展事前绩效评价，事前绩效评价结果是项目入库的必要条件",
        "article": "第三十四条",
        "amount": "300",
    }


def test_the_sample_adopted_is_the_plan_that_plan_drafts(db_url, capsys):
    """The embedded sample, imported on request, is adopted under its base scenario (no
    --scenario needed) with every decision as `workbench plan` drafts it from the forms."""
    init_database(db_url)
    assert run(capsys, "db", "import", "--sample", "--db", db_url)[0] == 0
    code, out, err = run(
        capsys, "db", "adopt", "--year", "2027", "--db", db_url, "--format", "json"
    )
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert payload["sample"] is True and payload["findings_changed"] == []
    assert payload["adoption"]["scenario_file"] == "base.yaml"
    args = argparse.Namespace(
        inputs=[], inputs_opt=[], systems=None, usage=None, reference_date=None, year=None
    )
    result, _, registries, _ = run_check(args, plan_year=2027)
    plan, _ = plan_scenario(result, load_scenario(None), systems=registries[0].accepted)
    expected = [
        (r.project_id, r.status, r.reason, r.article, format(Decimal(r.amount).normalize(), "f"))
        for r in plan.projects.itertuples(index=False)
    ]
    assert [
        (d["project_id"], d["status"], d["reason"], d["article"], d["amount"])
        for d in payload["decisions"]
    ] == expected


def test_a_registry_with_rows_not_accepted_is_not_adopted_on(imported, tmp_path):
    systems = write_csv(
        tmp_path / "已建系统.csv",
        [
            {
                "系统编号": "XT-0001",
                "系统名称": "教育资源平台",
                "所属单位": "市教育局",
                "运行状态": "运行",
                "终验日期": "2022-06-30",
            },
            {
                "系统编号": "XT-0002",
                "系统名称": "安防平台",
                "所属单位": "市教育局",
                "运行状态": "不清楚",
            },
        ],
    )
    scenario = str(scenario_file(tmp_path, 700))
    with pytest.raises(
        RegisterError, match=r"1处未受理.*第一处：已建系统登记表 已建系统.csv 第3行"
    ):
        imported.adopt(2027, scenario=scenario, systems=[systems])
    assert imported.adoptions() == []
