"""Reading submission files into raw sheets, with every row's location kept.

A submission is an ``.xlsx`` workbook (one per unit, or one consolidated sheet, possibly with a
title row merged above the header) or a ``.csv`` file in UTF-8, UTF-8 with BOM or GB18030 (what
Chinese Excel writes). A folder is read file by file in name order. The header row is the row,
among the first few, that matches most known column names (Chinese or English).

Workbooks are parsed by openpyxl, which uses defusedxml when it is installed (it is a
dependency), so entity-expansion ("billion laughs") workbooks are refused; files above
:data:`MAX_FILE_BYTES` are refused before they are opened.

A file that cannot be read is refused with a Chinese reason that says what is wrong in the user's
terms (empty, encrypted, an old .xls renamed, incomplete, damaged inside, …), found by looking at
the bytes first and at the library's exception only when that is not enough. The library's own
(English) text never reaches the user: it is kept in :attr:`IntakeFileError.detail` and logged at
DEBUG with its traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from defusedxml import DefusedXmlException

from workbench.intake.columns import Contract
from workbench.labels import CLI_LABELS, FILE_MESSAGES, TEMPLATE_LABELS
from workbench.oserrors import os_problem

MAX_FILE_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 15
SUFFIXES_XLSX = (".xlsx", ".xlsm")
SUFFIXES = (*SUFFIXES_XLSX, ".csv")
# Spreadsheets in formats that are not read (old Excel, WPS, OpenDocument): in a folder they are
# reported as unreadable files, so that a form saved as .xls is never silently left out.
UNREAD_SPREADSHEETS = (".xls", ".et", ".ods", ".numbers")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")

# What the first bytes of a file say it is. An encrypted Office file is an OLE compound file
# whatever its extension, with these streams in its directory (names stored as UTF-16LE).
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK"
_ENCRYPTED_STREAMS = tuple(n.encode("utf-16-le") for n in ("EncryptionInfo", "EncryptedPackage"))

logger = logging.getLogger(__name__)


class IntakeFileError(ValueError):
    """A file that cannot be read at all; ``file`` and ``reason`` are user-facing (Chinese).
    ``detail`` keeps the underlying library or system message for programmers, never shown."""

    def __init__(self, file: str, reason: str, sheet: str = "", detail: str = "") -> None:
        template = CLI_LABELS["file_sheet_error"] if sheet else CLI_LABELS["file_error"]
        super().__init__(template.format(file=file, sheet=sheet, reason=reason))
        self.file = file
        self.sheet = sheet
        self.reason = reason
        self.detail = detail


@dataclass
class RawSheet:
    """One sheet's rows as read, before any parsing.

    ``headers[j]`` is the header cell text of column j; ``rows`` are (row number as the user
    sees it, cell values) pairs for every row below the header, blank ones included.
    """

    file: str
    sheet: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[object]]]


@dataclass
class SourceFile:
    path: str
    sha256: str
    size: int
    sheets: list[RawSheet] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)  # (sheet, Chinese message)


@dataclass
class Inputs:
    """What a list of paths expands to: the files to read (spreadsheets, including the ones in
    unread formats, which are then reported) and the other files found in folders, ignored."""

    files: list[Path]
    ignored: list[Path]


def expand_inputs(inputs: Iterable[str | Path]) -> Inputs:
    """Files named directly, plus the spreadsheets anywhere below any folder, in path order.
    Lock files of open workbooks (``~$…``) and hidden files are not submissions."""
    files: list[Path] = []
    ignored: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found, other = [], []
            for p in sorted(path.rglob("*")):
                if not p.is_file() or p.name.startswith(("~$", ".")):
                    continue
                suffix = p.suffix.lower()
                (found if suffix in SUFFIXES or suffix in UNREAD_SPREADSHEETS else other).append(p)
            if not found:
                # A folder named like a workbook (申报.xlsx/) is most likely a mistake for one.
                spreadsheet_name = path.suffix.lower() in (*SUFFIXES, *UNREAD_SPREADSHEETS)
                message = "folder_named_like_file" if spreadsheet_name else "empty_folder"
                raise IntakeFileError(str(path), FILE_MESSAGES[message])
            files.extend(found)
            ignored.extend(other)
        elif path.exists():
            if path.suffix.lower() not in SUFFIXES:
                raise IntakeFileError(
                    str(path), FILE_MESSAGES["unsupported"].format(suffix=path.suffix)
                )
            files.append(path)
        else:
            raise IntakeFileError(str(path), FILE_MESSAGES["not_found"])
    return Inputs(files=files, ignored=ignored)


def read_source(path: Path, contract: Contract) -> SourceFile:
    """Read one file's sheets. Raises :class:`IntakeFileError` when the file cannot be read."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IntakeFileError(name, FILE_MESSAGES["unsupported"].format(suffix=path.suffix))
    if path.is_dir():
        raise IntakeFileError(name, FILE_MESSAGES["is_directory"])
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IntakeFileError(
                name, FILE_MESSAGES["too_large"].format(size=_mb(size), limit=_mb(MAX_FILE_BYTES))
            )
        data = path.read_bytes()
    except OSError as exc:
        raise _refused(name, _read_problem(exc), exc) from exc
    if not data:
        raise IntakeFileError(name, FILE_MESSAGES["empty_file"])
    source = SourceFile(path=name, sha256=hashlib.sha256(data).hexdigest(), size=size)
    grids = [("", _csv_grid(name, data))] if suffix == ".csv" else _xlsx_grids(name, data)
    for sheet_name, grid in grids:
        sheet = _locate_header(name, sheet_name, grid, contract)
        if sheet is not None:
            source.sheets.append(sheet)
        elif sheet_name != TEMPLATE_LABELS["sheet_instructions"] and any(
            any(c not in (None, "") for c in cells) for _, cells in grid
        ):
            # A sheet of notes beside the form (填表说明) is not data, but it is not hidden either.
            source.notices.append(
                (sheet_name, FILE_MESSAGES["sheet_skipped"].format(rows=HEADER_SEARCH_ROWS))
            )
    if not source.sheets:
        sheet_name = grids[0][0] if grids else ""
        raise IntakeFileError(
            name, FILE_MESSAGES["no_header"].format(rows=HEADER_SEARCH_ROWS), sheet_name
        )
    return source


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _refused(name: str, problem: str, exc: BaseException, sheet: str = "") -> IntakeFileError:
    """The Chinese refusal for ``problem`` (a FILE_MESSAGES key); the exception's own text goes to
    ``detail`` and the DEBUG log only."""
    detail = f"{type(exc).__name__}: {exc}"
    logger.debug("cannot read %s (%s): %s", name, problem, detail, exc_info=exc)
    return IntakeFileError(name, FILE_MESSAGES[problem], sheet, detail=detail)


def _read_problem(exc: OSError) -> str:
    """The FILE_MESSAGES key of a file that could not be read (os_problem, reading's words)."""
    problem = os_problem(exc)
    return problem if problem in FILE_MESSAGES else "os_error"


def _container_problem(data: bytes) -> str | None:
    """What is wrong with a would-be .xlsx, judged from its bytes before any parser sees it."""
    if data.startswith(_OLE_MAGIC):
        return "encrypted" if any(s in data for s in _ENCRYPTED_STREAMS) else "old_excel"
    if not data.startswith(_ZIP_MAGIC):
        head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
        # Systems that "export to Excel" often write an HTML table or SpreadsheetML 2003.
        return "markup" if head.startswith(b"<") else "not_zip"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        return "damaged_zip"
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        return "zip_not_xlsx"
    return None


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


def _csv_grid(name: str, data: bytes) -> list[tuple[int, list[object]]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Rows are numbered as a spreadsheet shows them: a cell with a line break in it is still
        # one row (csv's line_num would count physical lines).
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            return [(number, list(row)) for number, row in enumerate(reader, start=1)]
        except csv.Error as exc:
            raise _refused(name, "csv_malformed", exc) from exc
    raise IntakeFileError(name, FILE_MESSAGES["encoding"])


def _xlsx_grids(name: str, data: bytes) -> list[tuple[str, list[tuple[int, list[object]]]]]:
    # openpyxl is imported here so that CSV-only use does not pay for it.
    import openpyxl

    problem = _container_problem(data)
    if problem is not None:
        raise IntakeFileError(name, FILE_MESSAGES[problem])
    try:
        with warnings.catch_warnings():
            # openpyxl warns about data validation and header/footer extensions it ignores.
            warnings.simplefilter("ignore", UserWarning)
            formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt or hostile files
        raise _refused(name, _parse_problem(exc), exc) from exc
    grids = []
    title = ""
    try:
        for ws_f, ws_v in zip(formulas.worksheets, values.worksheets, strict=True):
            title = ws_f.title
            grid: list[tuple[int, list[object]]] = []
            # Read-only sheets yield every row from the first one on; a row of only empty
            # cells has no row number of its own, so numbers are counted and checked.
            number = (ws_f.min_row or 1) - 1
            for row_f, row_v in zip(ws_f.iter_rows(), ws_v.iter_rows(), strict=False):
                number += 1
                own = next((c.row for c in row_f if getattr(c, "row", None)), None)
                if own is not None:
                    number = own
                cells = [_cell_value(cf, cv) for cf, cv in zip(row_f, row_v, strict=False)]
                grid.append((number, cells))
            grids.append((ws_f.title, grid))
    except Exception as exc:  # read-only sheets are parsed lazily, row by row
        raise _refused(name, _parse_problem(exc), exc, sheet=title) from exc
    finally:
        formulas.close()
        values.close()
    return grids


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


def _two_row_header(upper: list[object], lower: list[object], contract: Contract) -> list[object]:
    """A header spread over two rows, as forms with grouped columns have it: "资金情况" merged
    over "总投资(万元)" and "本年度申请资金(万元)", while "项目编号" is merged down both rows
    (so the lower row is empty there). Each column takes the lower cell if it names a column,
    else the upper one."""
    width = max(len(upper), len(lower))
    upper = [*upper, *[None] * (width - len(upper))]
    lower = [*lower, *[None] * (width - len(lower))]
    return [b if contract.match_header(b) else a for a, b in zip(upper, lower, strict=True)]


def _locate_header(
    name: str, sheet: str, grid: list[tuple[int, list[object]]], contract: Contract
) -> RawSheet | None:
    """The header is the row (or pair of rows) among the first ones that names most columns;
    on a tie the single, earlier row wins."""
    best: tuple[int, int, list[object]] | None = None  # (hits, last header index, cells)
    top = grid[:HEADER_SEARCH_ROWS]
    for index, (_, cells) in enumerate(top):
        options = [(index, cells)]
        if index + 1 < len(top):
            options.append((index + 1, _two_row_header(cells, top[index + 1][1], contract)))
        for last, header in options:
            hits = len({contract.match_header(c) for c in header} - {None})
            if best is None or hits > best[0]:
                best = (hits, last, header)
    if best is None or best[0] < 2:
        return None
    _, last, header_cells = best
    headers = ["" if c is None else str(c) for c in header_cells]
    rows = list(grid[last + 1 :])
    return RawSheet(file=name, sheet=sheet, header_row=grid[last][0], headers=headers, rows=rows)
