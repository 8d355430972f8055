"""Words for ids (issue 14, item 7): ``plan --why`` names what forcing a project in displaces (unit,
name, amount, why it was in) and ``compare`` shows a start a rolling plan defers as
推迟至Y+1年度启动, never as 拟安排 or 未安排. Expected values come from the plans themselves."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest
from conftest import project

from workbench.compare import compare
from workbench.data import sample_candidates
from workbench.labels import REPORT_LABELS
from workbench.money import format_wan, to_decimal
from workbench.planner import draft_plan, why
from workbench.scenario import Scenario

CEILING = 950  # 万元: A, B and C (600 + 500 + 400) do not all fit, B and C do


def _p(pid: str, amount: int, **changes: str) -> dict:
    return project(
        project_id=pid,
        name=f"项目{pid}专用系统",
        total_investment=str(amount),
        request_amount=str(amount),
        **changes,
    )


def _scenario(**changes: object) -> Scenario:
    base = {
        "name": "测试",
        "plan_year": 2027,
        "horizon": 1,
        "ceilings": {"市本级": {2027: CEILING}},
    }
    return Scenario.model_validate({**base, **changes})


@pytest.fixture
def squeezed(checked):
    """Three projects of three units under a ceiling that keeps only two: forcing the cut one in
    must push others out."""
    result = checked(
        [
            _p("A", 600, unit="市公安局"),
            _p("B", 500, unit="市民政局", category="采购服务类"),
            _p("C", 400, unit="市教育局"),
        ]
    )
    values = pd.Series({"A": 60.0, "B": 50.0, "C": 45.0})
    return result, values, draft_plan(result, values, _scenario())


def test_why_names_the_displaced_projects_as_the_plan_holds_them(squeezed):
    result, values, plan = squeezed
    rows = plan.projects.set_index("project_id")
    cut = rows.index[rows["status"] == "not_selected"]
    assert list(cut) == ["A"]
    answer = why(plan, "A")

    # What it displaces is what a plan drafted with A forced in leaves out of this plan.
    forced = draft_plan(result, values, _scenario(force_in=[{"project_id": "A", "reason": "核对"}]))
    gone = set(plan.selected["project_id"]) - set(forced.selected["project_id"])
    assert gone and set(answer.displaced) == gone
    assert answer.value_after == pytest.approx(forced.objective)

    assert tuple(d.project_id for d in answer.displaced_projects) == answer.displaced
    for d in answer.displaced_projects:
        r = rows.loc[d.project_id]
        assert r["status"] == "selected" and d.start_year is None
        assert (d.unit, d.name, d.category) == (r["unit"], r["name"], r["category_effective"])
        assert d.amount == to_decimal(r["amount"]) and d.value == pytest.approx(r["value"])
        item = re.search(rf"{d.project_id} (.*?)）[；。]", answer.text).group(1)
        for words in (d.unit, d.name, d.category, f"{format_wan(d.amount)}万元"):
            assert words in item
        assert f"得分{d.value:.2f}" in item and "按优先级入选" in item
    total = sum((d.amount for d in answer.displaced_projects), Decimal(0))
    assert f"合计{format_wan(total)}万元" in answer.text

    # The forced project itself: its amount, unit, name, score; then the value, in words.
    a = rows.loc["A"]
    assert answer.amount == to_decimal(a["amount"])
    assert answer.text.startswith(f"强制纳入A（{format_wan(a['amount'])}万元）将调出")
    assert f"A为{a['unit']}“{a['name']}”" in answer.text and f"得分{a['value']:.2f}" in answer.text
    assert answer.loss == pytest.approx(plan.objective - forced.objective) and answer.loss > 0
    assert f"由{plan.objective:.2f}降为{forced.objective:.2f}，损失{answer.loss:.2f}" in answer.text


def test_why_withholds_classified_names_when_asked(squeezed):
    _, _, plan = squeezed
    rows = plan.projects.set_index("project_id")
    shown = why(plan, "A")
    hidden = {"A", *shown.displaced}
    answer = why(plan, "A", hidden)
    assert answer.displaced == shown.displaced
    for pid in hidden:
        assert rows.at[pid, "name"] in shown.text and rows.at[pid, "name"] not in answer.text
        assert rows.at[pid, "unit"] in answer.text  # the unit is not secret, the name is
    assert answer.text.count(REPORT_LABELS["redacted_name"]) == len(hidden)
    assert {d.name for d in answer.displaced_projects} == {REPORT_LABELS["redacted_name"]}


def test_compare_marks_a_deferred_start_on_a_built_rolling_plan(squeezed):
    result, values, plan = squeezed
    rolling = draft_plan(
        result,
        values,
        _scenario(
            name="滚动",
            horizon=2,
            ceilings={"市本级": {2027: CEILING, 2028: 2000}},
            deferral={"allowed": True, "value_factor": 0.9},
        ),
    )
    deferred = set(rolling.solution.deferred)
    assert deferred  # the cut project starts next year instead
    comparison = compare({"一年": plan, "滚动": rolling})
    diff = comparison.differences.set_index("project_id")
    assert deferred <= set(diff.index)
    labels = comparison.status_labels("滚动").set_axis(comparison.differences["project_id"])
    for pid in diff.index:
        assert (labels[pid] == "推迟至2028年度启动") == (pid in deferred)
        # The status code stays the plan's; the start year says when the money starts.
        assert (
            diff.at[pid, "status:滚动"]
            == rolling.projects.set_index("project_id").at[pid, "status"]
        )
        assert (diff.at[pid, "start_year:滚动"] == 2028) == (pid in deferred)
    assert not comparison.status_labels("一年").str.contains("推迟").any()


def _workbench(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def _sample_names() -> dict[str, str]:
    sample = pd.read_csv(sample_candidates(), dtype=str)
    return dict(zip(sample["项目编号"], sample["项目名称"], strict=True))


def test_plan_why_on_the_sample_under_a_low_ceiling():
    low = "14000"  # 万元 for 市本级 2027: below what the sample's plan spends there
    plan = json.loads(_workbench("plan", "--ceiling", low, "--format", "json").stdout)
    projects = {p["project_id"]: p for p in plan["projects"]}
    cuts = [
        p
        for p in plan["projects"]
        if p["status"] == "not_selected"
        and p["reason"].startswith("资金不足")
        and p["funding_pool"] == "市本级"
    ]
    assert cuts
    target = max(cuts, key=lambda p: p["value"])["project_id"]
    out = json.loads(
        _workbench("plan", "--ceiling", low, "--why", target, "--format", "json").stdout
    )["why"]
    names = _sample_names()
    assert out["project_id"] == target and out["displaced"]
    assert [d["project_id"] for d in out["displaced_projects"]] == out["displaced"]
    for d in out["displaced_projects"]:
        held = projects[d["project_id"]]
        assert held["status"] == "selected"
        assert d["unit"] == held["unit"] and d["name"] == names[d["project_id"]]
        assert Decimal(d["amount"]) == Decimal(held["amount"])
        assert d["value"] == pytest.approx(held["value"]) and d["category"] == held["category"]
        for words in (d["unit"], d["name"], f"{format_wan(Decimal(d['amount']))}万元"):
            assert words in out["text"]
    assert Decimal(out["amount"]) == Decimal(projects[target]["amount"])
    assert out["value_before"] == pytest.approx(plan["objective"])
    assert out["loss"] == pytest.approx(out["value_before"] - out["value_after"])

    text = _workbench("plan", "--ceiling", low, "--why", target).stdout
    assert f"强制纳入分析：{out['text']}" in text
    assert names[target] in text and "降为" in text


@pytest.fixture(scope="module")
def rolling_plan() -> dict:
    return json.loads(_workbench("plan", "--scenario", "rolling3", "--format", "json").stdout)


def test_compare_shows_the_rolling_scenarios_deferred_starts(rolling_plan, tmp_path):
    year = next(p["start_year"] for p in rolling_plan["projects"] if p["status"] == "selected")
    deferred = {p["project_id"] for p in rolling_plan["projects"] if p["start_year"] == year + 1}
    assert deferred  # the sample's 三年滚动 defers some starts
    assert all(
        f"推迟至{year + 1}年度启动" in p["reason"]
        for p in rolling_plan["projects"]
        if p["project_id"] in deferred
    )
    mark = f"推迟至{year + 1}年度启动"

    text = _workbench("compare", "base", "rolling3").stdout
    marked = {
        line.split()[0]
        for line in text.splitlines()
        if line.startswith("  ") and line.rstrip().endswith(mark)
    }
    assert marked == deferred
    assert text.count(f"三年滚动{mark}") == len(deferred)
    assert f"其中推迟至{year + 1}年度启动" in text

    out = json.loads(
        _workbench("compare", "base", "rolling3", "--format", "json", "--out", str(tmp_path)).stdout
    )
    assert out["plan_year"] == year
    rows = {d["project_id"]: d for d in out["differences"]}
    assert deferred <= set(rows)
    for pid, d in rows.items():
        assert d["status:三年滚动"] in {"selected", "forced_in", "not_selected", "excluded"}
        assert (d["start_year:三年滚动"] == year + 1) == (pid in deferred)
        assert d["start_year:基准"] in {year, None}
    sheet = pd.read_excel(tmp_path / f"情景对比_{year}.xlsx", sheet_name="项目差异", dtype=str)
    in_sheet = set(sheet.loc[sheet["status:三年滚动"] == mark, "project_id"])
    assert in_sheet == deferred and not sheet["status:基准"].str.contains("推迟").any()
