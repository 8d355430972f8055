"""``workbench db due``: every obligation of a register built here, on SQLite and on PostgreSQL
(the ``db_url`` fixture of test_register_db).

Dates are counted from the 2026 arrangement (as tests/test_obligations.py counts them): 中秋节
25–27 September and 国庆节 1–7 October off, Saturday 10 October working. Thirty days from Monday
6 July end on Wednesday 5 August; ten working days from Thursday 24 September end on Thursday
15 October. 2027 is counted from an empty calendar folder: weekends only, with a notice.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import project, write_csv
from test_register_db import db_url

from workbench.cli import main
from workbench.english import english_sentences
from workbench.register.db import init_database
from workbench.register.records import EventRecord
from workbench.register.store import Register

__all__ = ["db_url"]  # the fixture, imported to be used here

D = dt.date
AS_OF = "2026-10-12"
ISSUE_FIELDS = {
    "project_id",
    "obligation",
    "article",
    "trigger",
    "trigger_date",
    "due_date",
    "status",
    "met_date",
    "days_late",
}
# What the obligation's JSON may add to the issue's fields (tests/test_obligations.py says so too).
EXTRA_FIELDS = {"obligation_name", "trigger_name", "opens_on"}
RANK = {"overdue": 0, "due_soon": 1, "met": 2, "not_yet": 2}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not english_sentences(out + err, allow=[a for a in argv if a]), out + err
    return code, out, err


def due_json(capsys, db: str, as_of: str = AS_OF, *more: str) -> dict:
    code, out, err = run(
        capsys, "db", "due", "--db", db, "--as-of", as_of, "--format", "json", *more
    )
    assert (code, err) == (0, "")
    return json.loads(out)


def statuses(payload: dict) -> dict[tuple[str, str], dict]:
    return {(o["project_id"], o["obligation"]): o for o in payload["obligations"]}


@pytest.fixture(autouse=True)
def weekends_only_after_2026(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty calendar folder: the library's years, and weekends only for 2027 on, whatever
    models/calendars holds by then."""
    folder = tmp_path / "日历"
    folder.mkdir()
    monkeypatch.setenv("WORKBENCH_CALENDARS", str(folder))


def e(pid: str, kind: str, day: str, amount: str | None = None, note: str = "") -> EventRecord:
    return EventRecord(
        pid, kind, D.fromisoformat(day), None if amount is None else Decimal(amount), note
    )


def build_register(db: str, tmp_path: Path, *, submissions: bool = True) -> str:
    """Four projects: P1 (市教育局) late in applying for approval; P2 (市公安局) waiting for the
    bureau's opinion over National Day; P3 (市公安局) built and accepted, with a change above
    15 % and one below; P4 (no submission) with an overdue rectification and a notice without
    a deadline, and a contract whose deployment falls due in 2027."""
    init_database(db)
    with Register.open(db) as register:
        if submissions:
            forms = write_csv(
                tmp_path / "申报.csv",
                [
                    project(project_id="P1", name="智慧教育平台建设项目", unit="市教育局"),
                    project(project_id="P2", name="警务协同平台建设项目", unit="市公安局"),
                    project(project_id="P3", name="交管数据平台建设项目", unit="市公安局"),
                ],
            )
            register.import_intake([forms], plan_year=2027, by="测试", received=D(2026, 7, 31))
        else:
            for pid in ("P1", "P2", "P3"):
                register.register_project(pid, f"项目{pid}", by="测试")
        register.register_project("P4", "档案数字化服务", by="测试")
        register.append_events(
            [
                e("P1", "proposal_approved", "2026-07-06"),
                e("P2", "proposal_approved", "2026-09-01"),
                e("P2", "approval_applied", "2026-09-24"),
                e("P3", "proposal_approved", "2025-01-06"),
                e("P3", "approval_applied", "2025-01-20"),
                e("P3", "review_opinion", "2025-01-27", "500"),
                e("P3", "contract_signed", "2025-02-24", "480"),
                e("P3", "construction_started", "2025-03-03"),
                e("P3", "change_filed", "2025-05-12", "90", "增加接入路口"),
                e("P3", "change_filed", "2025-06-02", "50", "调整设备型号"),
                e("P3", "midterm_self_evaluation", "2025-10-13"),
                e("P3", "preliminary_acceptance", "2026-02-09"),
                e("P3", "in_operation", "2026-02-16"),
                e("P3", "completion_applied", "2026-04-13"),
                e("P3", "completion_accepted", "2026-04-27", "480"),
                e("P3", "surplus_returned", "2026-05-11", "20"),
                e("P4", "rectification_notice", "2026-06-15", note="限期2026-09-30整改"),
                e("P4", "rectification_notice", "2026-07-01", note="数据未按目录共享"),
                e("P4", "contract_signed", "2026-08-03", "30"),
            ],
            by="测试",
        )
    return db


def test_json_in_the_issues_shape_overdue_first(db_url, capsys, tmp_path):
    payload = due_json(capsys, build_register(db_url, tmp_path))
    assert list(payload) == ["as_of", "obligations", "findings", "notices"]
    assert payload["as_of"] == AS_OF
    rows = payload["obligations"]
    for row in rows:
        assert ISSUE_FIELDS <= set(row) <= ISSUE_FIELDS | EXTRA_FIELDS
        assert row["article"].startswith("第")
    ranks = [RANK[r["status"]] for r in rows]
    assert ranks == sorted(ranks)
    assert {r["status"] for r in rows} == {"overdue", "due_soon", "met", "not_yet"}

    found = statuses(payload)
    late = found["P1", "approval_application"]
    assert (late["status"], late["due_date"], late["days_late"]) == ("overdue", "2026-08-05", 68)
    assert (late["article"], late["trigger"], late["trigger_date"]) == (
        "第十三条",
        "proposal_approved",
        "2026-07-06",
    )
    rectification = found["P4", "rectification"]
    assert (rectification["status"], rectification["days_late"]) == ("overdue", 12)
    opinion = found["P2", "review_opinion"]
    assert (opinion["status"], opinion["due_date"], opinion["days_late"]) == (
        "due_soon",
        "2026-10-15",
        0,
    )
    assert found["P2", "review_opinion_total"]["status"] == "not_yet"
    assert found["P2", "approval_application"]["met_date"] == "2026-09-24"
    assert found["P3", "surplus_return"]["status"] == "met"
    assert found["P3", "post_evaluation"]["status"] == "not_yet"
    # P1 to P3 are 建设类 by their submissions: 第二十四条's deployment is 采购服务类's.
    assert ("P3", "deployment") not in found
    # P4 has no submission: its category is not known, and its deployment is listed (2027).
    assert found["P4", "deployment"]["due_date"] == "2027-02-03"

    findings = {(f["project_id"], f["finding"]) for f in payload["findings"]}
    assert findings == {
        ("P3", "change_needs_approval"),
        ("P4", "rectification_without_deadline"),
    }
    change = next(f for f in payload["findings"] if f["finding"] == "change_needs_approval")
    assert change["article"] == "第二十八条" and "90万元" in change["message"]
    assert "500万元的18%" in change["message"]
    assert any("2027年的节假日安排尚未收录" in n for n in payload["notices"])


def test_text_counts_then_overdue_and_due_soon_with_articles(db_url, capsys, tmp_path):
    db = build_register(db_url, tmp_path)
    code, out, err = run(capsys, "db", "due", "--db", db, "--as-of", AS_OF)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("项目库 ") and "截至2026-10-12的期限义务共" in lines[0]
    counts = lines[1]
    assert counts.index("逾期2项") < counts.index("临期1项") < counts.index("已完成")
    assert "未到期" in counts
    overdue, soon = out.index("\n逾期（2项）"), out.index("\n临期（1项）")
    assert overdue < soon < out.index("\n说明") < out.index("\n其他发现（2项）")
    late_block = out[overdue:soon]
    header = late_block.splitlines()[2]
    columns = ("项目编号", "项目名称", "义务", "条款", "起算事件及日期", "期限届满日", "逾期天数")
    assert all(word in header for word in columns)
    p1 = next(line for line in late_block.splitlines() if line.strip().startswith("P1"))
    assert "智慧教育平台建设项目" in p1 and "提出项目审批申请" in p1 and "第十三条" in p1
    assert "建议书批复 2026-07-06" in p1 and "2026-08-05" in p1 and p1.endswith(" 68")
    p4 = next(line for line in late_block.splitlines() if line.strip().startswith("P4"))
    assert "限期整改" in p4 and "第三十八条" in p4 and p4.endswith(" 12")
    # the earlier due date first
    assert late_block.index("P1") < late_block.index("P4")
    soon_block = out[soon : out.index("\n说明")]
    assert "距届满天数" in soon_block
    p2 = next(line for line in soon_block.splitlines() if line.strip().startswith("P2"))
    assert "出具审核意见" in p2 and "审批申请 2026-09-24" in p2 and p2.endswith(" 3")
    assert "2027年的节假日安排尚未收录" in out and "只按周末计算" in out
    assert "调整备案金额90万元" in out and "第二十八条" in out
    assert "备注中没有可识别的整改期限日期" in out


@pytest.mark.parametrize(
    ("as_of", "status", "days_late"),
    [
        ("2026-08-04", "due_soon", 0),
        ("2026-08-05", "due_soon", 0),  # the due date itself is 临期, not 逾期
        ("2026-08-06", "overdue", 1),
    ],
)
def test_as_of_boundaries(db_url, capsys, tmp_path, as_of, status, days_late):
    payload = due_json(capsys, build_register(db_url, tmp_path), as_of)
    found = statuses(payload)["P1", "approval_application"]
    assert (found["status"], found["days_late"], found["due_date"]) == (
        status,
        days_late,
        "2026-08-05",
    )


def test_events_after_as_of_are_not_seen(db_url, capsys, tmp_path):
    payload = due_json(capsys, build_register(db_url, tmp_path), "2026-06-30")
    found = statuses(payload)
    assert ("P1", "approval_application") not in found and ("P2", "review_opinion") not in found
    assert {f["finding"] for f in payload["findings"]} == {"change_needs_approval"}
    assert found["P4", "rectification"]["status"] == "not_yet"  # due 2026-09-30


def test_unit_filter(db_url, capsys, tmp_path):
    db = build_register(db_url, tmp_path)
    payload = due_json(capsys, db, AS_OF, "--unit", "市公安局")
    assert {o["project_id"] for o in payload["obligations"]} == {"P2", "P3"}
    assert {f["project_id"] for f in payload["findings"]} == {"P3"}
    assert "另有1个项目未登记申报单位" in payload["notices"][0]

    code, out, _ = run(capsys, "db", "due", "--db", db, "--as-of", AS_OF, "--unit", "市教育局")
    assert code == 0
    assert "单位：市教育局" in out and "逾期1项，临期0项" in out
    assert "\n逾期（1项）" in out and "P2" not in out and "P4" not in out

    code, out, _ = run(capsys, "db", "due", "--db", db, "--as-of", AS_OF, "--unit", "市财政局")
    assert code == 0 and "项目库中没有申报单位为“市财政局”的项目" in out
    assert "期限义务共0项" in out


def test_a_register_without_units_lists_everything_and_says_so(db_url, capsys, tmp_path):
    db = build_register(db_url, tmp_path, submissions=False)
    payload = due_json(capsys, db, AS_OF, "--unit", "市公安局")
    assert {o["project_id"] for o in payload["obligations"]} == {"P1", "P2", "P3", "P4"}
    assert "项目库尚未登记项目的申报单位" in payload["notices"][0]
    assert "未能按单位“市公安局”筛选" in payload["notices"][0]
    code, out, _ = run(capsys, "db", "due", "--db", db, "--as-of", AS_OF, "--unit", "市公安局")
    assert code == 0 and out.splitlines()[3].strip().startswith("项目库尚未登记项目的申报单位")
    # Without submissions, the approved amount is the 审核意见's: 第二十八条 is judged all the same.
    assert {(f["project_id"], f["finding"]) for f in payload["findings"]} == {
        ("P3", "change_needs_approval"),
        ("P4", "rectification_without_deadline"),
    }


def test_bad_as_of_and_missing_register_exit_2_in_chinese(capsys, tmp_path):
    missing = tmp_path / "没有的项目库.sqlite"
    with pytest.raises(SystemExit) as exc:
        main(["db", "due", "--db", str(missing), "--as-of", "2026-13-01"])
    _, err = capsys.readouterr()
    assert exc.value.code == 2
    assert "“2026-13-01”不是 YYYY-MM-DD 格式的日期" in err
    assert not english_sentences(err, allow=["2026-13-01"])

    code, out, err = run(capsys, "db", "due", "--db", str(missing), "--as-of", AS_OF)
    assert (code, out) == (2, "")
    assert "不存在" in err and "workbench db init" in err and str(missing) in err
    assert not missing.exists()


def test_due_defaults_to_today(capsys, tmp_path):
    db = build_register(str(tmp_path / "项目库.sqlite"), tmp_path)
    payload = json.loads(run(capsys, "db", "due", "--db", db, "--format", "json")[1])
    assert payload["as_of"] == dt.date.today().isoformat()


def test_help_is_chinese(capsys):
    for command, option in (("due", "--as-of"), ("demo", "--force")):
        with pytest.raises(SystemExit) as exc:
            main(["db", command, "-h"])
        out, err = capsys.readouterr()
        assert exc.value.code == 0 and option in out
        assert not english_sentences(out + err), out


def test_a_broken_calendar_file_exits_2_in_chinese(capsys, tmp_path, monkeypatch):
    db = build_register(str(tmp_path / "项目库.sqlite"), tmp_path)
    folder = tmp_path / "日历2"
    folder.mkdir()
    (folder / "2027.yaml").write_text("year: 2027\nholidays: 不是列表\n", encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CALENDARS", str(folder))
    code, out, err = run(capsys, "db", "due", "--db", db, "--as-of", AS_OF)
    assert (code, out) == (2, "")
    assert "日历文件" in err and "2027.yaml" in err
