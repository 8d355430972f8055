"""The draft plan as a formatted Excel workbook, the way a government office hands one on: a title
on every sheet, 万元 with two decimals and thousands separators, bold header rows frozen and
repeated on every printed page, column widths that fit Chinese text, A4 landscape fitted to the
page width, page numbers in the footer, totals rows set apart. Opens cleanly in Excel and WPS.

Text is always written as text: a cell that begins with = + - @ (or a tab / CR) gets Excel's
quote prefix, so it is shown as typed and never evaluated (no formula injection), and no cell
of the workbook is a formula.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workbench.labels import PRODUCT_TITLE, REPORT_LABELS
from workbench.money import EXACT_MONEY_FORMAT, format_wan_exact
from workbench.report.document import Block, PlanDocument, Section
from workbench.report.safe import FORMULA_STARTS

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
FONT = "宋体"  # what a government office's Excel and WPS have; they substitute when absent
TITLE = Font(name=FONT, size=16, bold=True)
SUBTITLE = Font(name=FONT, size=10)
CAPTION = Font(name=FONT, size=11, bold=True)
HEADER = Font(name=FONT, size=10, bold=True)
BODY = Font(name=FONT, size=10)
TOTAL = Font(name=FONT, size=10, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MIN_WIDTH, MAX_WIDTH, WIDE_WIDTH = 6, 16, 30
LINE_HEIGHT = 13.5  # points per line of 10-point text


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK (wide and full-width) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def split_unit(header: str) -> tuple[str, str] | None:
    """A header's words and the unit in brackets that ends it (（万元）, (万元), （月）), or None;
    the renderers keep the unit whole (the HTML in a no-wrap span, the workbook on its own
    line)."""
    for opening in ("（", "("):
        at = header.rfind(opening)
        if at > 0 and header.endswith(("）", ")")):
            return header[:at], header[at:]
    return None


def unit_on_its_own_line(header: str, width: int) -> str:
    """A header too wide for its column keeps its unit whole: the bracket goes to a line of its
    own instead of being broken by the wrap."""
    parts = split_unit(header)
    if display_width(header) <= width or parts is None:
        return header
    return "\n".join(parts)


def _shown(value: object, kind: str) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, Decimal | int | float):
        return f"{value:,.2f}"
    if kind == "exact" and isinstance(value, Decimal | int | float):
        return format_wan_exact(value)
    return str(value)


def _put(cell: Cell, value: object) -> None:
    """A value into a cell; text stays text, whatever it begins with."""
    if isinstance(value, float) and value != value:
        value = None
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value


def _named_styles(wb: Workbook) -> None:
    """One named style per kind of cell, registered once: assigning a named style is one lookup,
    where setting font, border, fill and alignment on each cell costs openpyxl a hash of each."""
    for part, font, fill in (("body", BODY, None), ("total", TOTAL, TOTAL_FILL)):
        for kind, number_format, alignment in (
            ("text", "General", Alignment(vertical="top", wrap_text=True)),
            ("money", MONEY_FORMAT, Alignment(vertical="top", horizontal="right")),
            ("exact", EXACT_MONEY_FORMAT, Alignment(vertical="top", horizontal="right")),
            ("percent", PERCENT_FORMAT, Alignment(vertical="top", horizontal="right")),
        ):
            style = NamedStyle(name=f"wb_{part}_{kind}")
            style.font, style.border, style.alignment = font, GRID, alignment
            style.number_format = number_format
            if fill is not None:
                style.fill = fill
            wb.add_named_style(style)
    header = NamedStyle(name="wb_header")
    header.font, header.fill, header.border = HEADER, HEADER_FILL, GRID
    header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb.add_named_style(header)


def _columns(section: Section) -> int:
    return max((len(b.frame.columns) for b in section.blocks), default=1)


def _write_block(ws: Worksheet, block: Block, row: int, widths: dict[int, int]) -> tuple[int, int]:
    """Write one block from ``row``; returns (its header row, the next free row)."""
    if block.caption:
        ws.cell(row=row, column=1, value=block.caption).font = CAPTION
        row += 1
    header_row = row
    columns = list(block.frame.columns)
    for j, name in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=j)
        cell.style = "wb_header"
        _put(cell, str(name))
        widths[j] = max(widths.get(j, 0), min((display_width(str(name)) + 1) // 2 + 1, MAX_WIDTH))
    row += 1

    kinds = [
        "exact"
        if c in block.exact
        else "money"
        if c in block.money
        else "percent"
        if c in block.percent
        else "text"
        for c in columns
    ]

    for values in block.frame.itertuples(index=False, name=None):
        for j, (column, kind, value) in enumerate(
            zip(columns, kinds, values, strict=True), start=1
        ):
            cell = ws.cell(row=row, column=j)
            cell.style = f"wb_body_{kind}"  # before the value: a style resets the quote prefix
            _put(cell, value)
            limit = WIDE_WIDTH if column in block.wide else MAX_WIDTH
            shown = display_width(_shown(value, kind)) + 2
            widths[j] = max(widths.get(j, 0), min(shown, limit))
        row += 1
    if block.total is not None:
        for j, (column, kind) in enumerate(zip(columns, kinds, strict=True), start=1):
            cell = ws.cell(row=row, column=j)
            cell.style = f"wb_total_{kind}"
            _put(cell, block.total.get(column))
        row += 1
    return header_row, row + 1


def _row_heights(ws: Worksheet, first: int) -> None:
    """Heights for rows whose wrapped text takes more than one line (neither Excel nor WPS
    sizes rows written by a program on opening)."""
    for cells in ws.iter_rows(min_row=first):
        lines = 1
        for cell in cells:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                width = ws.column_dimensions[cell.column_letter].width or MIN_WIDTH
                room = max(int(width) - 1, 1)
                needed = sum(
                    max(-(-display_width(part) // room), 1) for part in cell.value.split("\n")
                )
                # A header's font is bold, which takes a little more room.
                lines = max(lines, needed + (1 if cell.font.b and needed > 1 else 0))
        if lines > 1:
            ws.row_dimensions[cells[0].row].height = LINE_HEIGHT * lines


def _sheet(wb: Workbook, doc: PlanDocument, section: Section) -> None:
    ws = wb.create_sheet(section.title)
    span = _columns(section)
    ws.cell(row=1, column=1, value=doc.title).font = TITLE
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(span, 1))
    ws.row_dimensions[1].height = 30
    line = f"{section.title}　　{doc.subtitle}　　{doc.edition}"
    ws.cell(row=2, column=1, value=line).font = SUBTITLE
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(span, 1))
    widths: dict[int, int] = {}
    row = 4
    notes = []
    for note in section.notes:  # the summary's sentences, each a merged row across the tables
        cell = ws.cell(row=row, column=1)
        _put(cell, note)
        cell.font = BODY
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(span, 1))
        notes.append(row)
        row += 1
    if notes:
        row += 1
    first = row
    header_rows = []
    for block in section.blocks:
        header_row, row = _write_block(ws, block, row, widths)
        header_rows.append(header_row)
    for j in range(1, span + 1):
        ws.column_dimensions[get_column_letter(j)].width = max(widths.get(j, 0), MIN_WIDTH) + 1
    for header_row in header_rows:
        for cell in ws[header_row]:
            if isinstance(cell.value, str):
                width = ws.column_dimensions[cell.column_letter].width or MIN_WIDTH
                _put(cell, unit_on_its_own_line(cell.value, int(width) - 1))
    across = sum(max(widths.get(j, 0), MIN_WIDTH) + 1 for j in range(1, span + 1))
    for note_row in notes:
        text = str(ws.cell(row=note_row, column=1).value)
        lines = -(-display_width(text) // max(across - 2, 1))
        ws.row_dimensions[note_row].height = LINE_HEIGHT * max(lines, 1) + 2
    _row_heights(ws, first=first)
    if len(section.blocks) == 1:
        # One table: its header stays on screen and is printed on every page.
        ws.freeze_panes = ws.cell(row=header_rows[0] + 1, column=1)
        ws.print_title_rows = f"1:{header_rows[0]}"
    else:
        ws.freeze_panes = "A3"
        ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.right.text = doc.edition
    ws.oddHeader.right.size = 8
    ws.oddFooter.center.text = REPORT_LABELS["page_footer"]
    ws.oddFooter.center.size = 9


def write_workbook(doc: PlanDocument, path: str | Path) -> Path:
    """Write the document as an xlsx workbook, one sheet per section."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    _named_styles(wb)
    for section in doc.sections:
        _sheet(wb, doc, section)
    wb.properties.title = doc.title
    wb.properties.subject = doc.edition
    wb.properties.creator = PRODUCT_TITLE
    wb.save(path)
    return path


def document_stem(doc: PlanDocument) -> str:
    """The file name (without suffix) of the document's workbook, report and PDF."""
    stem = doc.title.split("（附")[0]
    return stem if not doc.internal else f"{stem}_内部版"
