"""The 项目库's database (issue #13): creation and migrations, the append-only event store, the
event table's import, concurrency, history and past states. Every test that touches a database
runs on SQLite and on PostgreSQL through the ``db_url`` fixture: PostgreSQL comes from
``WORKBENCH_TEST_PG_URL`` (a role that may create databases; each test gets a database of its
own, dropped afterwards), skipped when it is not set, except under ``CI=true`` where a missing
server is a failure (.ci/run starts one)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
import uuid
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from conftest import write_csv

import workbench
from workbench.register.db import (
    RegisterError,
    create_at_revision,
    create_database_engine,
    database_url,
    head_revision,
    init_database,
    upgrade_database,
)
from workbench.register.records import EventRecord
from workbench.register.store import Register

PG_ENV = "WORKBENCH_TEST_PG_URL"
REPO = Path(workbench.__file__).resolve().parents[1]
D = dt.date


# -- backends ---------------------------------------------------------------------------------


def postgres_admin_url() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is not set: under CI=true the PostgreSQL tests must run")
        pytest.skip(f"PostgreSQL tests: set {PG_ENV} (see .ci/run) to run them")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A database no register was created in yet: an SQLite file (named by its plain path, as
    users give it), or a fresh PostgreSQL database, dropped afterwards."""
    if request.param == "sqlite":
        yield str(tmp_path / "项目库.sqlite")
        return
    admin_url = database_url(postgres_admin_url())
    name = f"wb_test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


def drop_database(admin: sa.Engine, name: str, attempts: int = 20) -> None:
    """DROP … WITH (FORCE) ends the test's own sessions, but not an autovacuum worker of the
    server's superuser that happens to be in the new database (InsufficientPrivilege for the
    `workbench` role): such a worker finishes in moments, so the drop is tried again."""
    for attempt in range(attempts):
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except sa.exc.DBAPIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.25)


@pytest.fixture
def register(db_url: str):
    init_database(db_url)
    with Register.open(db_url) as reg:
        yield reg


def raw(db_url: str, sql: str) -> list[tuple]:
    engine = create_database_engine(database_url(db_url))
    try:
        with engine.begin() as conn:
            result = conn.exec_driver_sql(sql)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def write_xlsx(path: Path, rows: list[dict[str, object]], sheet: str = "事件登记") -> Path:
    """A workbook as a bureau would send it: a title row above the header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    headers = list(dict.fromkeys(k for row in rows for k in row))
    ws.append(["2026年项目事件登记表"])
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    wb.save(path)
    return path


def event(pid: str, name: str, date: str, amount: object = "", note: str = "", **more) -> dict:
    return {
        "项目编号": pid,
        "事件": name,
        "日期": date,
        "金额(万元)": amount,
        "说明": note,
        **more,
    }


GOOD_ROWS = [
    event("P1", "建议书批复", "2025-01-10"),
    event("P1", "合同签订", "2025-03-01", "1200.5", "一期合同"),
    event("P1", "开工", "2025-04-01"),
    event("P2", "合同签订", "2025年5月6日", "80万元"),
]


# -- creation and versions --------------------------------------------------------------------


def test_database_named_by_option_then_environment_then_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    assert database_url().database == str(tmp_path / "项目库.sqlite")
    monkeypatch.setenv("WORKBENCH_DB", "别处/库.sqlite")
    assert database_url().database == str(tmp_path / "别处" / "库.sqlite")
    assert database_url("其他.sqlite").database == str(tmp_path / "其他.sqlite")
    url = database_url("postgresql://u:pw@db.example:5433/register")
    assert (url.drivername, url.host, url.port, url.database) == (
        "postgresql+psycopg",
        "db.example",
        5433,
        "register",
    )
    for bad in ("mysql://u@h/db", "sqlite://", "postgresql+psycopg://u:pw@h:notaport/db"):
        with pytest.raises(RegisterError) as info:
            database_url(bad)
        assert "pw" not in str(info.value)


def test_init_creates_at_head_refuses_again_and_upgrade_is_then_a_no_op(db_url):
    done = init_database(db_url)
    assert (done.before, done.after) == (None, head_revision())
    with pytest.raises(RegisterError, match="已经初始化"):
        init_database(db_url)
    again = upgrade_database(db_url)
    assert (again.before, again.after, again.changed) == (head_revision(), head_revision(), False)
    tables = {
        r[0]
        for r in raw(
            db_url,
            "SELECT name FROM sqlite_master WHERE type='table'"
            if not db_url.startswith("postgresql")
            else "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
        )
    }
    assert {"projects", "imports", "events", "alembic_version"} <= tables


def test_a_database_that_is_not_a_register_is_refused_in_chinese(db_url, tmp_path):
    if not db_url.startswith("postgresql"):  # an SQLite file is not created by mistake
        for call in (Register.open, upgrade_database):
            with pytest.raises(RegisterError, match=r"不存在.*workbench db init"):
                call(db_url)
        assert not Path(db_url).exists()
        not_a_database = tmp_path / "表.sqlite"
        not_a_database.write_text("项目编号,事件\n", encoding="utf-8")
        with pytest.raises(RegisterError, match="不是 SQLite 数据库") as info:
            Register.open(str(not_a_database))
        assert info.value.detail  # the library's words, for --debug only
    raw(db_url, "CREATE TABLE other_things (id INTEGER)")
    for call in (Register.open, upgrade_database):
        with pytest.raises(RegisterError, match=r"尚未初始化.*workbench db init"):
            call(db_url)
    with pytest.raises(RegisterError, match="已有其他数据表（other_things）"):
        init_database(db_url)


def test_older_and_newer_schema_versions_are_named(db_url):
    create_at_revision(db_url, "0001")
    with pytest.raises(
        RegisterError, match=rf"结构版本为0001，低于本程序的{head_revision()}.*db upgrade"
    ):
        Register.open(db_url)
    upgrade_database(db_url)
    Register.open(db_url).close()
    raw(db_url, "UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(RegisterError, match="更新版本的工作台"):
        Register.open(db_url)
    with pytest.raises(RegisterError, match="更新版本的工作台"):
        upgrade_database(db_url)


def test_a_database_from_the_first_version_migrates_without_loss(db_url):
    create_at_revision(db_url, "0001")
    # Rows as the first version wrote them (no sheet column yet).
    raw(
        db_url,
        "INSERT INTO imports (id, kind, file_name, sha256, imported_at, imported_by, rows_read, "
        "rows_accepted, rows_rejected, rows_blank) VALUES (1, 'events', '事件.xlsx', "
        f"'{'a' * 64}', '2025-06-01 08:00:00', '张三', 3, 2, 1, 0)",
    )
    raw(
        db_url,
        "INSERT INTO projects (id, project_key, name, first_seen_at, first_seen_by, "
        "first_import_id) VALUES (1, 'SB2025-0001', '一网统管平台', '2025-06-01 08:00:00', "
        "'张三', 1)",
    )
    for i, (kind, day, amount) in enumerate(
        [
            ("contract_signed", "2025-03-01", "1200.123456"),
            ("construction_started", "2025-04-01", None),
        ]
    ):
        raw(
            db_url,
            "INSERT INTO events (project_id, kind, event_date, amount, note, recorded_by, "
            "recorded_at, import_id, source_file, source_sha256, source_row, content_key) VALUES "
            f"(1, '{kind}', '{day}', {'NULL' if amount is None else repr(amount)}, '说明{i}', '张三', "
            f"'2025-06-01 08:00:00', 1, '事件.xlsx', '{'a' * 64}', {i + 2}, '{i:064d}')",
        )
    done = upgrade_database(db_url)
    assert (done.before, done.after) == ("0001", head_revision())
    with Register.open(db_url) as reg:
        found = reg.history("SB2025-0001")
        assert [e.record for e in found] == [
            EventRecord(
                "SB2025-0001", "contract_signed", D(2025, 3, 1), Decimal("1200.123456"), "说明0"
            ),
            EventRecord("SB2025-0001", "construction_started", D(2025, 4, 1), None, "说明1"),
        ]
        assert [(e.source.file, e.source.sheet, e.source.row) for e in found] == [
            ("事件.xlsx", "", 2),
            ("事件.xlsx", "", 3),
        ]
        assert found[0].recorded_at == dt.datetime(2025, 6, 1, 8, tzinfo=dt.UTC)
        assert reg.project("SB2025-0001").name == "一网统管平台"
    # Still append-only after the migration (the triggers were kept).
    with pytest.raises(sa.exc.DBAPIError):
        raw(db_url, "UPDATE events SET note = 'changed'")
    assert raw(db_url, "SELECT count(*) FROM events") == [(2,)]


def test_the_database_refuses_updates_and_deletes(register, db_url):
    register.register_project("P1", "平台")
    register.append_events([EventRecord("P1", "construction_started", D(2025, 4, 1))])
    for sql in (
        "UPDATE events SET note = 'x'",
        "DELETE FROM events",
        "UPDATE projects SET name = '别名'",
        "DELETE FROM projects",
    ):
        with pytest.raises(sa.exc.DBAPIError):
            raw(db_url, sql)
    assert raw(db_url, "SELECT count(*) FROM events") == [(1,)]
    assert raw(db_url, "SELECT name FROM projects") == [("平台",)]


# -- the store --------------------------------------------------------------------------------


def test_amounts_are_exact_to_the_fen(register):
    register.register_project("P1", "平台")
    amounts = [Decimal("0.000001"), Decimal("29.9999"), Decimal("12345678901234.123456")]
    register.append_events(
        [EventRecord("P1", "change_filed", D(2025, 5, i + 1), a) for i, a in enumerate(amounts)]
    )
    assert [e.record.amount for e in register.history("P1")] == amounts
    with pytest.raises(ValueError):
        register.append_events(
            [EventRecord("P1", "change_filed", D(2025, 6, 1), Decimal("0.0000001"))]
        )


def test_history_is_in_date_order_then_in_the_order_recorded(register):
    register.register_project("P1", "平台")
    register.append_events(
        [
            EventRecord("P1", "construction_started", D(2025, 4, 1)),
            EventRecord("P1", "contract_signed", D(2025, 3, 1), Decimal(100)),
            EventRecord("P1", "in_operation", D(2025, 9, 1)),
        ]
    )
    register.append_events(
        [
            EventRecord("P1", "proposal_approved", D(2024, 12, 1)),
            EventRecord("P1", "change_filed", D(2025, 4, 1), Decimal(10), "第一次"),
            EventRecord("P1", "change_filed", D(2025, 4, 1), Decimal(5), "第二次"),
        ]
    )
    found = [(e.record.date, e.record.kind, e.record.note) for e in register.history("P1")]
    assert found == [
        (D(2024, 12, 1), "proposal_approved", ""),
        (D(2025, 3, 1), "contract_signed", ""),
        (D(2025, 4, 1), "construction_started", ""),
        (D(2025, 4, 1), "change_filed", "第一次"),
        (D(2025, 4, 1), "change_filed", "第二次"),
        (D(2025, 9, 1), "in_operation", ""),
    ]
    with pytest.raises(RegisterError, match="没有项目编号为“P9”"):
        register.history("P9")
    with pytest.raises(RegisterError, match="P9"):
        register.append_events([EventRecord("P9", "construction_started", D(2025, 4, 1))])


def test_a_past_state_is_reconstructed_from_the_events(register):
    register.register_project("P1", "旧名称")
    register.append_events(
        [
            EventRecord("P1", "contract_signed", D(2025, 3, 1), Decimal(100)),
            EventRecord("P1", "construction_started", D(2025, 4, 1)),
            EventRecord("P1", "preliminary_acceptance", D(2026, 3, 1)),
        ]
    )
    assert register.rename_project("P1", "新名称", D(2025, 6, 1))
    assert not register.rename_project("P1", "新名称", D(2025, 6, 1))  # recorded once
    known = dt.datetime.now(dt.UTC)
    register.register_project("P2", "后来的项目")
    register.append_events([EventRecord("P1", "in_operation", D(2025, 5, 1))])

    may = register.state_as_of(D(2025, 5, 15))
    assert may["P1"].name == "旧名称"
    assert [e.kind for e in may["P1"].events] == [
        "contract_signed",
        "construction_started",
        "in_operation",
    ]
    assert may["P2"].events == ()
    assert register.state_as_of(D(2025, 6, 1))["P1"].name == "新名称"
    assert register.state_as_of()["P1"].last_event.kind == "preliminary_acceptance"
    # What the register knew at `known`: not the later event, not the later project.
    then = register.state_as_of(D(2025, 5, 15), known_at=known)
    assert set(then) == {"P1"}
    assert [e.kind for e in then["P1"].events] == ["contract_signed", "construction_started"]
    # The obligations read lifecycle events only (the rename is the register's own).
    assert [e.kind for e in register.events_as_of(D(2025, 12, 31))] == [
        "contract_signed",
        "construction_started",
        "in_operation",
    ]
    assert len(register.all_events()) == 4
    assert register.project("P1").registered_name == "旧名称"


# -- the event table --------------------------------------------------------------------------


def test_event_table_rows_are_accepted_or_rejected_with_their_place(register, tmp_path):
    register.register_project("P1", "平台")
    register.register_project("P2", "系统")
    rows = [
        *GOOD_ROWS,
        event("P1", "签约", "2025-03-02", "5"),  # unknown event name
        event("P1", "开工", "2025-02-30"),  # no such date
        event("P2", "合同签订", "2025-05-07"),  # 合同签订 needs an amount
        event("P1", "开工", "2025-04-02", "5"),  # 开工 has none
        event("P9", "开工", "2025-04-01"),  # not in the register
        event("P1", "调整备案", "2025-06-01", "1.0000001"),  # finer than a fen
        event("", "", ""),  # blank
    ]
    path = write_xlsx(tmp_path / "事件表.xlsx", rows)
    result = register.import_events([path], by="李四")
    counts = result.counts()
    assert counts == {
        "read": 11,
        "added": 4,
        "already_present": 0,
        "rejected": 6,
        "blank": 1,
        "unreadable_files": 0,
    }
    # Every row read is accounted for.
    assert (
        counts["read"]
        == counts["added"] + counts["already_present"] + counts["rejected"] + counts["blank"]
    )
    places = {
        (Path(r.file).name, r.sheet, int(r.row), r.column): r.reason
        for r in result.intake.rejections.itertuples()
    }
    where = ("事件表.xlsx", "事件登记")
    assert "不在可选值内" in places[(*where, 7, "事件")]
    assert "不是可识别的日期" in places[(*where, 8, "日期")]
    assert places[(*where, 9, "金额(万元)")] == "事件“合同签订”须填写金额(万元)"
    assert "不登记金额" in places[(*where, 10, "金额(万元)")]
    assert "“P9”不在项目库中" in places[(*where, 11, "项目编号")]
    assert "6位小数" in places[(*where, 12, "金额(万元)")]
    found = register.history("P1")
    assert [(e.record.kind, e.record.amount) for e in found] == [
        ("proposal_approved", None),
        ("contract_signed", Decimal("1200.5")),
        ("construction_started", None),
    ]
    assert {(e.recorded_by, e.source.file, e.source.sheet) for e in found} == {
        ("李四", "事件表.xlsx", "事件登记")
    }
    assert [e.source.row for e in found] == [3, 4, 5]
    assert found[0].source.sha256 == result.intake.sources[0].sha256
    assert register.history("P2")[0].record == EventRecord(
        "P2", "contract_signed", D(2025, 5, 6), Decimal(80), ""
    )


def test_importing_twice_or_a_re_export_changes_nothing(register, db_url, tmp_path):
    register.register_project("P1", "平台")
    register.register_project("P2", "系统")
    first = register.import_events([write_csv(tmp_path / "事件.csv", GOOD_ROWS)])
    assert (first.added, first.already_present) == (4, 0)
    snapshot = raw(db_url, "SELECT id, kind, event_date, note, content_key FROM events ORDER BY id")
    again = register.import_events([tmp_path / "事件.csv"])
    assert (again.added, again.already_present) == (0, 4)
    # The same rows in another order, another format, another file name: still nothing new.
    export = write_xlsx(tmp_path / "导出.xlsx", list(reversed(GOOD_ROWS)))
    re_export = register.import_events([export])
    assert (re_export.added, re_export.already_present) == (0, 4)
    assert (
        raw(db_url, "SELECT id, kind, event_date, note, content_key FROM events ORDER BY id")
        == snapshot
    )
    # Every import is on record, with its counts.
    assert raw(db_url, "SELECT file_name, rows_read, rows_accepted FROM imports ORDER BY id") == [
        ("事件.csv", 4, 4),
        ("事件.csv", 4, 4),
        ("导出.xlsx", 4, 4),
    ]


def test_identical_rows_of_one_file_are_two_events(register, tmp_path):
    register.register_project("P1", "平台")
    twice = [event("P1", "调整备案", "2025-06-01", "10", "增加接口")] * 2
    path = write_csv(tmp_path / "两次.csv", twice)
    assert register.import_events([path]).added == 2
    assert register.import_events([path]).added == 0
    one = write_csv(tmp_path / "一次.csv", twice[:1])
    assert register.import_events([one]).already_present == 1
    assert len(register.history("P1")) == 2


def test_new_projects_flag_registers_unknown_ids_and_records_renames(register, tmp_path):
    rows = [
        event("N1", "建议书批复", "2025-01-10", 项目名称="数据共享平台"),
        event("N1", "开工", "2025-04-01", 项目名称="数据共享交换平台"),
        event("N2", "开工", "2025-04-01"),  # unknown, and no name to register it under
    ]
    path = write_csv(tmp_path / "新项目.csv", rows)
    without = register.import_events([path])
    assert without.added == 0
    assert without.counts()["rejected"] == 3
    result = register.import_events([path], new_projects=True)
    assert result.registered == ["N1"]
    assert [(r.project_id, r.date, r.name) for r in result.renamed] == [
        ("N1", D(2025, 4, 1), "数据共享交换平台")
    ]
    rejected = result.intake.rejections
    assert list(rejected["column"]) == ["项目名称"]
    assert "N2" in rejected["reason"].iloc[0]
    assert register.project("N1").name == "数据共享交换平台"
    assert register.project("N1").registered_name == "数据共享平台"
    assert register.state_as_of(D(2025, 2, 1))["N1"].name == "数据共享平台"
    repeat = register.import_events([path], new_projects=True)
    assert (repeat.registered, repeat.renamed, repeat.added) == ([], [], 0)


def test_many_projects_at_once(register, tmp_path):
    """More projects than one statement looks up at a time: registered, renamed, read back."""
    count = 1100
    first = [event(f"M{n:04d}", "开工", "2025-04-01", 项目名称=f"项目{n}") for n in range(count)]
    result = register.import_events([write_csv(tmp_path / "一.csv", first)], new_projects=True)
    assert (len(result.registered), result.added) == (count, count)
    later = [
        event(f"M{n:04d}", "投入运行", "2026-01-01", 项目名称=f"新项目{n}") for n in range(count)
    ]
    result = register.import_events([write_csv(tmp_path / "二.csv", later)])
    assert (len(result.renamed), result.added) == (count, count)
    state = register.state_as_of(D(2025, 12, 31))
    assert len(state) == count and state["M0999"].name == "项目999"
    assert {p.name for p in register.projects()} == {f"新项目{n}" for n in range(count)}


def test_the_tables_are_what_the_migrations_make(register):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from workbench.register.schema import metadata

    with register.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


# -- two processes at once --------------------------------------------------------------------

WORKER = """
import datetime as dt, sys, time
from decimal import Decimal
from pathlib import Path
from workbench.register.records import EventRecord
from workbench.register.store import Register

url, tag, ready, go = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
with Register.open(url) as reg:
    reg.register_project("SHARED", "共用项目")  # both register it: once
    Path(ready).write_text("ready")
    while not go.exists():
        time.sleep(0.02)
    for batch in range(25):
        own = [
            EventRecord("SHARED", "change_filed", dt.date(2025, 1, 1) + dt.timedelta(days=batch),
                        Decimal(batch * 10 + i), f"{tag}-{batch}-{i}")
            for i in range(4)
        ]
        # The same event from both processes: recorded once.
        same = EventRecord("SHARED", "change_filed", dt.date(2025, 6, 1), Decimal(batch), "两边都有")
        reg.append_events([*own, same], by=tag)
"""


def at_once(db_url: str, tmp_path: Path, worker: str, args: list[list[str]]) -> None:
    """Run ``worker`` once per item of ``args``: each opens the register, says it is ready,
    waits until all are, then works; all must succeed."""
    script = tmp_path / "worker.py"
    script.write_text(textwrap.dedent(worker), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    go = tmp_path / "go"
    workers = []
    for n, more in enumerate(args):
        ready = tmp_path / f"ready-{n}"
        proc = subprocess.Popen(
            [sys.executable, str(script), db_url, str(ready), str(go), *more],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        workers.append((proc, ready))
    for proc, ready in workers:  # all ready, then all go at once
        while not ready.exists():
            if proc.poll() is not None:
                pytest.fail(proc.communicate()[1].decode())
            time.sleep(0.05)
    go.write_text("go")
    for proc, _ in workers:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()


APPENDER = """
import datetime as dt, sys, time
from decimal import Decimal
from pathlib import Path
from workbench.register.records import EventRecord
from workbench.register.store import Register

url, ready, go, tag = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
with Register.open(url) as reg:
    reg.register_project("SHARED", "共用项目")  # both register it: once
    ready.write_text("ready")
    while not go.exists():
        time.sleep(0.02)
    for batch in range(25):
        own = [
            EventRecord("SHARED", "change_filed", dt.date(2025, 1, 1) + dt.timedelta(days=batch),
                        Decimal(batch * 10 + i), f"{tag}-{batch}-{i}")
            for i in range(4)
        ]
        # The same event from both processes: recorded once.
        same = EventRecord("SHARED", "change_filed", dt.date(2025, 6, 1), Decimal(batch), "两边都有")
        reg.append_events([*own, same], by=tag)
"""


def test_two_processes_appending_at_once_lose_nothing(register, db_url, tmp_path):
    at_once(db_url, tmp_path, APPENDER, [["甲"], ["乙"]])
    found = register.history("SHARED")
    notes = [e.record.note for e in found]
    for tag in ("甲", "乙"):
        assert sorted(n for n in notes if n.startswith(tag)) == sorted(
            f"{tag}-{b}-{i}" for b in range(25) for i in range(4)
        )
    assert notes.count("两边都有") == 25  # one per batch number, whichever process came first
    assert len(found) == 2 * 100 + 25
    assert raw(db_url, "SELECT count(*) FROM projects") == [(1,)]


IMPORTER = """
import sys, time
from pathlib import Path
from workbench.register.store import Register

url, ready, go, table = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
with Register.open(url) as reg:
    ready.write_text("ready")
    while not go.exists():
        time.sleep(0.01)
    reg.import_events([table])
"""


def test_the_same_rows_from_two_processes_at_once_are_recorded_once(register, db_url, tmp_path):
    """A table and its re-export in the opposite order, imported at the same moment: each event
    once, and neither import fails (inserting the same keys in opposite orders at once is how
    two PostgreSQL transactions deadlock, unless writers take turns)."""
    for n in range(50):
        register.register_project(f"P{n}", f"项目{n}")
    rows = [event(f"P{n % 50}", "调整备案", "2025-06-01", str(n), f"第{n}次") for n in range(3000)]
    tables = [
        write_csv(tmp_path / "原表.csv", rows),
        write_csv(tmp_path / "导出.csv", list(reversed(rows))),
    ]
    at_once(db_url, tmp_path, IMPORTER, [[str(t)] for t in tables])
    assert raw(db_url, "SELECT count(*) FROM events") == [(3000,)]
    assert raw(db_url, "SELECT count(*) FROM projects") == [(50,)]
    assert sum(r[0] for r in raw(db_url, "SELECT rows_accepted FROM imports")) == 6000
