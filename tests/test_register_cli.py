"""``workbench db``: exit status, Chinese text, stable JSON, no library English; on SQLite and on
PostgreSQL (the ``db_url`` fixture of test_register_db)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_csv
from test_register_db import GOOD_ROWS, REPO, db_url, event, raw, write_xlsx

from workbench.cli import main
from workbench.english import english_sentences
from workbench.register.db import head_revision

__all__ = ["db_url"]  # the fixture, imported to be used here


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not english_sentences(out + err, allow=[a for a in argv if a]), out + err
    return code, out, err


def test_init_upgrade_and_refusing_to_initialise_again(db_url, capsys):
    code, out, err = run(capsys, "db", "init", "--db", db_url)
    assert (code, err) == (0, "")
    assert out.startswith("已创建项目库：") and f"结构版本{head_revision()}" in out
    code, out, err = run(capsys, "db", "init", "--db", db_url)
    assert code == 2 and out == ""
    assert "已经初始化" in err and "workbench db upgrade" in err
    code, out, _ = run(capsys, "db", "upgrade", "--db", db_url, "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "database": json.loads(out)["database"],
        "from_revision": head_revision(),
        "revision": head_revision(),
        "upgraded": False,
    }
    assert "***" in json.loads(out)["database"] or "://" not in json.loads(out)["database"]


def test_upgrade_of_an_older_database_and_refusal_before_it(db_url, capsys):
    from workbench.register.db import create_at_revision

    create_at_revision(db_url, "0001")
    code, _, err = run(capsys, "db", "history", "P1", "--db", db_url)
    assert code == 2 and "结构版本为0001" in err and "workbench db upgrade" in err
    code, out, _ = run(capsys, "db", "upgrade", "--db", db_url)
    assert code == 0 and f"已从结构版本0001升级到{head_revision()}" in out


def test_events_and_history_in_text(db_url, capsys, tmp_path):
    run(capsys, "db", "init", "--db", db_url)
    rows = [
        *(dict(r, 项目名称="一网统管平台") for r in GOOD_ROWS[:3]),
        dict(GOOD_ROWS[3], 项目名称="数据共享系统"),
        event("P1", "签约", "2025-03-02"),
        event("P3", "开工", "2025-04-01"),
    ]
    table = write_xlsx(tmp_path / "事件表.xlsx", rows)
    code, out, err = run(
        capsys, "db", "events", str(table), "--db", db_url, "--by", "王五", "--new-projects"
    )
    assert code == 2  # two rows not accepted: bad input, the rest is recorded
    assert "读取6行：新增事件4条，库中已有0条，未受理2行" in out
    assert "新登记项目2个：P1、P2" in out
    assert "事件表.xlsx 事件登记 第7行 列“事件”：“签约”不在可选值内" in out
    assert "事件表.xlsx 事件登记 第8行 列“项目名称”" in out
    assert err.startswith("有2行未受理") and "第一处：事件表.xlsx 事件登记 第7行" in err

    code, out, err = run(capsys, "db", "events", str(table), "--db", db_url, "--new-projects")
    assert code == 2 and "新增事件0条，库中已有4条" in out

    code, out, err = run(capsys, "db", "history", "P1", "--db", db_url)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("项目 P1 一网统管平台（") and lines[0].endswith("：事件3条")
    assert lines[1] == "  2025-01-10 建议书批复（第十三条）"
    assert lines[3] == "  2025-03-01 合同签订（第二十二条） 1,200.50万元 说明：一期合同"
    assert lines[4].startswith("    王五登记于") and lines[4].endswith(
        "（UTC）；来源：事件表.xlsx 事件登记 第4行"
    )


def test_events_and_history_as_json(db_url, capsys, tmp_path):
    run(capsys, "db", "init", "--db", db_url)
    table = write_csv(tmp_path / "事件.csv", [dict(r, 项目名称="平台") for r in GOOD_ROWS])
    code, out, _ = run(
        capsys, "db", "events", str(table), "--db", db_url, "--format", "json", "--new-projects"
    )
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {
        "database",
        "read",
        "added",
        "already_present",
        "rejected",
        "blank",
        "unreadable_files",
        "registered",
        "renamed",
        "files",
        "rejected_rows",
        "notices",
    }
    assert (payload["added"], payload["rejected"], payload["registered"]) == (4, 0, ["P1", "P2"])
    assert payload["files"][0]["sha256"] and payload["rejected_rows"] == []

    code, out, _ = run(capsys, "db", "history", "P1", "--db", db_url, "--format", "json")
    assert code == 0
    history = json.loads(out)
    assert set(history) == {
        "project_id",
        "name",
        "registered_name",
        "first_seen_at",
        "first_seen_by",
        "events",
    }
    assert [e["kind"] for e in history["events"]] == [
        "proposal_approved",
        "contract_signed",
        "construction_started",
    ]
    contract = history["events"][1]
    assert set(contract) == {
        "date",
        "kind",
        "event",
        "article",
        "amount",
        "note",
        "result",  # an evaluation's 结论; null for the others
        "recorded_by",
        "recorded_at",
        "source",
    }
    assert contract["result"] is None
    assert (contract["event"], contract["article"], contract["amount"]) == (
        "合同签订",
        "第二十二条",
        "1200.5",
    )
    assert contract["source"] == {
        "file": "事件.csv",
        "sha256": payload["files"][0]["sha256"],
        "sheet": "",
        "row": 3,
    }


def test_bad_input_exits_2_in_chinese(capsys, tmp_path):
    missing = str(tmp_path / "没有.sqlite")
    code, _, err = run(capsys, "db", "history", "P1", "--db", missing)
    assert code == 2 and "不存在" in err and not Path(missing).exists()
    code, _, err = run(capsys, "db", "init", "--db", "mysql://u@h/db")
    assert code == 2 and "不支持数据库类型" in err
    code, _, err = run(
        capsys, "db", "upgrade", "--db", "postgresql+psycopg://u:secret@127.0.0.1:1/db"
    )
    assert code == 2 and "无法连接数据库服务器" in err and "secret" not in err
    code, _, err = run(capsys, "db", "init", "--db", str(tmp_path / "没有的文件夹" / "库.sqlite"))
    assert code == 2 and "无法打开文件" in err
    not_db = tmp_path / "申报.sqlite"
    not_db.write_bytes(b"not a database at all, just some bytes" * 100)
    code, _, err = run(capsys, "db", "history", "P1", "--db", str(not_db))
    assert code == 2 and "不是 SQLite 数据库" in err
    run(capsys, "db", "init", "--db", str(tmp_path / "库.sqlite"))
    code, _, err = run(capsys, "db", "history", "P9", "--db", str(tmp_path / "库.sqlite"))
    assert code == 2 and "没有项目编号为“P9”的项目" in err
    code, _, err = run(
        capsys, "db", "events", str(tmp_path / "没有.xlsx"), "--db", str(tmp_path / "库.sqlite")
    )
    assert code == 2 and "找不到该文件" in err


def test_debug_shows_the_library_words_for_maintainers(capsys, tmp_path):
    not_db = tmp_path / "x.sqlite"
    not_db.write_bytes(b"x" * 4096)
    assert main(["db", "history", "P1", "--db", str(not_db), "--debug"]) == 2
    _, err = capsys.readouterr()
    assert "file is not a database" in err and "不是 SQLite 数据库" in err


def test_the_database_comes_from_the_environment_or_the_working_folder(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    assert run(capsys, "db", "init")[0] == 0
    assert (tmp_path / "项目库.sqlite").exists()
    monkeypatch.setenv("WORKBENCH_DB", str(tmp_path / "共享.sqlite"))
    assert run(capsys, "db", "init")[0] == 0
    assert (tmp_path / "共享.sqlite").exists()


def test_every_word_of_the_register_is_chinese():
    from workbench.labels import DB_HELP, DB_LABELS

    texts = [*DB_LABELS.values(), *DB_HELP.values()]
    assert [t for t in texts if english_sentences(t)] == []


def test_help_is_chinese(capsys):
    for argv in (
        ["db", "-h"],
        *(["db", c, "-h"] for c in ("init", "upgrade", "events", "history")),
    ):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        out, err = capsys.readouterr()
        assert exc.value.code == 0
        assert not english_sentences(out + err), out


def test_check_does_not_load_the_database_stack():
    code = (
        "import sys, workbench.cli as cli; cli.build_parser(); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'psycopg') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    assert done.stdout.strip() == "[]"


def import_at_once(db_url: str, tables: list[Path]) -> list[dict]:
    """``workbench db events`` on each table, all started together; their JSON results."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    options = ("--db", db_url, "--new-projects", "--format", "json")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "workbench", "db", "events", str(t), *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for t in tables
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
        results.append(json.loads(out))
    return results


def test_two_imports_at_once_lose_nothing(db_url, capsys, tmp_path):
    """Two people importing their tables at the same time, the same projects in both."""
    run(capsys, "db", "init", "--db", db_url)
    tables = [
        write_csv(
            tmp_path / f"{tag}.csv",
            [
                event(
                    f"P{n:03d}", "调整备案", "2025-06-01", str(n), f"{tag}{n}", 项目名称=f"项目{n}"
                )
                for n in range(120)
            ],
        )
        for tag in ("甲", "乙")
    ]
    results = import_at_once(db_url, tables)
    assert [r["added"] for r in results] == [120, 120]
    # Each project registered once, by one of the two.
    registered = sorted(p for r in results for p in r["registered"])
    assert registered == [f"P{n:03d}" for n in range(120)]
    assert raw(db_url, "SELECT count(*) FROM events") == [(240,)]
    assert raw(db_url, "SELECT count(*) FROM projects") == [(120,)]
