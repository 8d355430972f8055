"""The intake template: the form holds headers, dropdowns and empty rows only; the example row
lives on the instructions sheet under its own title; forms from older templates still work."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from conftest import VALID_PROJECT, project, write_csv

from workbench.intake import load_contract, read_table
from workbench.intake.template import TEMPLATE_ROWS, write_template

CANDIDATES = load_contract("candidates")


@pytest.fixture
def template(tmp_path):
    return write_template(tmp_path / "申报模板.xlsx", plan_year=2027)


def headers_of(ws, row: int) -> list[object]:
    return [ws.cell(row=row, column=j).value for j in range(1, len(CANDIDATES.columns) + 1)]


def test_the_form_has_headers_and_dropdowns_but_no_example(template):
    ws = openpyxl.load_workbook(template)["申报表"]
    assert [CANDIDATES.match_header(h) for h in headers_of(ws, 2)] == list(CANDIDATES.keys)
    below = [c.value for row in ws.iter_rows(min_row=3) for c in row if c.value is not None]
    assert below == []
    lists = {
        str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"
    }
    column = CANDIDATES.keys.index("pre_review") + 1
    letter = openpyxl.utils.get_column_letter(column)
    assert lists[f"{letter}3:{letter}{TEMPLATE_ROWS + 2}"] == '"通过,不通过,未审核"'


def test_the_example_row_is_on_the_instructions_sheet_under_a_title(template):
    info = openpyxl.load_workbook(template)["填表说明"]
    titles = [
        r
        for r in range(1, info.max_row + 1)
        if str(info.cell(r, 1).value or "").startswith("填写示例")
    ]
    assert len(titles) == 1
    title = titles[0]
    assert "不是申报数据" in info.cell(title, 1).value
    header = headers_of(info, title + 1)
    assert [CANDIDATES.match_header(h) for h in header] == list(CANDIDATES.keys)
    example = headers_of(info, title + 2)
    assert example == [c.example or None for c in CANDIDATES.columns]
    assert example[0] == "示例"
    assert info.cell(title + 2, 2).value == "城市运行一网统管平台建设项目"


def test_the_untouched_template_reads_as_an_empty_form(template):
    result = read_table([template])
    assert result.rejections.empty and result.accepted.empty
    assert result.notices.empty, result.notices.to_dict("records")
    assert list(result.reconciliation().sheet) == ["申报表"]  # the instructions are not data
    assert result.totals() == {"read": 0, "accepted": 0, "rejected": 0, "blank": 0}


def test_typing_over_the_first_row_inherits_nothing(template, tmp_path):
    # The old template's example row gave 总投资 680 etc. to a department that only typed a few
    # cells over it; now an incomplete first row is rejected for what it lacks.
    wb = openpyxl.load_workbook(template)
    ws = wb["申报表"]
    for key in ("project_id", "name", "unit"):
        ws.cell(row=3, column=CANDIDATES.keys.index(key) + 1, value=VALID_PROJECT[key])
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    result = read_table([path])
    assert result.accepted.empty
    missing = set(result.rejections[result.rejections.row == 3].column)
    assert {"总投资(万元)", "本年度申请资金(万元)", "层级"} <= missing
    assert result.totals() == {"read": 1, "accepted": 0, "rejected": 1, "blank": 0}


def test_a_form_from_an_older_template_with_the_example_left_in(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "申报表"
    ws["A1"] = "鄂尔多斯市政务信息化项目申报表（2026年度）"
    keys = list(CANDIDATES.keys)
    ws.append([("*" if c.is_required else "") + c.header_zh for c in CANDIDATES.columns])
    ws.append([c.example or None for c in CANDIDATES.columns])
    row = project(project_id="OLD-1")
    ws.append([row.get(k) or None for k in keys])
    path = tmp_path / "旧模板.xlsx"
    wb.save(path)
    result = read_table([path])
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert list(result.accepted.project_id) == ["OLD-1"]
    assert list(result.accepted.source_row) == [4]
    assert result.totals() == {"read": 2, "accepted": 1, "rejected": 0, "blank": 1}
    assert "空行或模板示例行1行，已忽略" in set(result.notices.message)


def test_priority_score_is_described_as_the_units_self_assessment(tmp_path):
    column = CANDIDATES.column("priority_score")
    assert "自评" in column.description and "仅供参考" in column.description
    assert "不作为项目价值" in column.description
    assert "不再计算评分" not in column.description
    # Still a column of the form, read and kept for reference.
    result = read_table([write_csv(tmp_path / "c.csv", [project(priority_score="100")])])
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert result.accepted.loc[0, "priority_score"] == Decimal(100)
