"""The event table (``workbench db events FILE``): 项目编号, 事件, 日期, 金额(万元), 说明, 结论
(an evaluation's conclusion, for the events whose pack entry lists ``results``), and,
provisionally, 项目名称. Read as the July intake is read: the same readers (xlsx or csv, header
found among the first rows, title rows and two-row headers, the same limits), the same cell
parsers (a date as the forms accept one, an amount as 120、120.5万元、1.2亿元), and every row
accounted for: accepted, rejected with file, sheet, row, column and a Chinese reason, or blank.

The columns are those of the intake contract where it declares them (项目编号 and 项目名称 of
the submission form, 金额(万元) and 说明 of the commitments table), so that one header has one
spelling everywhere; 事件 takes the policy pack's event names (``lifecycle.events``), and whether
a row must, may or must not carry an amount is the pack's ``amount`` for that event.

Whether a row's project is in the register is judged by the store, inside its transaction
(:meth:`IntakeResult.reject` moves such rows to the rejections).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from workbench.intake.cells import CellError, clean_text, escape_controls, is_blank, parse_cell
from workbench.intake.columns import (
    EXAMPLE_ID,
    Column,
    Contract,
    load_contract,
    normalise_header,
)
from workbench.intake.limits import IntakeLimits, load_limits
from workbench.intake.readers import IntakeFileError, RawSheet, expand_inputs, read_source
from workbench.intake.validate import (
    NOTICE_COLUMNS,
    REJECTION_COLUMNS,
    SOURCE_COLUMNS,
    IntakeResult,
)
from workbench.labels import CELL_MESSAGES, DB_LABELS, FILE_MESSAGES, ROW_MESSAGES
from workbench.policy.pack import PolicyPack, RegisterEvent
from workbench.register.schema import AMOUNT_QUANTUM

TABLE = "events"
KEYS = ("project_id", "event", "date", "amount", "note", "result", "name")
ACCEPTED_COLUMNS = (*KEYS, "kind", *SOURCE_COLUMNS)


def _column(key: str, header: str, kind: str, *, required: str, allowed: tuple = ()) -> Column:
    """A column of the event table the intake contract does not declare."""
    return Column(
        key=key,
        header_zh=header,
        type=kind,
        unit="",
        required=required,
        allowed=allowed,
        default="",
        min=None,
        min_exclusive=False,
        max=None,
        description="",
    )


def event_columns(pack: PolicyPack) -> tuple[Column, ...]:
    """The event table's columns: the intake contract's where it declares them, the pack's event
    names as the allowed values of 事件."""
    candidates = load_contract("candidates")
    commitments = load_contract("commitments")
    names = tuple(e.name for e in pack.lifecycle.events)
    return (
        dataclasses.replace(candidates.column("project_id"), required="是"),
        _column("event", DB_LABELS["col_event"], "enum", required="是", allowed=names),
        _column("date", DB_LABELS["col_date"], "date", required="是"),
        # Required or not by event (the pack's `amount`), checked per row below.
        dataclasses.replace(commitments.column("amount"), required="条件"),
        dataclasses.replace(commitments.column("description"), key="note", required="否"),
        # Which conclusions an event takes is the pack's `results`, checked per row below.
        _column("result", DB_LABELS["col_result"], "text", required="否"),
        dataclasses.replace(candidates.column("name"), required="否"),
    )


@dataclass(frozen=True)
class EventTableContract(Contract):
    """The event table as an intake contract, for the readers' header search."""

    def match_header(self, header: object) -> str | None:
        norm = normalise_header(header)
        if not norm:
            return None
        return _header_index(self.columns).get(norm)


def _header_index(columns: tuple[Column, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for col in columns:
        for spelling in (col.key, col.header_zh):
            index[normalise_header(spelling)] = col.key
        # "金额(万元)" is also recognised as "金额" (the amount is in 万元 either way).
        index.setdefault(re.sub(r"\(.*?\)$", "", normalise_header(col.header_zh)), col.key)
    return index


def event_contract(pack: PolicyPack) -> EventTableContract:
    return EventTableContract(table=TABLE, columns=event_columns(pack))


def read_event_table(
    inputs: Iterable[str | Path], pack: PolicyPack, limits: IntakeLimits | None = None
) -> IntakeResult:
    """Read and check event tables. ``accepted`` has one row per event (``kind`` is the pack's
    key of 事件), with its source file, sheet and row. Files that cannot be read are rejections
    with an empty row; a missing path or unsupported type raises
    :class:`~workbench.intake.readers.IntakeFileError`."""
    limits = limits or load_limits()
    contract = event_contract(pack)
    by_name = pack.lifecycle.event_by_name()
    expanded = expand_inputs(inputs)
    sources = []
    rejections: list[dict[str, object]] = []
    notices: list[dict[str, str]] = [
        {"file": str(p), "sheet": "", "message": FILE_MESSAGES["ignored_file"]}
        for p in expanded.ignored
    ]
    rows_read: dict[tuple[str, str], int] = {}
    blank_rows: dict[tuple[str, str], int] = {}
    accepted: list[dict[str, object]] = []
    before = 0
    for path in expanded.files:
        try:
            source = read_source(path, contract, limits, rows_before=before)
        except IntakeFileError as exc:
            rejections.append(
                {
                    "file": exc.file,
                    "sheet": exc.sheet,
                    "row": None,
                    "column": "",
                    "reason": exc.reason,
                }
            )
            continue
        before += source.rows
        sources.append(source)
        notices += [{"file": source.path, "sheet": s, "message": m} for s, m in source.notices]
        for sheet in source.sheets:
            rows, problems, sheet_notices, blanks = _read_sheet(sheet, contract, by_name, limits)
            rows_read[(sheet.file, sheet.sheet)] = len(sheet.rows)
            blank_rows[(sheet.file, sheet.sheet)] = blanks
            notices += [
                {"file": sheet.file, "sheet": sheet.sheet, "message": m} for m in sheet_notices
            ]
            rejected_rows = set()
            for row, column, reason in problems:
                rejected_rows.add(row)
                rejections.append(
                    {
                        "file": sheet.file,
                        "sheet": sheet.sheet,
                        "row": row,
                        "column": column,
                        "reason": reason,
                    }
                )
            accepted += [r for r in rows if r["source_row"] not in rejected_rows]
    rejection_frame = pd.DataFrame(rejections, columns=list(REJECTION_COLUMNS))
    rejection_frame["row"] = rejection_frame["row"].astype("Int64")
    return IntakeResult(
        table=TABLE,
        accepted=pd.DataFrame(accepted, columns=list(ACCEPTED_COLUMNS), dtype=object),
        rejections=rejection_frame.sort_values(["file", "sheet", "row"], kind="stable").reset_index(
            drop=True
        ),
        notices=pd.DataFrame(notices, columns=list(NOTICE_COLUMNS)),
        sources=sources,
        rows_read=rows_read,
        blank_rows=blank_rows,
    )


Problem = tuple[int, str, str]  # (row as the user sees it, column header, reason)


def _read_sheet(
    sheet: RawSheet,
    contract: EventTableContract,
    by_name: dict[str, RegisterEvent],
    limits: IntakeLimits,
) -> tuple[list[dict[str, object]], list[Problem], list[str], int]:
    notices: list[str] = []
    positions: dict[str, int] = {}
    duplicated: set[str] = set()
    unknown: list[str] = []
    for j, header in enumerate(sheet.headers):
        key = contract.match_header(header)
        if key is None:
            if header.strip():
                unknown.append(escape_controls(header.strip()))
        elif key in positions:
            duplicated.add(key)
        else:
            positions[key] = j
    if unknown:
        notices.append(FILE_MESSAGES["unknown_columns"].format(columns="、".join(unknown)))
    for key in sorted(duplicated):
        notices.append(FILE_MESSAGES["duplicate_column"].format(header=contract.label(key)))
    id_at = positions.get("project_id", -1)

    def skipped(cells: list[object]) -> bool:
        if all(is_blank(c) for c in cells):
            return True
        return 0 <= id_at < len(cells) and clean_text(cells[id_at]) == EXAMPLE_ID

    data_rows = [(n, cells) for n, cells in sheet.rows if not skipped(cells)]
    blanks = len(sheet.rows) - len(data_rows)
    if blanks:
        notices.append(FILE_MESSAGES["blank_rows"].format(count=blanks))
    missing = [
        (col.header_zh, ROW_MESSAGES["missing_column"].format(header=col.header_zh))
        for col in contract.columns
        if col.is_required and col.key not in positions
    ]
    rows: list[dict[str, object]] = []
    problems: list[Problem] = []
    for number, cells in data_rows:
        record: dict[str, object] = {
            "source_file": sheet.file,
            "source_sheet": sheet.sheet,
            "source_row": number,
        }
        found: list[Problem] = []
        for col in contract.columns:
            at = positions.get(col.key)
            raw = cells[at] if at is not None and at < len(cells) else None
            try:
                value = parse_cell(raw, col, limits)
            except CellError as exc:
                found.append((number, col.header_zh, exc.reason))
                value = None
            else:
                if value is None and col.is_required and at is not None:
                    found.append((number, col.header_zh, CELL_MESSAGES["required"]))
            record[col.key] = value
        for key in sorted(duplicated):
            label = contract.label(key)
            found.append((number, label, FILE_MESSAGES["duplicate_column"].format(header=label)))
        found += [(number, header, reason) for header, reason in missing]
        found += _amount_problems(number, record, by_name, contract.label("amount"))
        event = by_name.get(str(record["event"])) if record["event"] else None
        record["kind"] = event.key if event else None
        record["result"], problem = _result(record["result"], event, by_name)
        if problem:
            found.append((number, contract.label("result"), problem))
        record["note"] = record["note"] or ""
        record["name"] = record["name"] or ""
        problems += found
        rows.append(record)
    return rows, problems, notices, blanks


def _result(
    value: object, event: RegisterEvent | None, by_name: dict[str, RegisterEvent]
) -> tuple[str, str]:
    """The conclusion as recorded (the pack's spelling → its conclusion) and the problem, if
    any: a conclusion the event does not take, or one it does not know."""
    text = str(value or "").strip()
    if not text or event is None:
        return text, ""
    if not event.results:
        takes = "、".join(e.name for e in by_name.values() if e.results)
        return text, DB_LABELS["result_not_taken"].format(
            event=event.name, value=text, events=takes
        )
    if text not in event.results:
        allowed = "、".join(dict.fromkeys(event.results))
        return text, DB_LABELS["result_unknown"].format(
            event=event.name, allowed=allowed, value=text
        )
    return event.results[text], ""


def _amount_problems(
    number: int, record: dict[str, object], by_name: dict[str, RegisterEvent], label: str
) -> list[Problem]:
    """The pack's rule for the event's amount (required / optional / none), and exactness."""
    amount = record["amount"]
    event = by_name.get(str(record["event"])) if record["event"] else None
    if amount is not None and Decimal(amount).quantize(AMOUNT_QUANTUM) != amount:
        return [(number, label, DB_LABELS["amount_places"].format(amount=amount))]
    if event is None:
        return []
    if event.amount == "required" and amount is None:
        return [(number, label, DB_LABELS["amount_required"].format(event=event.name))]
    if event.amount == "none" and amount is not None:
        return [
            (
                number,
                label,
                DB_LABELS["amount_forbidden"].format(event=event.name, amount=f"{amount:f}"),
            )
        ]
    return []


__all__ = ["EventTableContract", "event_columns", "event_contract", "read_event_table"]
