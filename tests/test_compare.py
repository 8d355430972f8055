"""Comparing plans on hand-built instances, and `workbench compare` on the sample."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest
from conftest import project

from workbench.compare import compare
from workbench.data import sample_candidates
from workbench.planner import draft_plan
from workbench.report.compare import write_comparison
from workbench.scenario import Scenario


def p(pid: str, amount: str, **changes) -> dict:
    return project(
        project_id=pid,
        name=f"项目{pid}专用系统",
        total_investment=amount,
        request_amount=amount,
        **changes,
    )


def test_compare_lines_up_totals_differences_units_and_years(checked):
    result = checked(
        [p("A", "600"), p("B", "500", unit="市公安局"), p("C", "400", category="运维服务类")]
    )
    values = pd.Series({"A": 60.0, "B": 50.0, "C": 45.0})
    wide = Scenario(name="宽", plan_year=2027, ceilings={"市本级": {2027: 1500}})
    tight = Scenario(name="紧", plan_year=2027, ceilings={"市本级": {2027: 950}})
    comparison = compare(
        {"宽": draft_plan(result, values, wide), "紧": draft_plan(result, values, tight)}
    )
    summary = comparison.summary.set_index("scenario")
    assert summary.loc["宽", "amount"] == Decimal(1500) and summary.loc["紧", "amount"] == Decimal(
        900
    )
    assert summary.loc["宽", "objective"] == pytest.approx(155) and summary.loc[
        "紧", "objective"
    ] == pytest.approx(95)
    diff = comparison.differences.set_index("project_id")
    assert list(diff.index) == ["A"]  # B and C are in both plans
    assert diff.loc["A", "status:宽"] == "selected" and diff.loc["A", "status:紧"] == "not_selected"
    assert "资金不足" in diff.loc["A", "reason:紧"]
    units = comparison.by_unit.set_index("unit")
    assert units.loc["市教育局", "宽"] == Decimal(1000) and units.loc["市教育局", "紧"] == Decimal(
        400
    )
    years = comparison.commitments.set_index(["year", "kind"])
    assert years.loc[(2027, "om"), "紧"] == Decimal(400)
    assert years.loc[(2027, "construction"), "宽"] == Decimal(1100)


def test_workbench_compare_on_the_sample(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "compare",
            "base",
            "cut20",
            "--format",
            "json",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["scenarios"] == ["基准", "压减20%"]
    base, cut = out["summary"]
    assert Decimal(cut["amount"]) < Decimal(base["amount"])
    chosen = {"selected", "forced_in"}
    assert out["differences"] and all(
        (d["status:基准"] in chosen) != (d["status:压减20%"] in chosen) for d in out["differences"]
    )
    assert {r["kind"] for r in out["commitments"]} == {"construction", "om"}
    sheets = pd.read_excel(tmp_path / "情景对比_2027.xlsx", sheet_name=None)
    assert {"情景汇总", "项目差异", "分单位", "分类别", "多年度资金需求"} <= set(sheets)
    # The distribution edition withholds classified projects' names (是否涉密: 是 / 部分).
    sample = pd.read_csv(sample_candidates(), dtype=str)
    secret = set(sample.loc[sample["是否涉密"].isin(["是", "部分"]), "项目编号"])
    names = dict(zip(sample["项目编号"], sample["项目名称"], strict=True))
    for row in sheets["项目差异"].itertuples():
        assert row.name == ("【涉密项目】" if row.project_id in secret else names[row.project_id])


def test_comparison_workbook_withholds_hidden_names(checked, tmp_path):
    result = checked(
        [project(project_id="A", name="甲系统"), project(project_id="B", name="乙系统")]
    )
    values = pd.Series({"A": 50.0, "B": 40.0})
    plans = {
        name: draft_plan(
            result,
            values,
            Scenario.model_validate(
                {"name": name, "plan_year": 2027, "ceilings": {"市本级": {2027: ceiling}}}
            ),
        )
        for name, ceiling in (("宽", 5000), ("紧", 0))
    }
    path = write_comparison(compare(plans), tmp_path, 2027, hidden={"A"})
    differences = pd.read_excel(path, sheet_name="项目差异").set_index("project_id")
    assert differences.at["A", "name"] == "【涉密项目】" and differences.at["B", "name"] == "乙系统"
