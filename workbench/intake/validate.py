"""From raw sheets to a validated table, with every row accounted for.

Each row read ends up in exactly one of three places: the accepted table, the rejection report
(file, sheet, row, column and a Chinese reason; a row may have several reasons), or the count of
blank rows. :meth:`IntakeResult.reconciliation` shows that the counts add up, file by file.

Validation has two stages. Cells are first parsed one column at a time (each distinct value once)
by the parsers of :mod:`workbench.intake.cells`. The typed table is then checked against a pandera
schema derived from the contract: bounds per column and the cross-column rules of the form
(request ≤ total, district required unless 市本级, …). Failures of both stages become rejections.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from workbench.intake.cells import CellError, clean_text, escape_controls, is_blank, parse_cell
from workbench.intake.checks import Problem, schema_problems
from workbench.intake.columns import EXAMPLE_ID, Column, Contract, load_contract
from workbench.intake.limits import IntakeLimits, load_limits
from workbench.intake.readers import (
    IntakeFileError,
    RawSheet,
    SourceFile,
    expand_inputs,
    read_source,
)
from workbench.labels import (
    CELL_MESSAGES,
    CLI_LABELS,
    FILE_MESSAGES,
    ROW_MESSAGES,
)

SOURCE_COLUMNS = ("source_file", "source_sheet", "source_row")
REJECTION_COLUMNS = ("file", "sheet", "row", "column", "reason")
NOTICE_COLUMNS = ("file", "sheet", "message")
DUPLICATE_KEYS = {
    "candidates": ["project_id"],
    "systems": ["system_id"],
    "usage": ["system_id", "month"],
    "commitments": ["commitment_id"],
    "scores": ["project_id"],
}
ID_KEYS = {table: keys[0] for table, keys in DUPLICATE_KEYS.items() if len(keys) == 1}


@dataclass
class IntakeResult:
    """What one intake produced. ``accepted`` has one column per contract key (typed), plus the
    source columns; ``rejections`` one line per problem found."""

    table: str
    accepted: pd.DataFrame
    rejections: pd.DataFrame
    notices: pd.DataFrame
    sources: list[SourceFile]
    rows_read: dict[tuple[str, str], int] = field(default_factory=dict)
    blank_rows: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def rejected_row_count(self) -> int:
        located = self.rejections.dropna(subset=["row"])
        return len(located.drop_duplicates(["file", "sheet", "row"]))

    def reconciliation(self) -> pd.DataFrame:
        """Per file and sheet: rows read = accepted + rejected + blank."""
        records = []
        for (file, sheet), read in self.rows_read.items():
            acc = self.accepted[
                (self.accepted.source_file == file) & (self.accepted.source_sheet == sheet)
            ]
            rej = self.rejections[(self.rejections.file == file) & (self.rejections.sheet == sheet)]
            rej = rej.dropna(subset=["row"]).drop_duplicates(["row"])
            records.append(
                {
                    "file": file,
                    "sheet": sheet,
                    "read": read,
                    "accepted": len(acc),
                    "rejected": len(rej),
                    "blank": self.blank_rows.get((file, sheet), 0),
                }
            )
        return pd.DataFrame(
            records, columns=["file", "sheet", "read", "accepted", "rejected", "blank"]
        )

    def totals(self) -> dict[str, int]:
        rec = self.reconciliation()
        return {k: int(rec[k].sum()) for k in ("read", "accepted", "rejected", "blank")}

    def provenance(self) -> list[dict[str, object]]:
        return [{"file": s.path, "sha256": s.sha256, "bytes": s.size} for s in self.sources]

    def reject(self, rows: pd.Series, column: str, reasons: Iterable[str]) -> None:
        """Move accepted ``rows`` (a mask over ``accepted``) to the rejections, one reason
        each, for checks that need another table (an unknown system, an unknown project)."""
        if not rows.any():
            return
        accepted = self.accepted
        moved = pd.DataFrame(
            {
                "file": accepted.loc[rows, "source_file"],
                "sheet": accepted.loc[rows, "source_sheet"],
                "row": accepted.loc[rows, "source_row"].astype("Int64"),
                "column": column,
                "reason": list(reasons),
            },
            columns=list(REJECTION_COLUMNS),
        )
        self.rejections = (
            pd.concat([self.rejections, moved], ignore_index=True)
            .sort_values(["file", "sheet", "row"], kind="stable")
            .reset_index(drop=True)
        )
        self.accepted = accepted[~rows].reset_index(drop=True)


def read_table(
    inputs: Iterable[str | Path], table: str = "candidates", limits: IntakeLimits | None = None
) -> IntakeResult:
    """Read and validate submissions for one contract table.

    Files that cannot be read at all (corrupt, no header, wrong encoding, beyond the intake
    ``limits``, by default those of ``models/settings.yaml``) appear in the rejection report with
    an empty row; missing paths and unsupported types raise
    :class:`~workbench.intake.readers.IntakeFileError` (a usage error), as does a broken
    settings file.
    """
    limits = limits or load_limits()
    contract = load_contract(table)
    sources: list[SourceFile] = []
    file_rejections: list[dict[str, object]] = []
    expanded = expand_inputs(inputs)
    rows_read = 0  # of the files kept so far: a refused file's rows are not held
    for path in expanded.files:
        try:
            source = read_source(path, contract, limits, rows_before=rows_read)
            sources.append(source)
            rows_read += source.rows
        except IntakeFileError as exc:
            file_rejections.append(
                {
                    "file": exc.file,
                    "sheet": exc.sheet,
                    "row": None,
                    "column": "",
                    "reason": exc.reason,
                }
            )
    result = validate_sources(sources, contract, file_rejections, limits)
    ignored = pd.DataFrame(
        [
            {"file": str(p), "sheet": "", "message": FILE_MESSAGES["ignored_file"]}
            for p in expanded.ignored
        ],
        columns=list(NOTICE_COLUMNS),
    )
    if not ignored.empty:
        result.notices = pd.concat([result.notices, ignored], ignore_index=True)
    return result


def validate_sources(
    sources: list[SourceFile],
    contract: Contract,
    file_rejections: list[dict[str, object]] | None = None,
    limits: IntakeLimits | None = None,
) -> IntakeResult:
    limits = limits or load_limits()
    frames: list[pd.DataFrame] = []
    rejections: list[dict[str, object]] = list(file_rejections or [])
    notices: list[dict[str, str]] = []
    rows_read: dict[tuple[str, str], int] = {}
    blank_rows: dict[tuple[str, str], int] = {}
    for source in sources:
        notices.extend({"file": source.path, "sheet": s, "message": m} for s, m in source.notices)
        for sheet in source.sheets:
            typed, problems, sheet_notices, blanks = _validate_sheet(sheet, contract, limits)
            rows_read[(sheet.file, sheet.sheet)] = len(sheet.rows)
            blank_rows[(sheet.file, sheet.sheet)] = blanks
            notices.extend(
                {"file": sheet.file, "sheet": sheet.sheet, "message": m} for m in sheet_notices
            )
            frames.append(typed)
            rejections.extend(
                {
                    "file": sheet.file,
                    "sheet": sheet.sheet,
                    "row": int(typed.at[p.row_index, "source_row"]),
                    "column": p.column,
                    "reason": p.reason,
                }
                for p in problems
            )
    keys = [*contract.keys, *SOURCE_COLUMNS]
    typed_all = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=keys)
    rejections.extend(_duplicates(typed_all, contract))
    rejection_frame = pd.DataFrame(rejections, columns=list(REJECTION_COLUMNS))
    rejection_frame["row"] = rejection_frame["row"].astype("Int64")
    rejected_at = set(
        zip(rejection_frame["file"], rejection_frame["sheet"], rejection_frame["row"], strict=True)
    )
    location = list(
        zip(
            typed_all["source_file"],
            typed_all["source_sheet"],
            typed_all["source_row"],
            strict=True,
        )
    )
    keep = [loc not in rejected_at for loc in location]
    accepted = typed_all.loc[keep].reset_index(drop=True)
    return IntakeResult(
        table=contract.table,
        accepted=accepted,
        rejections=rejection_frame.sort_values(["file", "sheet", "row"], kind="stable").reset_index(
            drop=True
        ),
        notices=pd.DataFrame(notices, columns=list(NOTICE_COLUMNS)),
        sources=sources,
        rows_read=rows_read,
        blank_rows=blank_rows,
    )


def _validate_sheet(
    sheet: RawSheet, contract: Contract, limits: IntakeLimits
) -> tuple[pd.DataFrame, list[Problem], list[str], int]:
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

    id_position = positions.get(ID_KEYS.get(contract.table, ""), -1)

    def skipped(cells: list[object]) -> bool:
        if all(is_blank(c) for c in cells):
            return True
        return 0 <= id_position < len(cells) and clean_text(cells[id_position]) == EXAMPLE_ID

    data_rows = [(n, cells) for n, cells in sheet.rows if not skipped(cells)]
    blanks = len(sheet.rows) - len(data_rows)
    if blanks:
        notices.append(FILE_MESSAGES["blank_rows"].format(count=blanks))
    # Rows to columns in one pass (C-level); a row shorter than the widest has None beyond it.
    by_position = list(itertools.zip_longest(*(cells for _, cells in data_rows)))
    unread = _headerless_columns_with_values(sheet.headers, by_position)
    if unread:
        notices.append(FILE_MESSAGES["headerless_values"].format(columns="、".join(unread)))

    columns = [*contract.columns]
    columns += [contract.column(k) for k in positions if k not in contract.keys]
    missing = [None] * len(data_rows)
    raw = {
        col.key: list(by_position[positions[col.key]])
        if positions.get(col.key, len(by_position)) < len(by_position)
        else missing
        for col in columns
    }
    problems: list[Problem] = []
    typed: dict[str, list[object]] = {}
    for col in columns:
        values, col_problems = _parse_column(
            raw[col.key], col, present=col.key in positions, limits=limits
        )
        typed[col.key] = values
        problems.extend(col_problems)
        if col.type == "percent" and col.key in positions:
            largest = _fractions_only(raw[col.key], values)
            if largest is not None:
                notices.append(
                    FILE_MESSAGES["percent_fractions"].format(
                        column=col.header_zh, largest=_plain(largest)
                    )
                )
    frame = pd.DataFrame(typed, index=range(len(data_rows)))
    for col in columns:
        frame[col.key] = frame[col.key].astype(_DTYPES.get(col.type, object))
    frame["source_file"] = sheet.file
    frame["source_sheet"] = sheet.sheet
    frame["source_row"] = [n for n, _ in data_rows]

    for key in sorted(duplicated):
        notices.append(FILE_MESSAGES["duplicate_column"].format(header=contract.label(key)))
        problems.extend(
            Problem(
                i,
                contract.label(key),
                FILE_MESSAGES["duplicate_column"].format(header=contract.label(key)),
            )
            for i in frame.index
        )
    for key in contract.required_keys:
        if key not in positions:
            label = contract.label(key)
            problems.extend(
                Problem(i, label, ROW_MESSAGES["missing_column"].format(header=label))
                for i in frame.index
            )
    problems.extend(schema_problems(frame, contract, columns))
    return frame, problems, notices, blanks


_DTYPES = {"integer": "Int64", "bool": "boolean"}


def _fractions_only(raw: list[object], parsed: list[object]) -> Decimal | None:
    """The largest value of a percent column whose every number is at most 1 (and one is above
    0): 0.85, 0.9, … look like fractions typed for 85 %, 90 %. Such a column is reported, never
    rescaled: 1 may well mean 1 %. A value written with a percent sign (typed, or an Excel cell
    formatted as a percentage, which the reader turns into "85%") shows the writer meant points,
    and clears the column."""
    numbers: list[Decimal] = []
    for cell, value in zip(raw, parsed, strict=True):
        if value is None or is_blank(cell):
            continue
        if isinstance(cell, str) and clean_text(cell).endswith("%"):
            return None
        numbers.append(value)
    if numbers and max(numbers) <= 1 and max(numbers) > 0:
        return max(numbers)
    return None


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _headerless_columns_with_values(
    headers: list[str], by_position: list[tuple[object, ...]]
) -> list[str]:
    """Column letters (as a spreadsheet shows them) of cells that hold a value under no header."""
    return [
        get_column_letter(j + 1)
        for j, cells in enumerate(by_position)
        if (j >= len(headers) or not headers[j].strip())
        and not all(is_blank(cell) for cell in cells)
    ]


def _parse_column(
    values: list[object], column: Column, present: bool, limits: IntakeLimits
) -> tuple[list[object], list[Problem]]:
    problems: list[Problem] = []
    parsed: list[object] = []
    cache: dict[tuple[type, object], tuple[object, str | None]] = {}
    for i, value in enumerate(values):
        try:
            token = (type(value), value)
            hash(token)
        except TypeError:
            token = None
        hit = cache.get(token) if token is not None else None
        if hit is None:
            try:
                hit = (parse_cell(value, column, limits), None)
            except CellError as exc:
                hit = (None, exc.reason)
            if token is not None:
                cache[token] = hit
        result, reason = hit
        if reason is not None:
            problems.append(Problem(i, column.header_zh, reason))
        elif result is None and column.is_required and present:
            problems.append(Problem(i, column.header_zh, CELL_MESSAGES["required"]))
        parsed.append(result)
    return parsed, problems


def _duplicates(typed: pd.DataFrame, contract: Contract) -> list[dict[str, object]]:
    """Rows that share an id (or, for usage, a system and month) are rejected at every place,
    each naming the others, whichever file or sheet they came from."""
    keys = DUPLICATE_KEYS[contract.table]
    if typed.empty:
        return []
    valid = typed[typed[keys].notna().all(axis=1) & (typed[keys] != "").all(axis=1)]
    dup = valid[valid.duplicated(keys, keep=False)]
    label = contract.label(keys[-1])
    out = []
    for values, group in dup.groupby(keys, sort=True):
        places = [_place(r) for r in group.itertuples()]
        for i, row in enumerate(group.itertuples()):
            others = "；".join(p for j, p in enumerate(places) if j != i)
            if contract.table == "usage":
                reason = ROW_MESSAGES["duplicate_month"].format(
                    system_id=values[0], month=values[1], others=others
                )
            else:
                reason = ROW_MESSAGES["duplicate_id"].format(
                    key_label=label, value=values[0], others=others
                )
            out.append(
                {
                    "file": row.source_file,
                    "sheet": row.source_sheet,
                    "row": int(row.source_row),
                    "column": label,
                    "reason": reason,
                }
            )
    return out


def _place(row) -> str:
    sheet = f" {row.source_sheet}" if row.source_sheet else ""
    return f"{Path(row.source_file).name}{sheet} " + CLI_LABELS["row_at"].format(
        row=int(row.source_row)
    )
