"""The intake template a department fills in, derived from the contract.

The form sheet has a title row, the Chinese headers (required ones marked ``*``, which the reader
ignores), one example row (id ``示例``, skipped if left in) and dropdowns for every enumerated
column; a second sheet explains every column.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workbench.intake.columns import Contract, load_contract
from workbench.labels import NO, REQUIRED_LABELS, TEMPLATE_LABELS, TYPE_LABELS, YES

TEMPLATE_ROWS = 500
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_EXAMPLE_FONT = Font(italic=True, color="808080")


def _width(text: str) -> float:
    # CJK characters are about two Latin characters wide in Excel and WPS.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2


def write_template(path: str | Path, plan_year: int, contract: Contract | None = None) -> Path:
    contract = contract or load_contract("candidates")
    path = Path(path)
    wb = Workbook()
    form = wb.active
    form.title = TEMPLATE_LABELS["sheet_form"]
    columns = contract.columns
    last = get_column_letter(len(columns))

    form["A1"] = TEMPLATE_LABELS["title"].format(plan_year=plan_year)
    form["A1"].font = Font(bold=True, size=14)
    form.merge_cells(f"A1:{last}1")
    form.row_dimensions[1].height = 28

    for j, col in enumerate(columns, start=1):
        cell = form.cell(row=2, column=j, value=("*" if col.is_required else "") + col.header_zh)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = _REQUIRED_FILL if col.is_required else _HEADER_FILL
        cell.comment = Comment(f"{col.description}（{col.key}）", "workbench")
        example = form.cell(row=3, column=j, value=col.example or None)
        example.font = _EXAMPLE_FONT
        form.column_dimensions[get_column_letter(j)].width = min(max(_width(col.header_zh), 10), 40)
        _add_validation(form, col, j)
    form.row_dimensions[2].height = 36
    form.freeze_panes = "C3"

    info = wb.create_sheet(TEMPLATE_LABELS["sheet_instructions"])
    info["A1"] = TEMPLATE_LABELS["instructions_title"]
    info["A1"].font = Font(bold=True, size=14)
    info["A2"] = TEMPLATE_LABELS["notes"] + "\n6. " + TEMPLATE_LABELS["example_note"]
    info["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    info.merge_cells("A2:G2")
    info.row_dimensions[2].height = 110
    # One column description per row: headers go down column A, so this sheet never looks like
    # a form to the reader (which wants several known headers on one row).
    info.append([])
    for col in columns:
        info.append(
            [
                col.header_zh,
                TEMPLATE_LABELS["col_key"] + "：" + col.key,
                TYPE_LABELS[col.type],
                col.unit,
                REQUIRED_LABELS[col.required],
                "、".join(col.allowed),
                col.description,
            ]
        )
    for letter, width in zip("ABCDEFG", (26, 34, 10, 8, 10, 40, 60), strict=True):
        info.column_dimensions[letter].width = width
    wb.save(path)
    return path


def _add_validation(sheet, col, j: int) -> None:
    if col.type == "bool":
        allowed = (YES, NO)
    elif col.type in ("enum", "multi"):
        allowed = col.allowed
    else:
        return
    letter = get_column_letter(j)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(allowed) + '"',
        allow_blank=True,
        # Several areas may be typed into a multi-choice cell, so its list only suggests.
        showErrorMessage=col.type != "multi",
        errorTitle=col.header_zh,
        error="请从下拉列表中选择",
    )
    sheet.add_data_validation(validation)
    validation.add(f"{letter}3:{letter}{TEMPLATE_ROWS + 2}")
