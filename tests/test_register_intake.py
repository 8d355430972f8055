"""July intakes into the 项目库 (``workbench db import``, issue #13): submissions as received
with their source, findings at entry, projects across years (a rename is an event), idempotent
re-import, the facts the obligations read, migration 0003; on SQLite and on PostgreSQL (the
``db_url`` fixture of test_register_db)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import project, write_csv
from test_register_db import REPO, db_url, raw, register, write_xlsx

from workbench import data
from workbench.cli import main
from workbench.english import english_sentences
from workbench.intake import read_table
from workbench.intake.columns import load_contract
from workbench.intake.registry import read_systems, read_usage
from workbench.policy import check
from workbench.register.db import (
    RegisterError,
    create_at_revision,
    head_revision,
    init_database,
)
from workbench.register.records import ProjectFacts
from workbench.register.store import EventSource, Register
from workbench.register.submissions import (
    StoredSubmission,
    candidates_frame,
    row_json,
    row_sha256,
)

__all__ = ["db_url", "register"]  # the fixtures, imported to be used here

D = dt.date


def own_rows() -> list[dict[str, object]]:
    """A department's form: two projects it may submit and one row the intake refuses."""
    return [
        project(project_id="SB2027-0001", name="智慧教育资源公共服务平台"),
        project(
            project_id="SB2027-0002",
            name="教育数据共享交换系统",
            summary="建设教育数据共享交换系统",
            ex_ante_evaluation="未评价",
        ),
        project(project_id="SB2027-0003", name="校园安防平台", total_investment="大约五百"),
    ]


def table_counts(db_url: str) -> dict[str, int]:
    tables = ("projects", "events", "submissions", "findings", "imports")
    return {t: raw(db_url, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not english_sentences(out + err, allow=[a for a in argv if a]), out + err
    return code, out, err


# -- rows as stored ---------------------------------------------------------------------------


def test_the_rows_rebuilt_from_the_register_check_as_the_forms_do():
    """A law: the candidates table rebuilt from stored rows is checked exactly as the table the
    intake read from the forms (derived columns and every finding)."""
    systems = read_systems([data.sample_systems()])
    usage = read_usage([data.sample_usage()], systems)
    intake = read_table([data.sample_candidates()])
    contract = load_contract("candidates")
    stored = []
    for i, record in enumerate(intake.accepted.to_dict("records")):
        # Through JSON text, as the database gives it back.
        row = json.loads(json.dumps(row_json(record, contract)))
        source = EventSource("candidates.csv", "", "", int(record["source_row"]))
        stored.append(
            StoredSubmission(
                i, record["project_id"], 2027, row, {}, row_sha256(row), None, "", source, "", None
            )
        )
    options = {"plan_year": 2027, "systems": systems.accepted, "usage": usage.accepted}
    before = check(intake.accepted, **options)
    after = check(candidates_frame(stored), **options)
    derived = ["project_id", "category_effective", "approval_route", "funding_pool"]
    assert after.candidates[derived].equals(before.candidates[derived])
    columns = ["project_id", "rule", "article", "severity", "message"]
    assert after.findings[columns].equals(before.findings[columns])
    assert list(after.findings["evidence"]) == json.loads(
        json.dumps(list(before.findings["evidence"]), default=str)
    )


def test_a_row_as_stored_has_every_intake_column_and_exact_amounts(tmp_path):
    contract = load_contract("candidates")
    rows = [dict(own_rows()[0], total_investment="1,234.50")]
    intake = read_table([write_csv(tmp_path / "amounts.csv", rows)])
    row = row_json(intake.accepted.to_dict("records")[0], contract)
    assert set(row) == set(contract.keys)
    assert row["total_investment"] == "1234.5"
    assert row["request_amount"] == "300" and row["construction_months"] == 12
    assert row["priority_areas"] == ["政务服务"] and row["is_upgrade"] is False
    assert row["district"] is None


# -- the import -------------------------------------------------------------------------------


def test_a_bad_row_is_rejected_with_its_place_and_the_others_are_stored(register, tmp_path):
    form = write_xlsx(tmp_path / "市教育局申报.xlsx", own_rows(), sheet="申报表")
    done = register.import_intake([form], plan_year=2027, by="张三")
    assert done.counts() == {
        "read": 3,
        "added": 2,
        "already_present": 0,
        "rejected": 1,
        "blank": 0,
        "unreadable_files": 0,
        "findings": done.findings_added,
    }
    [rejected] = done.intake.rejections.itertuples(index=False)
    assert (Path(rejected.file).name, rejected.sheet, rejected.row, rejected.column) == (
        "市教育局申报.xlsx",
        "申报表",
        5,  # a title row, the header, then the third project
        "总投资(万元)",
    )
    assert done.registered == ["SB2027-0001", "SB2027-0002"]
    assert [p.project_id for p in register.projects()] == ["SB2027-0001", "SB2027-0002"]
    first, second = register.submissions(plan_year=2027)
    sha = hashlib.sha256(form.read_bytes()).hexdigest()
    assert (first.project_id, first.plan_year, first.name) == (
        "SB2027-0001",
        2027,
        "智慧教育资源公共服务平台",
    )
    assert first.source == EventSource(
        "市教育局申报.xlsx", sha, "申报表", 3, first.source.import_id
    )
    assert second.source.row == 4 and first.recorded_by == "张三"
    assert first.row["total_investment"] == "500" and first.unit == "市教育局"
    assert first.checked["category_effective"] == "建设类"
    assert first.checked["funding_pool"] == "市本级"
    assert raw(
        register_url(register),
        "SELECT kind, file_name, rows_read, rows_accepted, rows_rejected FROM imports",
    ) == [("intake", "市教育局申报.xlsx", 3, 2, 1)]


def register_url(register: Register) -> str:
    return register.url.render_as_string(hide_password=False)


def test_findings_at_entry_are_the_checks_and_are_stored_with_the_submission(register, tmp_path):
    form = write_csv(tmp_path / "申报.csv", own_rows()[:2])
    done = register.import_intake([form], plan_year=2027)
    expected = check(read_table([form]).accepted, plan_year=2027).findings
    stored = register.findings(plan_year=2027)
    assert done.findings_added == len(expected) == len(stored)
    assert [(f.project_id, f.rule, f.article, f.severity, f.message) for f in stored] == list(
        expected[["project_id", "rule", "article", "severity", "message"]].itertuples(
            index=False, name=None
        )
    )
    submission = {s.project_id: s.id for s in register.submissions()}
    assert all(f.submission_id == submission[f.project_id] for f in stored)
    [ex_ante] = [f for f in register.findings(project_id="SB2027-0002") if f.severity == "exclude"]
    assert (ex_ante.rule, ex_ante.article) == ("ex_ante_evaluation", "第三十四条")
    assert ex_ante.evidence["ex_ante_evaluation"] == "未评价"


def test_importing_twice_or_a_re_export_changes_nothing(register, tmp_path):
    url = register_url(register)
    form = write_csv(tmp_path / "申报.csv", own_rows()[:2])
    first = register.import_intake([form], plan_year=2027)
    assert (first.added, first.already_present) == (2, 0)
    before = table_counts(url)
    again = register.import_intake([form], plan_year=2027)
    assert (again.added, again.already_present, again.findings_added) == (0, 2, 0)
    # Rows in another order, typed otherwise, under another name: the same submissions.
    reordered = [
        dict(r, total_investment=f"{r['total_investment']}.00万元") for r in own_rows()[1::-1]
    ]
    export = register.import_intake(
        [write_xlsx(tmp_path / "再导出.xlsx", reordered)], plan_year=2027
    )
    assert (export.added, export.already_present, export.registered, export.renamed) == (
        0,
        2,
        [],
        [],
    )
    after = table_counts(url)
    assert after == {**before, "imports": before["imports"] + 2}  # each import is on record


def test_a_correction_is_a_new_submission_and_taking_it_back_is_another(register, tmp_path):
    original = write_csv(tmp_path / "原.csv", own_rows()[:1])
    corrected = write_csv(tmp_path / "改.csv", [dict(own_rows()[0], request_amount="250")])
    for form in (original, corrected, original, original):
        register.import_intake([form], plan_year=2027)
    found = register.submissions(project_id="SB2027-0001")
    assert [s.row["request_amount"] for s in found] == ["300", "250", "300"]
    assert [s.previous_id for s in found] == [None, found[0].id, found[1].id]
    [latest] = register.submissions(plan_year=2027, latest=True)
    assert latest.id == found[-1].id


def test_a_project_resubmitted_next_year_under_a_new_name_is_the_same_project(register, tmp_path):
    url = register_url(register)
    y2027 = write_csv(tmp_path / "2027.csv", own_rows()[:1])
    register.import_intake([y2027], plan_year=2027, by="张三")
    renamed = [project(project_id="SB2027-0001", name="教育资源公共服务平台（二期）")]
    y2028 = write_csv(tmp_path / "2028.csv", renamed)
    done = register.import_intake([y2028], plan_year=2028, by="李四", received=D(2027, 7, 20))
    assert done.registered == [] and done.added == 1
    assert [(r.project_id, r.date, r.name) for r in done.renamed] == [
        ("SB2027-0001", D(2027, 7, 20), "教育资源公共服务平台（二期）")
    ]
    info = register.project("SB2027-0001")
    assert (info.name, info.registered_name) == (
        "教育资源公共服务平台（二期）",
        "智慧教育资源公共服务平台",
    )
    assert [s.plan_year for s in register.submissions(project_id="SB2027-0001")] == [2027, 2028]
    [event] = register.history("SB2027-0001")
    assert (event.record.kind, event.record.date, event.record.note, event.recorded_by) == (
        "renamed",
        D(2027, 7, 20),
        "教育资源公共服务平台（二期）",
        "李四",
    )
    assert (event.source.file, event.source.row) == ("2028.csv", 2)
    again = register.import_intake([y2028], plan_year=2028, received=D(2027, 8, 1))
    assert (again.added, again.renamed) == (0, [])
    assert table_counts(url)["projects"] == 1 and table_counts(url)["events"] == 1


def test_an_amount_finer_than_a_fen_is_not_accepted(register, tmp_path):
    form = write_csv(tmp_path / "申报.csv", [project(request_amount="300.1234567")])
    done = register.import_intake([form], plan_year=2027)
    assert done.added == 0
    [rejected] = done.intake.rejections.itertuples(index=False)
    assert (rejected.row, rejected.column) == (2, "本年度申请资金(万元)")
    assert "超过6位小数" in rejected.reason


def test_project_facts_come_from_the_latest_submission(register, tmp_path):
    register.import_intake([write_csv(tmp_path / "a.csv", own_rows()[:2])], plan_year=2027)
    later = [
        project(
            project_id="SB2027-0001",
            name="智慧教育资源公共服务平台",
            unit="市教育局（市语委）",
            total_investment="600",
            construction_months="18",
        )
    ]
    register.import_intake([write_csv(tmp_path / "b.csv", later)], plan_year=2028)
    register.register_project("EV-1", "只有事件的项目")
    facts = register.project_facts()
    assert facts == {
        "SB2027-0001": ProjectFacts(
            "SB2027-0001", "建设类", 18, Decimal("600"), "市教育局（市语委）"
        ),
        "SB2027-0002": ProjectFacts("SB2027-0002", "建设类", 12, Decimal("500"), "市教育局"),
    }


def test_the_new_tables_refuse_updates_and_deletes(register, tmp_path):
    url = register_url(register)
    register.import_intake([write_csv(tmp_path / "a.csv", own_rows()[:2])], plan_year=2027)
    for sql in (
        "UPDATE submissions SET plan_year = 2030",
        "DELETE FROM submissions",
        "UPDATE findings SET severity = 'info'",
        "DELETE FROM findings",
    ):
        with pytest.raises(sa.exc.DBAPIError):
            raw(url, sql)
    assert table_counts(url)["submissions"] == 2


# -- the command ------------------------------------------------------------------------------


def test_without_input_nothing_is_imported_and_the_sample_only_when_asked(db_url, capsys):
    init_database(db_url)
    code, out, err = run(capsys, "db", "import", "--db", db_url, "--year", "2027")
    assert (code, out) == (2, "") and "--sample" in err and "不会自动入库" in err
    code, out, err = run(capsys, "db", "import", "申报.xlsx", "--sample", "--db", db_url)
    assert code == 2 and "不能同时指定" in err
    assert table_counts(db_url) == dict.fromkeys(table_counts(db_url), 0)

    code, out, err = run(capsys, "db", "import", "--sample", "--db", db_url, "--by", "演示")
    assert (code, err) == (0, "")
    sample_rows = len(read_table([data.sample_candidates()]).accepted)
    assert out.startswith("申报入库（项目库 ")
    assert f"2027年度计划）\n读取{sample_rows}行：新增申报{sample_rows}份" in out
    assert "等\n" in out  # the new projects named, not all of them
    counts = table_counts(db_url)
    assert counts["projects"] == counts["submissions"] == sample_rows
    assert [r[0] for r in raw(db_url, "SELECT DISTINCT kind FROM imports ORDER BY kind")] == [
        "intake",
        "systems",
        "usage",
    ]
    # The sample's own registry and usage are read with it, as `check` reads them.
    assert "第六条第（五）项、第（七）项未审核" not in out
    with Register.open(db_url) as reg:
        facts = reg.project_facts()
    checked = check(
        read_table([data.sample_candidates()]).accepted, plan_year=2027
    ).candidates.set_index("project_id")["category_effective"]
    assert {pid: f.category for pid, f in facts.items()} == checked.to_dict()


def test_own_forms_as_json_exit_2_naming_the_rejected_row(db_url, capsys, tmp_path):
    init_database(db_url)
    form = write_xlsx(tmp_path / "申报.xlsx", own_rows(), sheet="申报表")
    code, out, err = run(capsys, "db", "import", str(form), "--db", db_url)
    assert code == 2 and "--year" in err
    argv = ["db", "import", str(form), "--year", "2027", "--db", db_url, "--format", "json"]
    code, out, err = run(capsys, *argv)
    assert code == 2 and err.startswith("有1行未受理") and "申报.xlsx 申报表 第5行" in err
    payload = json.loads(out)
    assert (payload["plan_year"], payload["added"], payload["rejected"]) == (2027, 2, 1)
    assert payload["registered"] == ["SB2027-0001", "SB2027-0002"]
    assert payload["rejected_rows"] == [
        {
            "table": "candidates",
            "file": str(form),
            "sheet": "申报表",
            "row": 5,
            "column": "总投资(万元)",
            "reason": payload["rejected_rows"][0]["reason"],
        }
    ]
    assert payload["findings"] > 0 and payload["policy_pack"]["id"] == "ordos-2025"
    code, out, err = run(capsys, "db", "import", str(form), "--year", "2027", "--db", db_url)
    assert code == 2 and "新增申报0份，库中已有2份，未受理1行" in out
    assert "申报.xlsx 申报表 第5行 列“总投资(万元)”：" in out
    assert "未提供已建系统登记表（--systems）" in out


def test_usage_without_the_registry_is_refused(db_url, capsys, tmp_path):
    init_database(db_url)
    form = write_csv(tmp_path / "申报.csv", own_rows()[:1])
    argv = ["db", "import", str(form), "--year", "2027", "--db", db_url]
    code, _, err = run(capsys, *argv, "--usage", str(data.sample_usage()))
    assert code == 2 and "须与已建系统登记表（--systems）一同提供" in err
    code, _, err = run(capsys, "db", "import", str(form), "--year", "1999", "--db", db_url)
    assert code == 2 and "不在2000至2100年之间" in err


def test_help_is_chinese(capsys):
    for command in ("import", "adopt"):
        with pytest.raises(SystemExit) as exc:
            main(["db", command, "-h"])
        out, err = capsys.readouterr()
        assert exc.value.code == 0 and "--year" in out
        assert not english_sentences(out + err), out


# -- migration --------------------------------------------------------------------------------


def test_a_register_at_0002_migrates_to_0003_keeping_its_rows(db_url, tmp_path):
    create_at_revision(db_url, "0002")
    raw(
        db_url,
        # Numbered by the database (PostgreSQL's sequences then go on from them).
        "INSERT INTO imports (kind, file_name, sha256, imported_at, imported_by, rows_read, "
        "rows_accepted, rows_rejected, rows_blank) VALUES ('events', '事件.xlsx', "
        f"'{'b' * 64}', '2025-07-01 08:00:00', '张三', 1, 1, 0, 0)",
    )
    raw(
        db_url,
        "INSERT INTO projects (project_key, name, first_seen_at, first_seen_by, first_import_id) "
        "SELECT 'SB2027-0001', '旧名称', '2025-07-01 08:00:00', '张三', max(id) FROM imports",
    )
    raw(
        db_url,
        "INSERT INTO events (project_id, kind, event_date, amount, note, recorded_by, "
        "recorded_at, import_id, source_file, source_sha256, source_sheet, source_row, "
        "content_key) SELECT max(p.id), 'contract_signed', '2025-03-01', '80.5', '', '张三', "
        f"'2025-07-01 08:00:00', max(i.id), '事件.xlsx', '{'b' * 64}', '事件登记', 3, "
        f"'{'1' * 64}' FROM projects p, imports i",
    )
    with pytest.raises(RegisterError, match="结构版本为0002"):
        Register.open(db_url)
    with _upgraded(db_url) as reg:
        [contract] = reg.history("SB2027-0001")
        assert (contract.record.amount, contract.source.sheet) == (Decimal("80.5"), "事件登记")
        assert reg.submissions() == [] and reg.adoptions() == []
        # The project the events knew is the one its July submission joins.
        done = reg.import_intake([write_csv(tmp_path / "申报.csv", own_rows()[:1])], plan_year=2027)
        assert (done.registered, done.added) == ([], 1)
        assert [r.name for r in done.renamed] == ["智慧教育资源公共服务平台"]
    with pytest.raises(sa.exc.DBAPIError):
        raw(db_url, "DELETE FROM submissions")
    assert raw(db_url, "SELECT count(*) FROM events") == [(2,)]


def _upgraded(db_url: str) -> Register:
    from workbench.register.db import upgrade_database

    done = upgrade_database(db_url)
    assert (done.before, done.after) == ("0002", head_revision())
    return Register.open(db_url)


def test_the_same_intake_imported_by_two_processes_at_once_is_recorded_once(db_url, tmp_path):
    init_database(db_url)
    form = write_csv(tmp_path / "申报.csv", own_rows()[:2])
    argv = ["db", "import", str(form), "--year", "2027", "--db", db_url, "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "workbench", *argv, "--by", by],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for by in ("甲", "乙")
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
        results.append(json.loads(out))
    assert sorted(r["added"] for r in results) == [0, 2]
    assert sorted(r["already_present"] for r in results) == [0, 2]
    findings = max(r["findings"] for r in results)
    assert findings > 0 and min(r["findings"] for r in results) == 0
    counts = table_counts(db_url)
    assert (counts["projects"], counts["submissions"], counts["findings"]) == (2, 2, findings)
