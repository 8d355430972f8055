"""``workbench db demo``: the sample's register history (2024–2026), written by the seeded sample
generator and imported through the event table's path; on SQLite and on PostgreSQL (the
``db_url`` fixture of test_register_db)."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from test_register_db import REPO, db_url

from workbench.cli import main
from workbench.data import sample_dir
from workbench.english import english_sentences
from workbench.register.db import init_database
from workbench.register.demo import DEMO_BY, EARLIER_FILE, EVENTS_FILE
from workbench.register.records import EventRecord
from workbench.register.store import Register

__all__ = ["db_url"]  # the fixture, imported to be used here

AS_OF = "2026-10-12"
# The stories scripts/sample_spec.yaml pins to be overdue on 2026-10-12.
PINNED_OVERDUE = {
    ("SB2027-0046", "construction"),  # 建设期届满未初步验收
    ("SB2027-0029", "completion_application"),  # 初步验收后未申请竣工验收
    ("SB2027-0084", "deployment"),  # 合同签订后6个月未投入运行
    ("SB2027-0024", "surplus_return"),  # 竣工验收后未退回结余资金
    ("SB2027-0098", "approval_application"),  # 建议书批复后未提出审批申请
    ("SB2027-0044", "rectification"),  # 限期2026-09-30整改，未完成
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not english_sentences(out + err, allow=[a for a in argv if a]), out + err
    return code, out, err


def test_the_generator_writes_the_register_history_byte_for_byte(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        "make_sample", REPO / "scripts" / "make_sample.py"
    )
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.main(["--out", str(tmp_path)]) == 0
    assert "项目库示例事件" in capsys.readouterr().out
    for name in (EVENTS_FILE, "candidates.csv", "systems.csv", "usage.csv", "README.md"):
        assert (tmp_path / name).read_bytes() == (sample_dir() / name).read_bytes(), name
    title = (sample_dir() / EVENTS_FILE).read_text(encoding="utf-8").splitlines()[0]
    assert "合成数据，非真实记录" in title


def test_demo_then_due_lists_the_overdue_with_articles_first(db_url, capsys):
    code, out, err = run(capsys, "db", "demo", "--db", db_url)
    assert (code, err) == (0, "")
    assert out.startswith("已写入示例项目库（合成数据，非真实记录）：")
    # Both intakes' projects registered once (a project of 2026 resubmitted in 2027 is one).
    ids = {
        r["项目编号"]
        for name in ("candidates.csv", EARLIER_FILE)
        for r in csv.DictReader((sample_dir() / name).open(encoding="utf-8"))
    }
    assert f"新登记项目{len(ids)}个" in out and "新增申报记录222条" in out
    assert "样例2026年度申报38项并审定2026年度计划" in out
    assert f"workbench db due --as-of {AS_OF}" in out

    code, out, err = run(capsys, "db", "due", "--db", db_url, "--as-of", AS_OF)
    assert (code, err) == (0, "")
    first_section = out.split("\n\n")[1].splitlines()
    assert first_section[0] == f"逾期（{len(PINNED_OVERDUE)}项）"
    listed = first_section[2:]
    assert len(listed) == len(PINNED_OVERDUE)
    assert all("第" in line and "条" in line for line in listed)
    assert any("限期整改" in line and "第三十八条" in line for line in listed)
    assert out.index("\n逾期（") < out.index("\n临期（")

    code, out, _ = run(capsys, "db", "due", "--db", db_url, "--as-of", AS_OF, "--format", "json")
    payload = json.loads(out)
    rows = payload["obligations"]
    overdue = [r for r in rows if r["status"] == "overdue"]
    assert rows[: len(overdue)] == overdue  # overdue first
    assert {(r["project_id"], r["obligation"]) for r in overdue} == PINNED_OVERDUE
    assert all(r["article"] for r in rows)
    assert {r["status"] for r in rows} == {"overdue", "due_soon", "met", "not_yet"}
    assert {f["finding"] for f in payload["findings"]} == {
        "change_needs_approval",
        "rectification_without_deadline",
    }
    assert len({r["project_id"] for r in rows}) >= 40


def test_demo_records_say_they_are_demo_data(db_url, capsys):
    code, out, _ = run(capsys, "db", "demo", "--db", db_url, "--format", "json")
    assert code == 0
    done = json.loads(out)
    assert done["demo"] is True and done["recorded_by"] == DEMO_BY
    assert done["source"]["file"] == EVENTS_FILE and done["added"] > 300
    code, out, _ = run(capsys, "db", "history", "SB2027-0044", "--db", db_url)
    assert code == 0
    assert f"{DEMO_BY}登记于" in out and f"来源：{EVENTS_FILE} 第" in out
    assert "整改通知" in out and "限期2026-09-30整改" in out


def test_demo_twice_refuses_and_force_adds_nothing(db_url, capsys):
    assert run(capsys, "db", "demo", "--db", db_url)[0] == 0
    code, out, err = run(capsys, "db", "demo", "--db", db_url)
    assert (code, out) == (2, "")
    assert "已有示例数据" in err and "未再写入" in err and "--force" in err
    code, out, err = run(capsys, "db", "demo", "--db", db_url, "--force", "--format", "json")
    assert (code, err) == (0, "")
    done = json.loads(out)
    assert (done["registered"], done["submissions"], done["added"]) == (0, 0, 0)
    assert done["already_present"] > 300


def test_demo_refuses_a_register_with_other_data(db_url, capsys):
    init_database(db_url)
    with Register.open(db_url) as register:
        register.register_project("P1", "一网统管平台", by="王五")
        where = register.where
    for force in ((), ("--force",)):
        code, out, err = run(capsys, "db", "demo", "--db", db_url, *force)
        assert (code, out) == (2, "")
        assert f"项目库 {where} 中已有非示例数据（项目1个" in err
        assert "--db 示例项目库.sqlite" in err
    with Register.open(db_url) as register:
        assert [p.project_id for p in register.projects()] == ["P1"]


def test_demo_refuses_a_demo_register_someone_added_to(capsys, tmp_path):
    db = str(tmp_path / "示例.sqlite")
    assert run(capsys, "db", "demo", "--db", db)[0] == 0
    with Register.open(db) as register:
        from datetime import date

        register.append_events(
            [EventRecord("SB2027-0001", "proposal_approved", date(2026, 9, 1))], by="王五"
        )
    code, _, err = run(capsys, "db", "demo", "--db", db, "--force")
    assert code == 2 and "事件及申报记录1条" in err


def test_demo_creates_the_default_register_in_the_working_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    code, out, _ = run(capsys, "db", "demo")
    assert code == 0 and "项目库原不存在，已创建" in out
    assert Path("项目库.sqlite").exists()
    code, out, _ = run(capsys, "db", "due", "--as-of", AS_OF)
    assert code == 0 and "\n逾期（" in out
