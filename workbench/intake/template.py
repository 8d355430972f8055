"""The intake template a department fills in, derived from the contract.

The form sheet has a title row, the Chinese headers (required ones marked ``*``, which the reader
ignores), and empty rows with dropdowns for every enumerated column: nothing a department could
type over and half inherit. The second sheet explains every column (type, unit, whether
required, allowed values and the synonyms the reader also accepts) and, below that table, shows a
filled-in example row, titled as such. The example keeps the id ``示例``, so an example row copied
into the form, or left in a form made by an older template, is skipped (and counted), as before.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workbench.intake.columns import Column, Contract, load_contract
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
        cell = _header_cell(form, 2, j, col)
        cell.comment = Comment(f"{col.description}（{col.key}）", "workbench")
        form.column_dimensions[get_column_letter(j)].width = min(max(_width(col.header_zh), 10), 40)
        _add_validation(form, col, j)
    form.row_dimensions[2].height = 36
    form.freeze_panes = "C3"

    _write_instructions(wb.create_sheet(TEMPLATE_LABELS["sheet_instructions"]), contract)
    wb.save(path)
    return path


def _header_cell(sheet, row: int, j: int, col: Column):
    cell = sheet.cell(row=row, column=j, value=("*" if col.is_required else "") + col.header_zh)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    cell.fill = _REQUIRED_FILL if col.is_required else _HEADER_FILL
    return cell


def _aliases_text(col: Column) -> str:
    return "、".join(
        TEMPLATE_LABELS["alias_item"].format(alias=alias, canonical=canonical)
        for alias, canonical in col.aliases
    )


def _write_instructions(info, contract: Contract) -> None:
    """The notes, one row per column, then the example row under its own title.

    Column headers go down column A, so the table never looks like a form to the reader (which
    wants several known headers on one row); the example's header row does, so it is placed
    below the table, beyond the rows the reader searches for a header (HEADER_SEARCH_ROWS)."""
    info["A1"] = TEMPLATE_LABELS["instructions_title"]
    info["A1"].font = Font(bold=True, size=14)
    info["A2"] = TEMPLATE_LABELS["notes"] + "\n6. " + TEMPLATE_LABELS["example_note"]
    info["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    info.merge_cells("A2:H2")
    info.row_dimensions[2].height = 110
    info.append([])
    info.append([TEMPLATE_LABELS[k] for k in _TABLE_LABELS])
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for col in contract.columns:
        info.append(
            [
                col.header_zh,
                TEMPLATE_LABELS["col_key"] + "：" + col.key,
                TYPE_LABELS[col.type],
                col.unit,
                REQUIRED_LABELS[col.required],
                "、".join(col.allowed),
                _aliases_text(col),
                col.description,
            ]
        )
    for letter, width in zip("ABCDEFGH", (26, 34, 10, 8, 10, 40, 30, 60), strict=True):
        info.column_dimensions[letter].width = width

    info.append([])
    title_row = info.max_row + 1
    info.cell(row=title_row, column=1, value=TEMPLATE_LABELS["example_title"]).font = Font(
        bold=True, size=12
    )
    for j, col in enumerate(contract.columns, start=1):
        _header_cell(info, title_row + 1, j, col)
        example = info.cell(row=title_row + 2, column=j, value=col.example or None)
        example.font = _EXAMPLE_FONT


_TABLE_LABELS = (
    "col_header",
    "col_key",
    "col_type",
    "col_unit",
    "col_required",
    "col_allowed",
    "col_aliases",
    "col_description",
)


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
