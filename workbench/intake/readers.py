"""Reading submission files into raw sheets, with every row's location kept.

A submission is an ``.xlsx`` workbook (one per unit, or one consolidated sheet, possibly with a
title row merged above the header) or a ``.csv`` file in UTF-8, UTF-8 with BOM or GB18030 (what
Chinese Excel writes). A folder is read file by file in name order. The header row is the row,
among the first few, that matches most known column names (Chinese or English).

Workbooks are parsed by openpyxl, which uses defusedxml when it is installed (it is a
dependency), so entity-expansion ("billion laughs") workbooks are refused; files above
:data:`MAX_FILE_BYTES` are refused before they are opened.

What one file may hold is bounded by the intake limits (``models/settings.yaml``, see
:mod:`workbench.intake.limits`), so that a runaway or hostile file is refused in seconds and in
bounded memory rather than read at any cost. Rows are counted as they are read, per file and
against what the files read before left of the total, and the read stops at the first row
beyond (:class:`RowCounter`); a row reaching beyond the column limit stops it too (empty cells
beyond it are dropped). A CSV is decoded and parsed as a stream, line by line, no line longer
than the longest row the limits allow; a workbook is judged from its zip directory first and
then streamed (:mod:`workbench.intake.workbook`). Cell length and control characters are judged
per cell by the parsers (:func:`workbench.intake.cells.parse_cell`), so that the row is rejected
with its place.

A file that cannot be read is refused with a Chinese reason that says what is wrong in the user's
terms (empty, encrypted, an old .xls renamed, incomplete, damaged inside, …), found by looking at
the bytes first and at the library's exception only when that is not enough. The library's own
(English) text never reaches the user: it is kept in :attr:`IntakeFileError.detail` and logged at
DEBUG with its traceback.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.intake.columns import Contract
from workbench.labels import CLI_LABELS, FILE_MESSAGES, TEMPLATE_LABELS
from workbench.oserrors import os_problem

if TYPE_CHECKING:
    from workbench.intake.limits import IntakeLimits

MIB = 1024 * 1024
MAX_FILE_BYTES = 50 * MIB
HEADER_SEARCH_ROWS = 15
SUFFIXES_XLSX = (".xlsx", ".xlsm")
SUFFIXES = (*SUFFIXES_XLSX, ".csv")
# Spreadsheets in formats that are not read (old Excel, WPS, OpenDocument): in a folder they are
# reported as unreadable files, so that a form saved as .xls is never silently left out.
UNREAD_SPREADSHEETS = (".xls", ".et", ".ods", ".numbers")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")

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
    rows: int = 0  # every row read, in every sheet (title, header and blank rows included)


class RowCounter:
    """The rows of one file, counted as they are read: the read stops at the first row beyond
    the per-file limit, or beyond what the files read before left of the total."""

    def __init__(self, name: str, limits: IntakeLimits, rows_before: int) -> None:
        self.name = name
        self.limits = limits
        self.rows_before = rows_before
        self.count = 0

    def add(self, row: int, sheet: str = "") -> None:
        self.count += 1
        limits = self.limits
        if self.count > limits.rows_per_file:
            reason = FILE_MESSAGES["too_many_rows"].format(
                limit=counted(limits.rows_per_file), row=counted(row)
            )
            raise IntakeFileError(self.name, reason, sheet)
        if self.rows_before + self.count > limits.rows_total:
            reason = FILE_MESSAGES["too_many_rows_total"].format(
                limit=counted(limits.rows_total),
                before=counted(self.rows_before),
                row=counted(row),
            )
            raise IntakeFileError(self.name, reason, sheet)

    def fit(self, cells: list[object], row: int, sheet: str = "") -> list[object]:
        """``cells`` within the column limit: empty cells beyond it are dropped, a value beyond
        it stops the read (it would be dropped silently otherwise)."""
        width = self.limits.columns_per_row
        if len(cells) <= width:
            return cells
        for j in range(len(cells) - 1, width - 1, -1):
            if not empty_cell(cells[j]):
                from openpyxl.utils import get_column_letter

                reason = FILE_MESSAGES["too_many_columns"].format(
                    row=counted(row), column=get_column_letter(j + 1), limit=counted(width)
                )
                raise IntakeFileError(self.name, reason, sheet)
        del cells[width:]
        return cells


def empty_cell(value: object) -> bool:
    """Nothing in the cell (or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def counted(number: int) -> str:
    return f"{number:,}"


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


def read_source(
    path: Path, contract: Contract, limits: IntakeLimits | None = None, rows_before: int = 0
) -> SourceFile:
    """Read one file's sheets. Raises :class:`IntakeFileError` when the file cannot be read, or
    holds more than ``limits`` allow (by default the settings'; ``rows_before`` is what the files
    read before it took of the total)."""
    if limits is None:
        from workbench.intake.limits import load_limits  # it imports this module

        limits = load_limits()
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
                name,
                FILE_MESSAGES["too_large"].format(
                    size=megabytes(size), limit=megabytes(MAX_FILE_BYTES)
                ),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise refused(name, _read_problem(exc), exc) from exc
    if not data:
        raise IntakeFileError(name, FILE_MESSAGES["empty_file"])
    source = SourceFile(path=name, sha256=hashlib.sha256(data).hexdigest(), size=size)
    counter = RowCounter(name, limits, rows_before)
    if suffix == ".csv":
        grids = [("", _csv_grid(name, data, counter))]
    else:
        # Imported here: it imports openpyxl, which CSV-only use does not need.
        from workbench.intake.workbook import xlsx_grids

        grids = xlsx_grids(name, data, counter)
    source.rows = counter.count
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


def megabytes(size: int) -> str:
    return f"{size / MIB:.1f} MB"


def refused(name: str, problem: str, exc: BaseException, sheet: str = "") -> IntakeFileError:
    """The Chinese refusal for ``problem`` (a FILE_MESSAGES key); the exception's own text goes to
    ``detail`` and the DEBUG log only."""
    detail = f"{type(exc).__name__}: {exc}"
    logger.debug("cannot read %s (%s): %s", name, problem, detail, exc_info=exc)
    return IntakeFileError(name, FILE_MESSAGES[problem], sheet, detail=detail)


def _read_problem(exc: OSError) -> str:
    """The FILE_MESSAGES key of a file that could not be read (os_problem, reading's words)."""
    problem = os_problem(exc)
    return problem if problem in FILE_MESSAGES else "os_error"


def _csv_grid(name: str, data: bytes, counter: RowCounter) -> list[tuple[int, list[object]]]:
    for encoding in CSV_ENCODINGS:
        counter.count = 0
        try:
            return _csv_rows(name, data, encoding, counter)
        except UnicodeDecodeError:
            mixed = _mixed_encoding(data) if encoding == CSV_ENCODINGS[0] else None
            if mixed is not None:
                reason = FILE_MESSAGES["mixed_encoding"].format(
                    lines=counted(_line_count(data)), good=counted(mixed - 1), line=counted(mixed)
                )
                raise IntakeFileError(name, reason) from None
    reason = FILE_MESSAGES["encoding"].format(lines=counted(_line_count(data)))
    raise IntakeFileError(name, reason)


def _csv_rows(
    name: str, data: bytes, encoding: str, counter: RowCounter
) -> list[tuple[int, list[object]]]:
    """The records of ``data`` decoded as ``encoding``, read as a stream: the text is never held
    whole, and the read stops at the first row or line beyond the limits. Raises
    UnicodeDecodeError when the bytes are not in ``encoding``."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    # Rows are numbered as a spreadsheet shows them: a cell with a line break in it is still
    # one row (csv's line_num would count physical lines).
    reader = csv.reader(_bounded_lines(name, stream, counter.limits))
    grid: list[tuple[int, list[object]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            counter.add(number)
            grid.append((number, counter.fit(list(row), number)))
    except csv.Error as exc:
        raise refused(name, "csv_malformed", exc) from exc
    return grid


def _bounded_lines(name: str, lines: Iterable[str], limits: IntakeLimits) -> Iterator[str]:
    """The physical lines of a CSV, each at most as long as a row within the limits can be (so
    that a line of millions of commas never becomes a list of millions of cells)."""
    longest = limits.line_chars
    for number, line in enumerate(lines, start=1):
        if len(line) > longest:
            reason = FILE_MESSAGES["line_too_long"].format(
                line=counted(number), length=counted(len(line)), limit=counted(longest)
            )
            raise IntakeFileError(name, reason)
        yield line


def _line_count(data: bytes) -> int:
    """Physical lines, as a text editor counts them (a last line without a line break counts)."""
    breaks = data.count(b"\n") or data.count(b"\r")
    return breaks + (0 if data.endswith((b"\n", b"\r")) else 1)


def _mixed_encoding(data: bytes) -> int | None:
    """The line where a file that is UTF-8 so far stops being UTF-8, when at least one earlier
    line holds Chinese (or other non-ASCII) text that decoded as UTF-8: such a file joins two
    encodings, and no single decoding reads every line right (GB18030 would turn the UTF-8
    lines into other characters without an error). None otherwise."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        last_break = head.rfind(b"\n")
        complete = head[: last_break + 1].removeprefix(codecs.BOM_UTF8)
        if not complete.isascii():
            return head.count(b"\n") + 1
    return None


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
