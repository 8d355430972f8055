"""The register's views (notebook 08, the 项目库 app): tables with Chinese headers drawn from a
register built in code (test_register_due's four projects), on SQLite and on PostgreSQL (the
``db_url`` fixture of test_register_db); and the demo register when none is given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_csv
from test_register_db import db_url
from test_register_demo import PINNED_OVERDUE
from test_register_due import build_register, weekends_only_after_2026

from workbench.english import english_sentences
from workbench.policy import load_pack
from workbench.register.db import RegisterError
from workbench.register.demo import DEMO_AS_OF, DEMO_BY
from workbench.register.obligations import STATUSES
from workbench.register.views import OBLIGATION_COLUMNS, RegisterViews, open_views

__all__ = ["db_url", "weekends_only_after_2026"]  # fixtures, imported to be used here

AS_OF = "2026-10-12"
D = dt.date


def internal_keys() -> set[str]:
    """What must never reach a view: the pack's keys of events and obligations, the statuses,
    the kinds of finding and of register event."""
    lifecycle = load_pack().lifecycle
    return (
        {e.key for e in lifecycle.events}
        | {o.key for o in lifecycle.obligations}
        | set(STATUSES)
        | {"change_needs_approval", "change_unchecked", "rectification_without_deadline"}
        | {"renamed"}
    )


def assert_readable(frame: pd.DataFrame) -> None:
    """Chinese headers, and no internal key and no English sentence in any cell."""
    keys = internal_keys()
    for header in frame.columns:
        assert not any(c.isascii() and c.isalpha() for c in str(header)), header
    for value in frame.astype(str).to_numpy().ravel():
        assert not keys & {value, *value.split()}, value
        assert not english_sentences(value), value


def views(db: str) -> RegisterViews:
    return open_views(db, AS_OF)


def test_obligations_one_row_each_overdue_first_with_articles(db_url, tmp_path):
    with views(build_register(db_url, tmp_path)) as v:
        table = v.obligations()
    assert tuple(table.columns) == OBLIGATION_COLUMNS
    assert list(table.columns[:3]) == ["项目编号", "项目名称", "申报单位"]
    order = {"逾期": 0, "临期": 1, "已完成": 2, "未到期": 2}
    ranks = [order[s] for s in table["状态"]]
    assert ranks == sorted(ranks) and set(table["状态"]) == set(order)
    rows = table.set_index(["项目编号", "事项"])
    late = rows.loc[("P1", "提出项目审批申请")]
    assert list(late[["项目名称", "申报单位", "依据条款", "起算事件"]]) == [
        "智慧教育平台建设项目",
        "市教育局",
        "第十三条",
        "建议书批复",
    ]
    assert (late["起算日期"], late["期限届满日"], late["状态"]) == (
        D(2026, 7, 6),
        D(2026, 8, 5),
        "逾期",
    )
    assert (late["完成日期"], late["逾期天数"]) == ("", 68)
    met = rows.loc[("P2", "提出项目审批申请")]
    assert (met["状态"], met["完成日期"], met["逾期天数"]) == ("已完成", D(2026, 9, 24), 0)
    # P4 has no submission: its unit is not known, and says so.
    assert set(table.loc[table["项目编号"] == "P4", "申报单位"]) == {"（未登记申报单位）"}
    assert len(table) == len(v.listing.report.obligations)
    assert_readable(table)


def test_overdue_and_due_soon_as_db_due_lists_them(db_url, tmp_path):
    with views(build_register(db_url, tmp_path)) as v:
        late, soon = v.overdue(), v.due_soon()
    assert list(zip(late["项目编号"], late["事项"], late["逾期天数"], strict=True)) == [
        ("P1", "提出项目审批申请", 68),
        ("P4", "限期整改", 12),
    ]
    assert "状态" not in late and "完成日期" not in late
    assert list(late["依据条款"]) == ["第十三条", "第三十八条"]
    assert len(soon) == 1
    row = soon.iloc[0]
    assert (row["项目编号"], row["事项"], row["期限届满日"], row["距届满天数"]) == (
        "P2",
        "出具审核意见",
        D(2026, 10, 15),
        3,
    )
    assert "逾期天数" not in soon
    assert_readable(late)
    assert_readable(soon)


def test_counts_by_stage_and_by_unit_add_up(db_url, tmp_path):
    with views(build_register(db_url, tmp_path)) as v:
        stages, units, counts = v.by_stage(), v.by_unit(), v.listing.counts()
    statuses = ["逾期", "临期", "已完成", "未到期"]
    pack = load_pack().lifecycle.obligations
    # Every obligation of the pack, in its order, nothing started or not; then the totals.
    assert list(stages["事项"]) == [o.name for o in pack] + ["合计"]
    assert list(stages.iloc[-1][statuses]) == [counts[s] for s in STATUSES]
    assert (stages[statuses].sum(axis=1) == stages["合计"]).all()
    applying = stages.set_index("事项").loc["提出项目审批申请"]
    assert (applying["依据条款"], applying["逾期"], applying["已完成"]) == ("第十三条", 1, 2)
    assert stages.set_index("事项").loc["组织竣工验收", "已完成"] == 1  # P3's
    assert list(units.iloc[-1][statuses]) == [counts[s] for s in STATUSES]
    by_unit = units.set_index("申报单位")
    assert by_unit.loc["市教育局", "逾期"] == 1 and by_unit.loc["（未登记申报单位）", "逾期"] == 1
    assert by_unit.loc["市公安局", "临期"] == 1 and by_unit.loc["市公安局", "逾期"] == 0
    # Most overdue first, then most due soon: the two with one overdue, then 市公安局.
    assert set(units["申报单位"][:2]) == {"市教育局", "（未登记申报单位）"}
    assert units["申报单位"][2] == "市公安局" and units["逾期"][:-1].is_monotonic_decreasing
    assert_readable(stages)
    assert_readable(units)


def test_findings_say_what_is_not_a_deadline(db_url, tmp_path):
    with views(build_register(db_url, tmp_path)) as v:
        found = v.findings()
    assert list(found.columns) == ["项目编号", "项目名称", "依据条款", "日期", "发现"]
    assert list(zip(found["项目编号"], found["依据条款"], strict=True)) == [
        ("P3", "第二十八条"),
        ("P4", "第三十八条"),
    ]
    assert "500万元的18%" in found.iloc[0]["发现"]
    assert_readable(found)


def test_timeline_event_by_event_with_source_and_conclusion(db_url, tmp_path):
    db = build_register(db_url, tmp_path)
    with views(db) as v:
        table = v.timeline("P3")
        assert list(table.columns) == ["日期", "事件", "金额(万元)", "说明", "登记人", "来源"]
        assert list(table["日期"]) == sorted(table["日期"]) and len(table) == 13
        first, change = table.iloc[0], table.iloc[5]
        assert (first["事件"], first["金额(万元)"], first["登记人"]) == ("建议书批复", "", "测试")
        assert (change["事件"], str(change["金额(万元)"]), change["说明"]) == (
            "调整备案",
            "90",  # as written, not at the register's six places
            "增加接入路口",
        )
        assert set(table["来源"]) == {""}  # recorded in code, not from a file
        assert_readable(table)

        events = write_csv(
            tmp_path / "事件.csv",
            [
                {
                    "项目编号": "P3",
                    "项目名称": "交管数据平台",
                    "事件": "绩效后评价",
                    "日期": "2026-09-28",
                    "结论": "合格",
                    "说明": "第三方评价",
                }
            ],
        )
        v.register.import_events([events], by="王五")
        table = v.timeline("P3")
    assert "结论" in table.columns and list(table.columns).index("结论") == 3
    evaluated = table[table["事件"] == "绩效后评价"].iloc[0]
    assert (evaluated["结论"], evaluated["说明"], evaluated["登记人"]) == (
        "通过",
        "第三方评价",
        "王五",
    )
    assert evaluated["来源"] == "事件.csv 第2行"
    renamed = table[table["事件"] == "更名"].iloc[0]
    assert renamed["说明"] == "名称改为“交管数据平台”" and renamed["日期"] == D(2026, 9, 28)
    assert_readable(table)


def test_a_register_on_a_day_and_without_one(db_url, tmp_path):
    db = build_register(db_url, tmp_path)
    with open_views(db, "") as v:
        assert v.as_of == dt.date.today() and not v.demo
        assert v.note.splitlines()[0].startswith(f"项目库 {v.where} 截至{dt.date.today()}")
    with open_views(db, "2026-09-01") as v:
        assert v.as_of == D(2026, 9, 1)
        assert "P4" not in set(v.overdue()["项目编号"])  # its deadline was still to come
        v.refresh(D(2026, 10, 12))
        assert "P4" in set(v.overdue()["项目编号"])
    with pytest.raises(RegisterError, match="不是 YYYY-MM-DD 格式的日期"):
        open_views(db, "2026-13-01")
    # Someone's own forms and no register: one line, and nothing else.
    none = open_views("", "", input_dir=str(tmp_path))
    assert "未指定项目库" in none.note and "--db" in none.note
    assert none.example_project is None and none.projects() == []
    for view in ("obligations", "overdue", "due_soon", "by_stage", "by_unit", "findings"):
        assert getattr(none, view)() is None, view
    assert none.timeline(none.example_project) is None and none.notices() == ""


def test_without_a_register_on_the_sample_the_demo_in_a_temporary_file():
    with open_views("", "") as v:
        folder = Path(str(v.register.url.database)).parent
        assert v.demo and v.as_of == DEMO_AS_OF and folder.is_dir()
        assert v.where == "示例项目库（合成数据，非真实记录）" and "合成数据" in v.note
        assert str(folder) not in v.note  # the page and the notebook never show a temporary path
        late = v.overdue()
        assert set(zip(late["项目编号"], late["事项"], strict=True)) == {
            (pid, name)
            for pid, name in (
                (o.project_id, o.obligation_name)
                for o in v.listing.report.obligations
                if (o.project_id, o.obligation) in PINNED_OVERDUE
            )
        }
        assert len(late) == len(PINNED_OVERDUE)
        project = v.example_project
        assert project == late.iloc[0]["项目编号"]
        table = v.timeline(project)
        assert set(table["登记人"]) == {DEMO_BY}
        assert all(s.startswith("register_events.csv 第") for s in table["来源"])
        assert v.project_line(project).startswith(f"项目 {project} ")
    assert not folder.exists()  # closed: the temporary register is gone
