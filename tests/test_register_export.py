"""``workbench db export``: the register as a workbook, one sheet per table; on SQLite and on
PostgreSQL (the ``db_url`` fixture of test_register_db). Each workbook is read back with openpyxl
and compared with the database itself."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from test_register_db import db_url, raw

from workbench.cli import main
from workbench.english import english_sentences
from workbench.labels import DB_EXPORT_LABELS as L
from workbench.register import export as export_module
from workbench.register.db import database_url, head_revision, init_database
from workbench.register.demo import write_demo
from workbench.register.export import export_register
from workbench.register.records import EventRecord
from workbench.register.schema import ExactAmount, metadata
from workbench.register.store import Register

__all__ = ["db_url"]  # the fixture, imported to be used here

FORMULAS = ('=HYPERLINK("http://example.invalid","点此")', "+1+2", "-3*4", "@SUM(A1:A3)")
SHORT = Decimal("123456789.123456")  # 15 significant digits: a number Excel holds exactly
LONG = Decimal("12345678901234.567891")  # 20: more than an Excel number keeps


@pytest.fixture
def demo(db_url: str) -> str:
    """The demo register, and events of our own: formula-looking notes, amounts of 15 and of
    20 significant digits."""
    write_demo(db_url)
    with Register.open(db_url) as register:
        pid = register.projects()[0].project_id
        day = dt.date(2026, 3, 2)
        records = [EventRecord(pid, "filed", day, note=note) for note in FORMULAS]
        records += [EventRecord(pid, "change_filed", day, amount=a) for a in (SHORT, LONG)]
        assert register.append_events(records, by="测试").added == len(records)
    return db_url


def tables_in(db: str) -> list[str]:
    engine = sa.create_engine(database_url(db))
    try:
        with engine.connect() as connection:
            return sa.inspect(connection).get_table_names()
    finally:
        engine.dispose()


def sheet_rows(ws) -> list[dict[str, object]]:
    rows = ws.iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_every_table_is_a_sheet_with_all_its_rows(demo, tmp_path):
    out = tmp_path / "项目库.xlsx"
    result = export_register(demo, out)
    wb = openpyxl.load_workbook(out)
    present = set(tables_in(demo))
    exported = [t.name for t in metadata.sorted_tables if t.name in present]
    assert sorted(s.table for s in result.sheets) == sorted(exported)
    assert wb.sheetnames[0] == "说明"
    assert sorted(wb.sheetnames[1:]) == sorted(L[f"sheet.{t}"] for t in exported)
    for sheet in result.sheets:
        (count,) = raw(demo, f'SELECT count(*) FROM "{sheet.table}"')[0]
        assert sheet.rows == count == wb[sheet.sheet].max_row - 1, sheet
    assert {s.table: s.rows for s in result.sheets}["events"] > 360  # the demo's and ours

    about = {row[0]: row[1] for row in wb["说明"].iter_rows(values_only=True) if row[0]}
    password = database_url(demo).password
    assert about["项目库"] == result.database and f":{password}@" not in result.database
    assert about["结构版本"] == head_revision()
    listed = {row[0]: row[2] for row in wb["说明"].iter_rows(values_only=True) if row[0]}
    assert all(listed[s.sheet] == s.rows for s in result.sheets)


def test_event_cells_keep_what_the_database_holds(demo, tmp_path):
    out = tmp_path / "项目库.xlsx"
    export_register(demo, out)
    events = sheet_rows(openpyxl.load_workbook(out)[L["sheet.events"]])
    stored = raw(demo, "SELECT id, kind, event_date, amount, recorded_at FROM events ORDER BY id")
    assert len(stored) > 360
    assert [e["事件记录号"] for e in events] == [s[0] for s in stored]
    amount_header = L["unit.amount"].format(header=L["column.amount"])
    moment_header = L["unit.utc"].format(header=L["column.recorded_at"])
    for event, (_, kind, day, amount, moment) in zip(events, stored, strict=True):
        assert event["事件代码"] == kind  # the key stays, its name beside it
        assert event["事件"] and event["事件"] != kind
        assert event["事件日期"].date() == dt.date.fromisoformat(str(day))
        if amount is None:
            assert event[amount_header] is None
        else:
            assert Decimal(str(event[amount_header])) == Decimal(str(amount)), event
        at = moment if isinstance(moment, dt.datetime) else dt.datetime.fromisoformat(moment)
        at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)  # SQLite: naive UTC text
        assert event[moment_header].endswith("Z")
        assert dt.datetime.fromisoformat(event[moment_header]) == at
    by_amount = {e[amount_header] for e in events}
    assert float(SHORT) in by_amount  # a number, exact
    assert "12345678901234.567891" in by_amount  # text rather than rounded
    registered = {r[0]: r[1] for r in raw(demo, "SELECT id, project_key FROM projects")}
    assert all(e["项目编号"] == registered[e["项目内部号"]] for e in events)


def test_text_that_looks_like_a_formula_stays_text(demo, tmp_path):
    out = tmp_path / "项目库.xlsx"
    export_register(demo, out)
    ws = openpyxl.load_workbook(out)[L["sheet.events"]]
    header = [c.value for c in ws[1]]
    notes = [row[header.index("说明")] for row in ws.iter_rows(min_row=2)]
    found = {c.value: c for c in notes if c.value in FORMULAS}
    assert set(found) == set(FORMULAS)
    assert all(c.data_type == "s" and c.quotePrefix for c in found.values())
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


def test_json_columns_are_compact_json_text(demo, tmp_path):
    out = tmp_path / "项目库.xlsx"
    export_register(demo, out)
    submissions = sheet_rows(openpyxl.load_workbook(out)[L["sheet.submissions"]])
    header = L["unit.json"].format(header=L["column.submissions.row"])
    stored = raw(demo, "SELECT row FROM submissions ORDER BY id")
    assert len(submissions) == len(stored) > 0
    for submission, (row,) in zip(submissions, stored, strict=True):
        text = submission[header]
        assert "\\u" not in text  # Chinese as it is
        assert json.loads(text) == (json.loads(row) if isinstance(row, str) else row)
        assert json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) == text


def test_a_table_the_database_lacks_is_left_out_and_an_unknown_one_kept(
    db_url, tmp_path, monkeypatch
):
    """As if the code were a migration ahead of the database (``not_yet_migrated``), and the
    database held a table the labels do not name (``later_things``)."""
    init_database(db_url)
    code = sa.MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(code)
    later = sa.Table(
        "later_things",
        code,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("row", sa.JSON),
        sa.Column("amount", ExactAmount()),
    )
    sa.Table("not_yet_migrated", code, sa.Column("id", sa.Integer, primary_key=True))
    engine = sa.create_engine(database_url(db_url))
    with engine.begin() as connection:
        later.create(connection)
        connection.execute(
            later.insert(), {"id": 1, "row": {"名称": "=x"}, "amount": Decimal("1.5")}
        )
    engine.dispose()
    monkeypatch.setattr(export_module, "metadata", code)

    out = tmp_path / "项目库.xlsx"
    result = export_register(db_url, out)
    wb = openpyxl.load_workbook(out)
    assert result.missing == ("not_yet_migrated",)
    assert "not_yet_migrated" not in wb.sheetnames
    assert any("not_yet_migrated" in str(r[0]) for r in wb["说明"].iter_rows(values_only=True))
    assert wb.sheetnames[-1] == "later_things"  # its own name, after the named tables
    assert sheet_rows(wb["later_things"]) == [
        {"记录号": 1, "原行内容（JSON）": '{"名称":"=x"}', "金额（万元）": 1.5}
    ]
    assert all(s.rows == 0 for s in result.sheets if s.table != "later_things")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not english_sentences(out + err, allow=[a for a in argv if a]), out + err
    return code, out, err


def test_the_command_in_text_and_json(demo, tmp_path, capsys):
    out = tmp_path / "项目库.xlsx"
    code, text, err = run(capsys, "db", "export", str(out), "--db", demo)
    assert (code, err) == (0, "")
    (events,) = raw(demo, "SELECT count(*) FROM events")[0]
    assert text.startswith("已将项目库 ") and f"导出为 {out}" in text
    assert f"  事件：{events}行" in text.splitlines()

    out.unlink()
    code, text, err = run(capsys, "db", "export", str(out), "--db", demo, "--format", "json")
    assert (code, err) == (0, "")
    payload = json.loads(text)
    assert set(payload) == {"database", "path", "sheets"} and payload["path"] == str(out)
    assert all(set(s) == {"table", "sheet", "rows"} for s in payload["sheets"])
    assert {s["table"]: s["rows"] for s in payload["sheets"]}["events"] == events
    assert out.exists()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("没有的文件夹/项目库.xlsx", "文件夹不存在"),
        ("项目库.csv", ".xlsx"),
        ("子文件夹.xlsx", "是一个文件夹"),
    ],
)
def test_an_out_path_it_cannot_write_is_refused(tmp_path, capsys, name, words):
    db = str(tmp_path / "项目库.sqlite")
    init_database(db)
    (tmp_path / "子文件夹.xlsx").mkdir()
    before = sorted(tmp_path.iterdir())
    code, text, err = run(capsys, "db", "export", str(tmp_path / name), "--db", db)
    assert (code, text) == (2, "")
    assert words in err and "Traceback" not in err
    assert sorted(tmp_path.iterdir()) == before


def test_an_interrupted_export_leaves_no_file(demo, tmp_path, monkeypatch):
    folder = tmp_path / "导出"
    folder.mkdir()
    out = folder / "项目库.xlsx"
    cells = 0
    original = export_module._value

    def failing(ws, value):
        nonlocal cells
        cells += 1
        if cells == 3_000:  # well into the rows
            raise KeyboardInterrupt
        return original(ws, value)

    monkeypatch.setattr(export_module, "_value", failing)
    with pytest.raises(KeyboardInterrupt):
        export_register(demo, out)
    assert cells == 3_000 and list(folder.iterdir()) == []

    # An earlier workbook stays as it was when the save itself is interrupted.
    monkeypatch.setattr(export_module, "_value", original)
    out.write_bytes(b"earlier")

    def half_saved(self, filename):
        Path(filename).write_bytes(b"PK half a workbook")
        raise OSError(28, "No space left on device", str(filename))

    monkeypatch.setattr(openpyxl.Workbook, "save", half_saved)
    with pytest.raises(export_module.RegisterError, match="无法写出导出文件"):
        export_register(demo, out)
    assert list(folder.iterdir()) == [out] and out.read_bytes() == b"earlier"
