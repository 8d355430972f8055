"""``workbench db export OUT.xlsx``: the 项目库 as a workbook, one sheet per table (issue #13).

The first sheet, 说明, names the database (without its password), the moment of the export, the
workbench's version, the schema version and every sheet's rows; then one sheet per table of
:data:`workbench.register.schema.metadata`, with Chinese names and headers from
:data:`~workbench.labels.DB_EXPORT_LABELS` (a table or column not named there keeps its own
name, so a table a later migration adds is exported as it is, after the named ones). A table
the code knows but the database does not hold is left out and named on 说明.

Nothing is lost, so that the workbook can be archived beside the database:

- amounts (万元, exact to the 分) are numbers when Excel holds them exactly, i.e. with at most
  15 significant digits (Excel keeps 15; every amount below 10⁹ 万元 has at most 15), shown with
  two to six decimals as the plan workbook shows exact amounts; a longer one is written as its
  exact decimal text rather than rounded;
- dates are dates; moments are ISO 8601 text in UTC with a closing ``Z`` (headers say UTC):
  an Excel date-time has no time zone and rounds microseconds;
- JSON columns (a submission's row, the check's derivations, a finding's evidence, an
  adoption's provenance) are compact JSON text, Chinese as it is;
- an event's ``kind`` stays the pack's key, with the event's Chinese name beside it; a
  project's internal number stays, with its 项目编号 beside it;
- text is always text: one that begins with = + - @ (or a tab / CR) is marked with Excel's quote
  prefix (as :mod:`workbench.report.workbook` does), never evaluated and kept as typed.
  Control characters a worksheet cannot hold are written as ``\\xNN``.

Rows are streamed (``stream_results`` and ``yield_per``) into openpyxl's write-only workbook,
so a register of 400 000 events is never in memory at once; every table is read in one
transaction (REPEATABLE READ on PostgreSQL; one read transaction on SQLite, whose write-ahead
log keeps its snapshot), so the sheets agree with each other. The workbook is written to a
temporary file beside OUT and renamed onto it at the end: an interrupted export leaves no
half-written workbook, and an earlier OUT stays as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.engine import URL, Connection

import workbench
from workbench.labels import DB_EXPORT_LABELS, DB_LABELS
from workbench.money import EXACT_MONEY_FORMAT
from workbench.oserrors import os_reason
from workbench.policy.pack import PolicyPack
from workbench.register.db import RegisterError, current_revision, translated_errors
from workbench.register.schema import RENAMED, ExactAmount, UTCDateTime, metadata, projects
from workbench.register.store import Register
from workbench.report.safe import FORMULA_STARTS

L = DB_EXPORT_LABELS
YIELD_PER = 2_000  # rows fetched at a time
EXCEL_DIGITS = 15  # significant digits an Excel number keeps
SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HEADER_FONT = Font(bold=True)
MIN_WIDTH, MAX_WIDTH, JSON_WIDTH = 10, 30, 60

Row = Sequence[Any]
CellValue = Callable[[Row], object]


@dataclass(frozen=True)
class SheetCount:
    table: str
    sheet: str
    rows: int


@dataclass(frozen=True)
class ExportResult:
    """What ``db export`` wrote: the database (without password), the workbook, and each
    table's sheet with its rows; ``missing`` are tables the database does not hold yet."""

    database: str
    path: str
    revision: str
    exported_at: dt.datetime
    sheets: tuple[SheetCount, ...]
    missing: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "path": self.path,
            "sheets": [{"table": s.table, "sheet": s.sheet, "rows": s.rows} for s in self.sheets],
        }


def export_register(
    db: str | URL | None, out: str | Path, *, pack: PolicyPack | None = None
) -> ExportResult:
    """Write the register ``db`` names (as ``--db`` takes it) to the workbook ``out``. Raises
    :class:`RegisterError` for an ``out`` that is not an ``.xlsx`` in an existing folder, a
    register that cannot be opened, or a workbook that cannot be written."""
    out = Path(os.path.abspath(Path(out).expanduser()))
    _check_out(out)
    with Register.open(db, pack) as register, translated_errors(register.url):
        names = {e.key: e.name for e in register.pack.lifecycle.events}
        names.setdefault(RENAMED, DB_LABELS["kind_renamed"])
        with register.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            connection.execution_options(stream_results=True, yield_per=YIELD_PER)
            return _write(connection, register.where, out, names)


def export_text(result: ExportResult) -> str:
    lines = [L["exported"].format(where=result.database, path=result.path)]
    lines += [L["exported_sheet"].format(sheet=s.sheet, rows=s.rows) for s in result.sheets]
    return "\n".join(lines)


def _check_out(out: Path) -> None:
    if out.suffix.lower() != ".xlsx":
        raise RegisterError(L["bad_suffix"].format(path=out))
    if out.is_dir():
        raise RegisterError(L["is_folder"].format(path=out))
    if not out.parent.is_dir():
        raise RegisterError(L["no_folder"].format(folder=out.parent))


def _write(connection: Connection, where: str, out: Path, names: dict[str, str]) -> ExportResult:
    exported_at = dt.datetime.now(dt.UTC)
    revision = current_revision(connection) or ""
    present = set(sa.inspect(connection).get_table_names())
    keys: dict[int, str] = {}
    if projects.name in present:
        found = connection.execute(sa.select(projects.c.id, projects.c.project_key))
        keys = {pid: key for pid, key in found}

    wb = Workbook(write_only=True)
    try:
        about = wb.create_sheet(L["sheet.about"])  # first, filled in last (with the counts)
        used = {about.title.casefold()}
        sheets: list[SheetCount] = []
        missing: list[str] = []
        for table in _in_order(metadata.sorted_tables):
            if table.name not in present:
                missing.append(table.name)
                continue
            stored = {c["name"] for c in sa.inspect(connection).get_columns(table.name)}
            columns = [c for c in table.columns if c.name in stored]
            ws = wb.create_sheet(_sheet_name(table.name, used))
            used.add(ws.title.casefold())
            rows = _write_table(ws, connection, table, columns, names, keys)
            sheets.append(SheetCount(table.name, ws.title, rows))

        result = ExportResult(
            database=where,
            path=str(out),
            revision=revision,
            exported_at=exported_at,
            sheets=tuple(sheets),
            missing=tuple(missing),
        )
        _write_about(about, result)
        _save_atomically(wb, out)
    except BaseException:
        _discard(wb)
        raise
    return result


def _discard(wb: Workbook) -> None:
    """Close an unsaved write-only workbook's sheets in order and remove their temporary files
    (rows are streamed to one per sheet): else they are closed in any order when collected."""
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):
            ws.close()
        with contextlib.suppress(Exception):
            ws._writer.cleanup()


def _in_order(tables: list[sa.Table]) -> list[sa.Table]:
    """The tables named in the labels in their order (projects first), then any other in the
    metadata's order (a table a later migration adds, its sheet under the table's name)."""
    named = [key.removeprefix("sheet.") for key in L if key.startswith("sheet.")]
    rank = {name: i for i, name in enumerate(named)}
    return sorted(tables, key=lambda t: rank.get(t.name, len(rank)))  # stable


def _sheet_name(table: str, used: set[str]) -> str:
    name = _SHEET_NAME_FORBIDDEN.sub("_", L.get(f"sheet.{table}", table))[:SHEET_NAME_MAX]
    candidate, n = name, 1
    while candidate.casefold() in used:  # Excel compares sheet names without case
        n += 1
        candidate = f"{name[: SHEET_NAME_MAX - len(str(n)) - 1]}_{n}"
    return candidate


def _header(table: sa.Table, column: sa.Column) -> str:
    header = L.get(f"column.{table.name}.{column.name}") or L.get(f"column.{column.name}")
    header = header or column.name
    if isinstance(column.type, ExactAmount):
        return L["unit.amount"].format(header=header)
    if isinstance(column.type, UTCDateTime):
        return L["unit.utc"].format(header=header)
    if isinstance(column.type, sa.JSON):
        return L["unit.json"].format(header=header)
    return header


def _write_table(
    ws: Any,
    connection: Connection,
    table: sa.Table,
    columns: list[sa.Column],
    names: dict[str, str],
    keys: dict[int, str],
) -> int:
    """One table's rows under their headers; returns the number of rows."""
    headers: list[str] = []
    cells: list[CellValue] = []
    for i, column in enumerate(columns):
        headers.append(_header(table, column))
        is_json = isinstance(column.type, sa.JSON)
        cells.append(_json_cell(ws, i) if is_json else _cell(ws, i))
        _width(ws, len(headers), JSON_WIDTH if is_json else _fit(headers[-1]))
        # Beside a stored code, what it means; the code stays (nothing is lost).
        if table.name == "events" and column.name == "kind":
            headers.append(L["added.event_name"])
            cells.append(lambda row, i=i: _text(ws, names.get(row[i], "")))
        elif column.references(projects.c.id) and table is not projects:
            headers.append(L["added.project_key"])
            cells.append(lambda row, i=i: _text(ws, keys.get(row[i], "")))
        else:
            continue
        _width(ws, len(headers), _fit(headers[-1]))
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, h) for h in headers])

    order = [c for c in table.primary_key.columns if c in columns] or columns[:1]
    count = 0
    for row in connection.execute(sa.select(*columns).order_by(*order)):
        ws.append([cell(row) for cell in cells])
        count += 1
    return count


def _fit(header: str) -> int:
    return min(max(2 * len(header) + 2, MIN_WIDTH), MAX_WIDTH)  # a CJK character is two wide


def _width(ws: Any, column: int, width: int) -> None:
    ws.column_dimensions[get_column_letter(column)].width = width


def _header_cell(ws: Any, header: str) -> WriteOnlyCell:
    cell = _text_cell(ws, header)
    cell.font = HEADER_FONT
    return cell


def _cell(ws: Any, i: int) -> CellValue:
    return lambda row: _value(ws, row[i])


def _json_cell(ws: Any, i: int) -> CellValue:
    def cell(row: Row) -> object:
        value = row[i]
        if value is None:
            return None
        return _text(ws, json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    return cell


def _value(ws: Any, value: object) -> object:
    """A stored value as a cell (see the module's docstring)."""
    if isinstance(value, str):
        return _text(ws, value)
    if isinstance(value, Decimal):
        return _amount(ws, value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dict | list):
        return _text(ws, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return value  # None, a number, a date


def _amount(ws: Any, value: Decimal) -> WriteOnlyCell:
    """A number when Excel holds it exactly (at most 15 significant digits: a float of them
    reads back as the same decimal), else the exact decimal text."""
    if value.is_finite() and len(value.normalize().as_tuple().digits) <= EXCEL_DIGITS:
        cell = WriteOnlyCell(ws, value=float(value))
        cell.number_format = EXACT_MONEY_FORMAT
        return cell
    return _text(ws, format(value, "f"))


def _text(ws: Any, value: str) -> WriteOnlyCell | str | None:
    """Text that stays text (as ``workbench.report.workbook`` writes it): a cell beginning
    with = + - @ gets the quote prefix; characters a worksheet cannot hold become ``\\xNN``."""
    if not value:
        return None  # an empty cell: a worksheet reads an empty text as one anyway
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return _text_cell(ws, value) if value.startswith(FORMULA_STARTS) else value


def _text_cell(ws: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # openpyxl would take a text beginning with = for a formula
    cell.quotePrefix = value.startswith(FORMULA_STARTS)
    return cell


def _write_about(ws: Any, result: ExportResult) -> None:
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 12
    moment = result.exported_at.isoformat(timespec="seconds").replace("+00:00", "Z")
    for label, value in (
        ("about_database", result.database),
        ("about_exported_at", moment),
        ("about_version", workbench.__version__),
        ("about_revision", result.revision),
    ):
        ws.append([_header_cell(ws, L[label]), _text(ws, value)])
    ws.append([])
    ws.append([_header_cell(ws, L[k]) for k in ("about_sheets", "about_table", "about_rows")])
    for s in result.sheets:
        ws.append([_text(ws, s.sheet), _text(ws, s.table), s.rows])
    ws.append([])
    if result.missing:
        ws.append([_text(ws, L["about_missing"].format(tables="、".join(result.missing)))])
    for key in ("about_amounts", "about_moments", "about_codes"):
        ws.append([_text(ws, L[key])])


def _save_atomically(wb: Workbook, out: Path) -> None:
    """Save to a temporary file beside ``out``, on disk before it is renamed onto ``out``."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        wb.save(tmp)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RegisterError(
            L["cannot_write"].format(path=out, reason=os_reason(exc)), str(exc)
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


__all__ = ["ExportResult", "SheetCount", "export_register", "export_text"]
