"""The bureau's scores table (审定评分表): read like every intake table, every row accepted or
rejected with its place; its expert scores feed the expert criterion and its 审定优先级得分 is a
project's value, named in the plan's provenance; a unit's own 优先级得分 changes nothing; a
scenario names the file relative to its own folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from conftest import project, write_csv

from workbench.compare import plan_scenario
from workbench.intake import IntakeFileError
from workbench.scenario import load_scenario
from workbench.scoring import BureauScores, read_scores, score
from workbench.session import InputFiles, Session

HEADERS_ZH = {
    "project_id": "项目编号",
    "expert_score": "专家评分",
    "approved_priority_score": "审定优先级得分",
    "note": "说明",
}


def in_chinese(row: dict[str, object]) -> dict[str, object]:
    return {HEADERS_ZH[k]: v for k, v in row.items()}


def scores_csv(path: Path, *rows: dict[str, object]) -> Path:
    """A scores table as the bureau writes it: Chinese headers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_csv(path, [in_chinese(r) for r in rows])


# Two projects competing for one 300 万元 ceiling: P2 scores higher on the model.
LOW = project(project_id="P1", priority_areas="", domain="教育")
HIGH = project(project_id="P2", priority_areas="数据资源、共性应用", domain="政务服务")
SCENARIO = "name: 测试\nplan_year: 2027\nceilings: {市本级: {2027: 300}}\n"


@pytest.fixture
def scenario(tmp_path: Path):
    path = tmp_path / "情景" / "测试.yaml"
    path.parent.mkdir()
    path.write_text(SCENARIO, "utf-8")
    return load_scenario(path)


def statuses(plan) -> dict[str, str]:
    return plan.projects.set_index("project_id")["status"].to_dict()


def values(plan) -> dict[str, float]:
    return plan.projects.set_index("project_id")["value"].to_dict()


# --- reading the file ------------------------------------------------------------------------


def test_chinese_csv_and_english_xlsx_are_read_alike(tmp_path):
    csv_path = scores_csv(
        tmp_path / "审定评分表.csv",
        {"project_id": "P1", "expert_score": "82.5", "approved_priority_score": "", "note": ""},
        {"project_id": "P2", "expert_score": "", "approved_priority_score": "90", "note": "纪要"},
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "审定评分"
    sheet.append(["审定评分表（市行政审批政务服务与数据管理局）"])  # a title row above the header
    sheet.append(["project_id", "expert_score", "approved_priority_score", "note"])
    sheet.append(["P1", 82.5, None, None])
    sheet.append(["P2", None, 90, "纪要"])
    xlsx_path = tmp_path / "scores.xlsx"
    book.save(xlsx_path)
    for path in (csv_path, xlsx_path):
        result = read_scores([path], ["P1", "P2"])
        assert result.rejections.empty, result.rejections.to_dict("records")
        table = BureauScores.from_intake(result)
        assert table.expert_scores.dropna().to_dict() == {"P1": 82.5}
        assert table.approved.dropna().to_dict() == {"P2": 90.0}
        assert table.table.at["P2", "note"] == "纪要"
        assert table.files[0]["file"] == path.name
        assert table.files[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_rows_are_rejected_with_file_row_column_and_a_chinese_reason(tmp_path):
    path = scores_csv(
        tmp_path / "审定评分表.csv",
        {"project_id": "P1", "expert_score": "120"},  # row 2: above 100
        {"project_id": "P2", "expert_score": "优"},  # row 3: not a number
        {"project_id": "", "expert_score": "80"},  # row 4: no id
        {"project_id": "P3", "expert_score": ""},  # row 5: neither score
        {"project_id": "P4", "expert_score": "70"},  # rows 6 and 7: the same id twice
        {"project_id": "P4", "expert_score": "75"},
        {"project_id": "P5", "expert_score": "88"},  # row 8: accepted
    )
    result = read_scores([path], ["P1", "P2", "P3", "P4", "P5"])
    assert result.accepted["project_id"].tolist() == ["P5"]
    rejected = result.rejections
    assert set(rejected["file"]) == {str(path)}
    by_row = {int(r.row): (r.column, r.reason) for r in rejected.itertuples()}
    assert sorted(by_row) == [2, 3, 4, 5, 6, 7]
    assert by_row[2][0] == "专家评分" and "100" in by_row[2][1]
    assert by_row[3][0] == "专家评分" and "优" in by_row[3][1]
    assert by_row[4][0] == "项目编号"
    assert by_row[5][0] == "审定优先级得分" and "均未填写" in by_row[5][1]
    assert by_row[6][0] == "项目编号" and "重复" in by_row[6][1]
    # every row is accounted for
    assert result.totals() == {"read": 7, "accepted": 1, "rejected": 6, "blank": 0}


def test_an_id_that_is_not_a_candidate_is_reported_not_ignored(tmp_path):
    path = scores_csv(
        tmp_path / "审定评分表.csv",
        {"project_id": "P1", "expert_score": "80"},
        {"project_id": "SB-404", "approved_priority_score": "95"},
    )
    result = read_scores([path], ["P1"])
    assert result.accepted["project_id"].tolist() == ["P1"]
    (row,) = result.rejections.itertuples()
    assert (row.file, int(row.row), row.column) == (str(path), 3, "项目编号")
    assert "SB-404" in row.reason and "不在本次受理的申报项目中" in row.reason


def test_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(IntakeFileError):
        read_scores([tmp_path / "没有这个文件.csv"])


# --- what the values do in the plan ----------------------------------------------------------


def test_a_units_own_100_changes_neither_value_nor_plan(checked, scenario):
    plain = plan_scenario(checked([LOW, HIGH]), scenario)[0]
    boasted = plan_scenario(checked([{**LOW, "priority_score": "100"}, HIGH]), scenario)[0]
    assert statuses(plain) == {"P1": "not_selected", "P2": "selected"}
    assert statuses(boasted) == statuses(plain)
    assert values(boasted) == values(plain)
    assert "bureau_scores" not in boasted.provenance["scoring"]


def test_a_bureau_override_changes_the_plan_and_is_named_in_provenance(checked, scenario, tmp_path):
    result = checked([LOW, HIGH])
    path = scores_csv(
        tmp_path / "评分" / "审定评分表.csv",
        {"project_id": "P1", "approved_priority_score": "100", "note": "市政府专题会议确定"},
    )
    table = read_scores([path], result.candidates)
    plan, scores = plan_scenario(result, scenario, bureau_scores=table)
    assert statuses(plan) == {"P1": "selected", "P2": "not_selected"}
    assert values(plan)["P1"] == 100.0 and scores.given["P1"]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    named = plan.provenance["scoring"]["bureau_scores"]
    assert named["files"] == [
        {"file": "审定评分表.csv", "sha256": digest, "bytes": path.stat().st_size}
    ]
    assert named["approved"] == {"P1": 100.0}
    inputs = [i for i in plan.provenance["inputs"] if i["table"] == "scores"]
    assert inputs == [{"table": "scores", **named["files"][0]}]
    assert str(tmp_path) not in repr(named) + repr(inputs)  # a file name, never a folder


def test_expert_scores_from_the_file_change_the_expert_criterion(checked, scenario, tmp_path):
    result = checked([LOW, HIGH])
    without = score(result.candidates)
    path = scores_csv(
        tmp_path / "审定评分表.csv",
        {"project_id": "P1", "expert_score": "100"},
        {"project_id": "P2", "expert_score": "0"},
    )
    scores = plan_scenario(result, scenario, bureau_scores=read_scores([path], ["P1", "P2"]))[1]
    assert without.criteria["expert_review"].isna().all()
    assert scores.criteria["expert_review"].to_dict() == {"P1": 100.0, "P2": 0.0}
    assert scores.value["P1"] > without.value["P1"] and scores.value["P2"] < without.value["P2"]
    assert not scores.given.any()


# --- the scenario's scores: and the session ---------------------------------------------------


def test_a_scenarios_scores_path_is_relative_to_the_scenario_file(tmp_path, monkeypatch):
    folder = tmp_path / "情景"
    (folder / "上级").mkdir(parents=True)
    (folder / "上级" / "父.yaml").write_text(SCENARIO + "scores: 父评分.csv\n", "utf-8")
    parent = folder / "上级" / "父.yaml"
    (folder / "子.yaml").write_text(f"inherits: '{parent}'\n", "utf-8")
    (folder / "自有.yaml").write_text(SCENARIO + "scores: 评分/审定评分表.csv\n", "utf-8")
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    own = load_scenario(folder / "自有.yaml")
    assert Path(own.scores) == folder / "评分" / "审定评分表.csv"
    # an inherited path stays relative to the file that wrote it
    assert Path(load_scenario(folder / "子.yaml").scores) == folder / "上级" / "父评分.csv"
    absolute = tmp_path / "绝对.csv"
    (folder / "绝对.yaml").write_text(SCENARIO + f"scores: '{absolute}'\n", "utf-8")
    assert Path(load_scenario(folder / "绝对.yaml").scores) == absolute
    assert load_scenario().scores == ""  # the shipped scenarios name none


def test_a_scenario_that_names_the_file_is_used_by_plan_and_session(tmp_path, checked):
    folder = tmp_path / "情景"
    scores_csv(
        folder / "审定评分表.csv",
        {"project_id": "P1", "approved_priority_score": "100"},
        {"project_id": "P9", "expert_score": "60"},  # not a candidate
    )
    path = folder / "审定.yaml"
    path.write_text(SCENARIO + "scores: 审定评分表.csv\n", "utf-8")
    scenario = load_scenario(path)
    # plan_scenario reads the scenario's file when no table is passed; what it could not use
    # is said in the notes
    plan, scores = plan_scenario(checked([LOW, HIGH]), scenario)
    assert statuses(plan)["P1"] == "selected"
    assert any("1行未采用" in note for note in scores.notes)
    # the session reads it as an intake table: its rejected row is reported with the others
    submissions = write_csv(tmp_path / "申报.csv", [LOW, HIGH])
    session = Session(InputFiles(submissions=(submissions,)), scenario=path)
    assert session.scores.given.to_dict() == {"P1": True, "P2": False}
    assert statuses(session.plan)["P1"] == "selected"
    rejected = session.rejections()
    assert rejected["数据表"].tolist() == ["审定评分表"]
    assert rejected["文件"].tolist() == ["审定评分表.csv"] and rejected["行"].tolist() == [3]
    assert "审定评分表" in session.intake_summary()["数据表"].tolist()
    inputs = [i for i in session.plan.provenance["inputs"] if i["table"] == "scores"]
    assert [i["file"] for i in inputs] == ["审定评分表.csv"]
    # a file given to the session is used instead of the scenario's
    other = scores_csv(tmp_path / "另一份.csv", {"project_id": "P2", "expert_score": "90"})
    given = Session(InputFiles(submissions=(submissions,)), scenario=path, scores=other)
    assert not given.scores.given.any()
    assert given.scores.criteria.at["P2", "expert_review"] == 90.0
    assert given.plan.provenance["scoring"]["bureau_scores"]["files"][0]["file"] == "另一份.csv"
    # and whatever re-plans from the session's scenario (the explorer app) scores with it too
    again = plan_scenario(given.check, given.scenario)[1]
    assert again.criteria.at["P2", "expert_review"] == 90.0
