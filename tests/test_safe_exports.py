"""Text that looks like a formula is written as text in CSV and xlsx (CSV/formula injection)."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
from conftest import project

from workbench.planner import draft_plan
from workbench.report.outputs import write_outputs
from workbench.report.safe import safe_text
from workbench.scenario import Scenario


def test_safe_text_neutralises_every_formula_start():
    for text in ("=1+1", "+86 热线", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_text(text) == "'" + text
    assert safe_text("智慧城市") == "智慧城市" and safe_text(12) == 12


def test_plan_files_carry_formula_like_names_as_text(checked, tmp_path):
    result = checked(
        [
            project(project_id="A", name='+HYPERLINK("http://x")热线系统'),
            project(project_id="B", name="@cmd 数据平台", unit="市公安局"),
        ]
    )
    scenario = Scenario.model_validate(
        {"name": "t", "plan_year": 2027, "ceilings": {"市本级": {2027: 5000}}}
    )
    plan = draft_plan(result, pd.Series({"A": 50.0, "B": 40.0}), scenario)
    outputs = write_outputs(plan, result, tmp_path, pdf=False)
    csv_path, xlsx_path = outputs.paths[:2]
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        names = [row["项目名称"] for row in csv.DictReader(fh)]
    assert names == [
        '\'+HYPERLINK（"http://x"）热线系统',
        "'@cmd 数据平台",
    ]  # full-width parentheses, as intake normalises them
    # In the workbook the text is kept as typed, marked as text (Excel's quote prefix), and no
    # cell anywhere is a formula.
    book = openpyxl.load_workbook(xlsx_path)
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    typed = {
        c.value: c
        for c in cells
        if c.value in {'+HYPERLINK（"http://x"）热线系统', "@cmd 数据平台"}
    }
    assert set(typed) == {'+HYPERLINK（"http://x"）热线系统', "@cmd 数据平台"}
    assert all(c.data_type == "s" and c.quotePrefix for c in typed.values())
