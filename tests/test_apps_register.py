"""The 项目库 app's component as plain Python (the browser test drives the same code in Voilà):
the demo register's views, an event table uploaded good and bad, classified names withheld,
and ``workbench app register --db`` reaching the kernel."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from test_register_demo import PINNED_OVERDUE
from test_register_views import internal_keys

from workbench.apps import ENV_DB, UPLOAD_LIMIT_BYTES
from workbench.apps.register import RegisterApp, import_upload
from workbench.apps.server import app_environment
from workbench.cli import main
from workbench.english import english_sentences
from workbench.register.db import database_url
from workbench.register.records import EventRecord
from workbench.register.views import demo_views

HEADER = "项目编号,事件,日期,金额(万元),说明\n"
# SB2027-0046 is overdue on 2026-10-12 for want of a 初步验收 (建设期届满): recorded here.
GOOD = (HEADER + "SB2027-0046,初步验收,2026-10-10,,按期验收\n").encode("utf-8")
BAD = (HEADER + "SB2027-0046,初步验收,2026-13-10,,\nZZ-0001,开工,2026-10-01,,\n").encode("utf-8")


@pytest.fixture
def app():
    views = demo_views()
    try:
        yield RegisterApp(views, internal=False, by="测试员")
    finally:
        views.close()


def upload(app: RegisterApp, name: str, content: bytes) -> None:
    app.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime(2026, 10, 12, tzinfo=dt.UTC),
        },
    )


def text(app: RegisterApp) -> str:
    """Everything the page shows, as its reader sees it (tags removed, entities decoded)."""
    parts = [
        app.title.value,
        app.summary.value,
        app.stages.value,
        app.due.value,
        app.timeline.value,
        app.status.value,
        app.accepted.value,
        app.rejected.value,
        *(label for label, _ in app.project.options),
        *app.tabs.titles,
    ]
    shown = " ".join(
        html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", p, flags=re.S)) for p in parts
    )
    return re.sub(r"\s+", " ", shown)


def assert_readable(shown: str) -> None:
    assert not english_sentences(shown), english_sentences(shown)
    words = set(re.findall(r"[A-Za-z_]+", shown))
    assert not words & internal_keys(), words & internal_keys()


def test_the_demo_register_by_stage_unit_overdue_and_one_project(app):
    shown = text(app)
    assert "示例项目库（合成数据，非真实记录）" in app.title.value
    assert app.summary.value == "逾期6项，临期2项，已完成241项，未到期44项"
    assert "按事项（阶段）" in app.stages.value and "按申报单位" in app.stages.value
    assert "建设期内完成建设并初步验收" in app.stages.value and "市公安局" in app.stages.value
    assert "逾期（6项）" in app.due.value and "临期（2项）" in app.due.value
    for pid, _ in PINNED_OVERDUE:
        assert pid in app.due.value
    assert "第三十八条" in app.due.value and "其他发现（2项）" in app.due.value
    assert app.project.value == "SB2027-0046"  # the most overdue obligation's project
    assert "开工" in app.timeline.value and "register_events.csv 第" in app.timeline.value
    app.project.value = "SB2027-0044"
    assert "限期2026-09-30整改" in app.timeline.value
    assert_readable(shown)


def test_a_good_event_table_is_recorded_and_the_views_follow(app):
    upload(app, "验收登记.csv", GOOD)
    assert "新增事件1条" in app.status.value and "未受理0行" in app.status.value
    assert "验收登记.csv" in app.accepted.value and "按期验收" in app.accepted.value
    assert "全部受理" in app.rejected.value
    assert app.summary.value.startswith("逾期5项")  # SB2027-0046's construction is met now
    assert "SB2027-0046" not in app.due.value.split("临期")[0]
    app.project.value = "SB2027-0046"
    assert "2026-10-10" in app.timeline.value and "验收登记.csv 第2行" in app.timeline.value
    assert "测试员" in app.timeline.value
    upload(app, "验收登记（重发）.csv", GOOD)  # the same rows again add nothing
    assert "新增事件0条，库中已有1条" in app.status.value
    assert_readable(text(app))


def test_a_bad_event_table_shows_each_row_with_its_place(app):
    before = app.summary.value
    upload(app, "有误的事件表.csv", BAD)
    assert "新增事件0条" in app.status.value and "未受理2行" in app.status.value
    rejected = html.unescape(app.rejected.value)
    for word in ("文件", "工作表", "行", "列", "原因", "有误的事件表.csv", "日期", "项目编号"):
        assert word in rejected, word
    assert "2026-13-10" in rejected and "ZZ-0001" in rejected and "workbench-upload" not in rejected
    assert app.accepted.value == "" and app.summary.value == before
    upload(app, "说明.txt", b"abc")
    assert "说明.txt" in app.status.value and "不支持的文件类型" in app.status.value
    assert_readable(text(app))


def test_uploads_over_the_limit_are_refused_before_reading(app):
    big = b"0" * (UPLOAD_LIMIT_BYTES + 1)
    done = import_upload(app.register, [("大.csv", big), ("好.csv", GOOD)])
    assert done.refused and "大.csv" in done.refused[0] and "超过" in done.refused[0]
    assert done.result.counts()["added"] == 1
    with pytest.raises(ValueError, match="超过"):
        import_upload(app.register, [("大.csv", big)])
    upload(app, "大.csv", big)
    assert "大.csv" in app.status.value and "超过10.0MB的上限" in app.status.value
    assert 'data-wb-upload-limit="' in app.limit.value  # the page refuses it before sending


def test_classified_names_are_withheld_unless_internal():
    with demo_views() as views:
        hidden = {
            s.project_id: s.name
            for s in views.register.submissions(latest=True)
            if s.row.get("classified") in ("是", "部分")
        }
        assert hidden  # the sample has classified projects
        secret = min(hidden)
        note = f"{hidden[secret]}机房选址另行报批"  # a note quoting the name
        views.register.append_events(
            [EventRecord(secret, "proposal_approved", dt.date(2026, 9, 1), None, note)], by="测试"
        )
        views.refresh()
        for internal in (False, True):
            app = RegisterApp(views, internal=internal)
            app.project.value = secret
            shown = text(app)
            assert all((name in shown) == internal for name in hidden.values()), internal
            assert ("【涉密项目】" in shown) != internal
            assert ("建议书批复" in app.timeline.value) and (note in shown) == internal
            assert ("【涉密内容不列示】" in app.timeline.value) != internal
            assert ("内部版" in app.title.value) == internal


def test_the_register_reaches_the_kernel_by_its_absolute_address(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    env = app_environment(db="项目库.sqlite")
    assert database_url(env[ENV_DB]).database == str(tmp_path / "项目库.sqlite")
    assert app_environment()[ENV_DB] == ""
    # A register that cannot be used is said before any server starts.
    assert main(["app", "register", "--db", "无此库.sqlite"]) == 2
    err = capsys.readouterr().err
    assert "无此库.sqlite" in err and "不存在" in err
    assert not english_sentences(err)
    assert not Path(tmp_path / "无此库.sqlite").exists()


def test_the_app_reads_its_register_from_the_environment(tmp_path, monkeypatch):
    from workbench.register.demo import write_demo

    db = tmp_path / "项目库.sqlite"
    write_demo(str(db))
    monkeypatch.setenv(ENV_DB, app_environment(db=str(db))[ENV_DB])
    given = RegisterApp(internal=False)
    try:
        assert str(db) in given.title.value and "示例项目库" not in given.title.value
        assert given.views.as_of == dt.date.today()
    finally:
        given.views.close()
    monkeypatch.setenv(ENV_DB, "")
    demo = RegisterApp(internal=False)
    try:
        assert "示例项目库（合成数据，非真实记录）" in demo.title.value
        assert str(demo.views.register.url.database) != str(db)
    finally:
        demo.views.close()
