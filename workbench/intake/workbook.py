"""Reading ``.xlsx`` workbooks within the intake limits.

A workbook is a zip archive of XML parts. It is judged from the archive's directory before any
part is decompressed (:func:`check_container`): what its first bytes say it is (an encrypted or
old-format Office file, a web page, another zip), the number of parts (counted from the raw
directory records), of sheets, and the declared uncompressed size of each part and of all of them.
A part cannot yield more than it declares: zipfile stops there and its checksum then fails.

Sheets are then read in openpyxl's read-only (streaming) mode, row by row, counted as they come
(:class:`~workbench.intake.readers.RowCounter` stops the read at the first row beyond the
limits). Merged cells are not available in that mode, nor needed: a merged range's value is in
its first cell, which is what the header search of :mod:`workbench.intake.readers` expects of a
title row or a two-row header. Two openpyxl behaviours are worked around here, each because a
file of a few kilobytes could otherwise cost minutes or gigabytes:

- openpyxl looks for a sheet's ``<dimension>`` by parsing until the *end* of ``<sheetData>``,
  i.e. the whole sheet when the element is missing (openpyxl's own write-only mode omits it):
  :class:`_StreamingSheet` stops looking at the *start* of the data;
- a declared dimension pads every row to its width and yields empty rows down to its height
  (``A1:XFD1048576``): a declaration beyond the limits is not believed
  (:func:`_distrust_large_dimensions`).

A formula's cached value is what the user saw; the workbook is opened a second time, for the
formula text, only when a sheet holds a formula element (a formula without a cached value is
kept as its text, and rejected by the cell parsers).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import warnings
import zipfile
import zlib
from decimal import Decimal
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from workbench.intake.readers import (
    MIB,
    IntakeFileError,
    RowCounter,
    counted,
    empty_cell,
    megabytes,
    refused,
)
from workbench.labels import FILE_MESSAGES

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

    from workbench.intake.limits import IntakeLimits

# What the first bytes of a file say it is. An encrypted Office file is an OLE compound file
# whatever its extension, with these streams in its directory (names stored as UTF-16LE).
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK"
_ENCRYPTED_STREAMS = tuple(n.encode("utf-16-le") for n in ("EncryptionInfo", "EncryptedPackage"))

# The zip records read before zipfile is trusted with the file (PKWARE APPNOTE 4.3.12, 4.3.14-16).
_CENTRAL_ENTRY = b"PK\x01\x02"
_CENTRAL_ENTRY_SIZE = 46
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_END_COMMENT_MAX = 65535
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_END_RECORD = b"PK\x06\x06"
_ZIP64_END_RECORD_SIZE = 56
# Worksheet parts are streamed; every other part is parsed whole (their limits differ).
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
# The root element of a sheet, and the namespace prefix its elements carry (usually none).
_SHEET_ROOT = re.compile(rb"<(?P<prefix>[A-Za-z_][\w.-]*:)?worksheet[\s>]")
_SCAN_CHUNK = 1024 * 1024  # bytes decompressed at a time while scanning (I/O size, not a limit)
_SCAN_OVERLAP = 64  # longer than any tag looked for, so none is split between two chunks unseen
_DIMENSION_TAG = f"{{{SHEET_MAIN_NS}}}dimension"
_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"


def _container_problem(data: bytes) -> str | None:
    """What is wrong with a would-be .xlsx, judged from its bytes before any parser sees it."""
    if data.startswith(_OLE_MAGIC):
        return "encrypted" if any(s in data for s in _ENCRYPTED_STREAMS) else "old_excel"
    if not data.startswith(_ZIP_MAGIC):
        head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
        # Systems that "export to Excel" often write an HTML table or SpreadsheetML 2003.
        return "markup" if head.startswith(b"<") else "not_zip"
    return None


def check_container(name: str, data: bytes, limits: IntakeLimits) -> None:
    """Refuse a would-be .xlsx that is not one, or whose zip directory declares more than the
    limits allow, before any part of it is decompressed."""
    problem = _container_problem(data)
    if problem is not None:
        raise IntakeFileError(name, FILE_MESSAGES[problem])
    entries = _directory_entries(data, limits.parts_per_workbook)
    if entries is not None and entries > limits.parts_per_workbook:
        reason = FILE_MESSAGES["too_many_parts"].format(limit=counted(limits.parts_per_workbook))
        raise IntakeFileError(name, reason)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise IntakeFileError(name, FILE_MESSAGES["damaged_zip"]) from None
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise IntakeFileError(name, FILE_MESSAGES["zip_not_xlsx"])
    sheets = sum(1 for n in names if _SHEET_PART.match(n))
    if sheets > limits.sheets_per_workbook:
        reason = FILE_MESSAGES["too_many_sheets"].format(
            count=counted(sheets), limit=counted(limits.sheets_per_workbook)
        )
        raise IntakeFileError(name, reason)
    for part in parts:
        limit_mb = limits.sheet_part_mb if _SHEET_PART.match(part.filename) else limits.part_mb
        if part.file_size > limit_mb * MIB:
            reason = FILE_MESSAGES["part_too_large"].format(
                part=part.filename, size=megabytes(part.file_size), limit=f"{limit_mb} MB"
            )
            raise IntakeFileError(name, reason)
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.unpacked_mb * MIB:
        reason = FILE_MESSAGES["unpacked_too_large"].format(
            size=megabytes(unpacked), limit=f"{limits.unpacked_mb} MB"
        )
        raise IntakeFileError(name, reason)


def _count_entries(name: str, data: bytes, limits: IntakeLimits) -> None:
    """Count the shared strings (``<si>``) and cell formats (``<xf>``) in the parts openpyxl
    parses whole, before it does: it builds an object per entry, at about 24 000 strings and
    10 000 formats a second, so a part of a few megabytes of tiny entries would take minutes."""
    budgets = {
        (b"<si>", b"<si "): ("too_many_strings", limits.shared_strings),
        (b"<xf>", b"<xf ", b"<xf/"): ("too_many_formats", limits.cell_formats),
    }
    found = dict.fromkeys(budgets, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.infolist():
            if _SHEET_PART.match(part.filename) or not part.filename.endswith(".xml"):
                continue
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(_SCAN_CHUNK):
                    window = tail + chunk
                    for tags, (message, limit) in budgets.items():
                        found[tags] += sum(window.count(t) - tail.count(t) for t in tags)
                        if found[tags] > limit:
                            reason = FILE_MESSAGES[message].format(limit=counted(limit))
                            raise IntakeFileError(name, reason)
                    tail = chunk[-_SCAN_OVERLAP:]


def _directory_entries(data: bytes, stop_after: int) -> int | None:
    """The entries of a zip's central directory, counted from the raw records as zipfile walks
    them, but without building its object per entry (a 37 MB file of 400 000 empty entries took
    zipfile 5 s and 460 MB), and stopping once ``stop_after`` is passed. None when the end
    records are not where they should be: zipfile then reports the file as damaged."""
    end = data.rfind(_END_RECORD, max(0, len(data) - _END_RECORD_SIZE - _END_COMMENT_MAX))
    if end < 0 or end + _END_RECORD_SIZE > len(data):
        return None
    (size,) = struct.unpack_from("<I", data, end + 12)
    directory_end = end
    locator = end - _ZIP64_LOCATOR_SIZE
    if locator >= 0 and data.startswith(_ZIP64_LOCATOR, locator):
        record = locator - _ZIP64_END_RECORD_SIZE
        if record < 0 or not data.startswith(_ZIP64_END_RECORD, record):
            return None
        (size,) = struct.unpack_from("<Q", data, record + 40)
        directory_end = record
    position = directory_end - size
    if position < 0:
        return None
    count = 0
    while position < directory_end and count <= stop_after:
        if not data.startswith(_CENTRAL_ENTRY, position):
            return None
        if position + _CENTRAL_ENTRY_SIZE > directory_end:
            return None
        name, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        position += _CENTRAL_ENTRY_SIZE + name + extra + comment
        count += 1
    return count


def _causes(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _parse_problem(exc: BaseException) -> str:
    """The FILE_MESSAGES key for an exception raised while parsing a workbook's contents."""
    chain = _causes(exc)
    if any(isinstance(e, DefusedXmlException) for e in chain):
        return "xml_forbidden"
    if any(isinstance(e, zipfile.BadZipFile | zlib.error | EOFError) for e in chain):
        return "damaged_zip"
    # ElementTree's ParseError and lxml's XMLSyntaxError are both SyntaxErrors; a KeyError is a
    # part the workbook refers to that is not in the file.
    if any(isinstance(e, SyntaxError | KeyError) for e in chain):
        return "damaged_content"
    return "unreadable"


class _CellsBeyond(Exception):
    """Raised out of openpyxl's row generator at a value beyond the column limit."""

    def __init__(self, row: int, column: int) -> None:
        super().__init__(row, column)
        self.row = row
        self.column = column


class _StreamingSheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, looking for its dimension only in the part's head, and
    building no row wider than the column limit (``columns``, set after loading)."""

    columns: int | None = None

    def _get_row(self, row, min_col=1, max_col=None, values_only=False):
        # ``row`` holds the cells present in the XML only. openpyxl pads it to the last one's
        # column: a row with one styled empty cell at XFD would become 16 384 cells.
        if self.columns is not None and row and row[-1]["column"] > self.columns:
            for cell in row:
                if cell["column"] > self.columns and not empty_cell(cell["value"]):
                    raise _CellsBeyond(cell["row"], cell["column"])
            row = [cell for cell in row if cell["column"] <= self.columns]
        return super()._get_row(row, min_col, max_col, values_only)

    def _get_size(self) -> None:
        with self._get_source() as source:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == _DIMENSION_TAG:
                    bounds = SheetDimension.from_tree(element).boundaries
                    if bounds is not None:
                        self._min_column, self._min_row, self._max_column, self._max_row = bounds
                    return
                if element.tag == _DATA_TAG:
                    return


class _StreamingReader(ExcelReader):
    """openpyxl's workbook reader in read-only mode, with :class:`_StreamingSheet` sheets.
    Chart sheets are left out (``Workbook.worksheets`` leaves them out too)."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = _StreamingSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def _open(data: bytes, data_only: bool) -> Workbook:
    reader = _StreamingReader(io.BytesIO(data), read_only=True, data_only=data_only)
    reader.read()
    return reader.wb


def xlsx_grids(
    name: str, data: bytes, counter: RowCounter
) -> list[tuple[str, list[tuple[int, list[object]]]]]:
    limits = counter.limits
    check_container(name, data, limits)
    formulas = None
    try:
        _count_entries(name, data, limits)
        with warnings.catch_warnings():
            # openpyxl warns about data validation and header/footer extensions it ignores.
            warnings.simplefilter("ignore", UserWarning)
            values = _open(data, data_only=True)
            try:
                if _scan_sheets(name, data, values, limits):
                    formulas = _open(data, data_only=False)
            except BaseException:
                values.close()
                raise
    except IntakeFileError:
        raise
    except Exception as exc:  # openpyxl raises many types for corrupt or hostile files
        raise refused(name, _parse_problem(exc), exc) from exc
    grids = []
    title = ""
    try:
        if len(values.worksheets) > limits.sheets_per_workbook:
            reason = FILE_MESSAGES["too_many_sheets"].format(
                count=counted(len(values.worksheets)), limit=counted(limits.sheets_per_workbook)
            )
            raise IntakeFileError(name, reason)
        for index, ws_v in enumerate(values.worksheets):
            title = ws_v.title
            ws_f = formulas.worksheets[index] if formulas is not None else None
            for ws in (ws_v, ws_f):
                _distrust_large_dimensions(ws, limits)
                if ws is not None:
                    ws.columns = limits.columns_per_row
            rows_f = ws_f.iter_rows() if ws_f is not None else None
            grid: list[tuple[int, list[object]]] = []
            # Read-only sheets yield every row from the first one on; a row of only empty
            # cells has no row number of its own, so numbers are counted and checked.
            number = (ws_v.min_row or 1) - 1
            for row_v in ws_v.iter_rows():
                row_f = next(rows_f, ()) if rows_f is not None else ()
                number += 1
                own = next((c.row for c in row_v if getattr(c, "row", None)), None)
                if own is not None:
                    number = own
                counter.add(number, title)
                if rows_f is None:
                    cells = [_cell_value(None, cv) for cv in row_v]
                else:
                    cells = [_cell_value(cf, cv) for cf, cv in zip(row_f, row_v, strict=False)]
                grid.append((number, counter.fit(cells, number, title)))
            grids.append((title, grid))
    except IntakeFileError:
        raise
    except _CellsBeyond as beyond:
        reason = FILE_MESSAGES["too_many_columns"].format(
            row=counted(beyond.row),
            column=get_column_letter(beyond.column),
            limit=counted(limits.columns_per_row),
        )
        raise IntakeFileError(name, reason, title) from None
    except Exception as exc:  # read-only sheets are parsed lazily, row by row
        raise refused(name, _parse_problem(exc), exc, sheet=title) from exc
    finally:
        values.close()
        if formulas is not None:
            formulas.close()
    return grids


def _distrust_large_dimensions(ws, limits: IntakeLimits) -> None:
    """A sheet declares its used range (``<dimension ref="A1:Z40"/>``), and read-only openpyxl
    pads every row to its width and yields empty rows down to its height. A declaration beyond
    the limits (XFD1048576 in a file of a few bytes) is not believed: the sheet is then read by
    the rows and cells it actually has."""
    if ws is None:
        return
    if (ws.max_row or 0) > limits.rows_per_file or (ws.max_column or 0) > limits.columns_per_row:
        ws.reset_dimensions()


def _scan_sheets(name: str, data: bytes, workbook: Workbook, limits: IntakeLimits) -> bool:
    """Scan each sheet's decompressed part (fast: bytes, no XML parsing) for two things:

    - its ``<row>`` elements: each is at least one row read, so a sheet with more of them than
      one file may hold is refused here, in a second or two, instead of after parsing 100 000
      rows of it (openpyxl's streaming parser reads about 12 000 rows a second, through
      defusedxml's pure-Python expat handlers);
    - a formula element: only then is the workbook opened a second time, for the formula text (a
      formula without a cached value is kept as text, and rejected).

    Returns whether a formula was seen."""
    paths = [getattr(ws, "_worksheet_path", None) for ws in workbook.worksheets]
    if None in paths:  # an openpyxl that no longer says where its sheets are: assume formulas
        return True
    formulas = False
    rows = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for ws, path in zip(workbook.worksheets, paths, strict=True):
            with archive.open(path) as stream:
                head = stream.read(_SCAN_CHUNK)
                root = _SHEET_ROOT.search(head)
                prefix = (root.group("prefix") or b"") if root else b""
                row_tags = (b"<" + prefix + b"row ", b"<" + prefix + b"row>")
                formula = re.compile(re.escape(b"<" + prefix + b"f") + rb"[\s/>]")
                tail, chunk = b"", head
                while chunk:
                    window = tail + chunk
                    # A tag is shorter than the tail kept, so none is counted twice or missed.
                    rows += sum(window.count(tag) for tag in row_tags)
                    rows -= sum(tail.count(tag) for tag in row_tags)
                    if rows > limits.rows_per_file:
                        reason = FILE_MESSAGES["too_many_rows_in_sheet"].format(
                            limit=counted(limits.rows_per_file), count=counted(rows)
                        )
                        raise IntakeFileError(name, reason, ws.title)
                    formulas = formulas or formula.search(window) is not None
                    tail = chunk[-_SCAN_OVERLAP:]
                    chunk = stream.read(_SCAN_CHUNK)
    return formulas


def _cell_value(cell_formula, cell_value) -> object:
    """The value a user saw in the cell. A formula gives its cached result when the workbook was
    saved by a spreadsheet program; without one the formula text is kept, and rejected later."""
    raw = getattr(cell_formula, "value", None)
    shown = getattr(cell_value, "value", None)
    if isinstance(raw, str) and raw.startswith("=") and shown is None:
        return raw
    value = shown
    number_format = getattr(cell_value, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        # A cell formatted as a percentage stores 0.85 for 85 %: say so explicitly, exactly
        # (0.123456789 is 12.3456789 %, not the 12.3457 a float format would round to).
        points = (Decimal(repr(value)) * 100).normalize()
        return f"{points:f}%"
    if isinstance(value, dt.time):
        return value.isoformat()
    return value
