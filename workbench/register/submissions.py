"""Submissions as the register keeps them (issue #13): each accepted intake row as JSON, typed
as the intake contract says (amounts and numbers as exact decimal strings, yes/no as
true/false, lists as lists, blanks as null), its identity (``row_sha256``, ``submission_key``),
reading stored submissions and findings back, and the candidates table rebuilt from them
exactly as the intake produced it (``candidates_frame``, for ``db adopt``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from workbench.intake.cells import parse_cell
from workbench.intake.columns import Contract, load_contract
from workbench.intake.validate import SOURCE_COLUMNS
from workbench.register.schema import (
    findings,
    projects,
    submissions,
)
from workbench.register.store import (
    EventSource,
)

# The intake's dtypes for typed columns (workbench.intake.validate builds the frame the same
# way): a table rebuilt from stored rows is the table the intake produced.
_DTYPES = {"integer": "Int64", "bool": "boolean"}
_DECIMAL_TYPES = ("amount", "number", "percent")


# -- rows as JSON -----------------------------------------------------------------------------


def plain(value: object) -> object:
    """A typed intake value as JSON: Decimals as exact strings (without trailing zeros, so that
    37.85 and 37.850 are one value), tuples as lists, dates as ISO text, blanks as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and hasattr(value, "dtype"):  # a numpy scalar
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else None
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, int | str) else str(value)


def row_json(row: Mapping[str, object], contract: Contract) -> dict[str, object]:
    """An accepted row (a record of the intake's ``accepted`` table) as stored: every column of
    the contract, and the per-year columns this row fills (another file's per-year column, blank
    in this row, is not part of this row)."""
    out: dict[str, object] = {}
    for key, value in row.items():
        if key in SOURCE_COLUMNS:
            continue
        value = plain(value)
        if value is None and key not in contract.keys:
            continue
        out[str(key)] = value
    return out


def canonical(row: Mapping[str, object]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_sha256(row: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical(row).encode("utf-8")).hexdigest()


def submission_key(plan_year: int, project_id: str, row_hash: str, previous_key: str) -> str:
    """The identity of a submission: what it says, for which project and year, and which
    submission it follows (see the module's docstring)."""
    text = "\x1f".join((str(plan_year), project_id, row_hash, previous_key))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def typed_value(value: object, contract: Contract, key: str) -> object:
    """A stored JSON value back as the intake types it."""
    column = contract.column(key)
    if value is None:
        return None
    if column.type in _DECIMAL_TYPES:
        return Decimal(str(value))
    if column.type == "integer":
        return int(value)
    if column.type == "bool":
        return bool(value)
    if column.type in ("multi", "ids"):
        return tuple(value)
    if column.type == "date":
        return dt.date.fromisoformat(str(value))
    return value


def candidates_frame(stored: Sequence[StoredSubmission]) -> pd.DataFrame:
    """The candidates table of stored submissions, as ``read_table`` makes it from the forms:
    the contract's columns (a column the contract gained since takes its default), the per-year
    columns any row fills, then the source columns. A column the contract no longer has is
    left out."""
    return contract_frame(
        [s.row for s in stored], load_contract("candidates"), [s.source for s in stored]
    )


def contract_frame(
    rows: Sequence[Mapping[str, object]], contract: Contract, sources: Sequence[EventSource]
) -> pd.DataFrame:
    """A table of stored rows (JSON, as :func:`row_json` writes them) as the intake of
    ``contract`` makes it from the forms, with each row's source."""
    extra = sorted({k for row in rows for k in row if k not in contract.keys})
    keys = [*contract.keys, *(k for k in extra if in_contract(contract, k))]
    typed = {key: [_stored_value(row, contract, key) for row in rows] for key in keys}
    frame = pd.DataFrame(typed, index=range(len(rows)))
    for key in keys:
        frame[key] = frame[key].astype(_DTYPES.get(contract.column(key).type, object))
    frame["source_file"] = [s.file for s in sources]
    frame["source_sheet"] = [s.sheet for s in sources]
    frame["source_row"] = [s.row or 0 for s in sources]
    return frame


def _stored_value(row: Mapping[str, object], contract: Contract, key: str) -> object:
    if key in row:
        return typed_value(row[key], contract, key)
    # A column the contract gained after the row was stored: blank, so its default applies.
    return parse_cell(None, contract.column(key)) if key in contract.keys else None


def in_contract(contract: Contract, key: str) -> bool:
    try:
        contract.column(key)
    except KeyError:
        return False
    return True


# -- what the register holds ------------------------------------------------------------------


@dataclass(frozen=True)
class StoredSubmission:
    """A submission as the register holds it."""

    id: int
    project_id: str
    plan_year: int
    row: dict[str, object]
    checked: dict[str, object]
    row_sha256: str
    previous_id: int | None
    policy_id: str
    source: EventSource
    recorded_by: str
    recorded_at: dt.datetime

    @property
    def name(self) -> str:
        return str(self.row.get("name") or "")

    @property
    def unit(self) -> str:
        return str(self.row.get("unit") or "")


@dataclass(frozen=True)
class StoredFinding:
    project_id: str
    plan_year: int
    submission_id: int
    rule: str
    article: str
    severity: str
    message: str
    evidence: object


def _submission_query() -> sa.Select:
    return sa.select(submissions, projects.c.project_key).join(
        projects, projects.c.id == submissions.c.project_id
    )


def _stored(row: sa.Row) -> StoredSubmission:
    return StoredSubmission(
        id=row.id,
        project_id=row.project_key,
        plan_year=row.plan_year,
        row=dict(row.row),
        checked=dict(row.checked),
        row_sha256=row.row_sha256,
        previous_id=row.previous_id,
        policy_id=row.policy_id,
        source=EventSource(
            row.source_file, row.source_sha256, row.source_sheet, row.source_row, row.import_id
        ),
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def read_submissions(
    conn: Connection,
    *,
    plan_year: int | None = None,
    project_id: str | None = None,
    latest: bool = False,
) -> list[StoredSubmission]:
    """Submissions (of a plan year, of a project), in the order recorded. ``latest``: only each
    project's latest of its plan year (the one in force: a later one is recorded only when it
    differs), ordered by 项目编号."""
    query = _submission_query()
    if plan_year is not None:
        query = query.where(submissions.c.plan_year == plan_year)
    if project_id is not None:
        query = query.where(projects.c.project_key == project_id)
    if latest:
        newest = sa.select(sa.func.max(submissions.c.id)).group_by(
            submissions.c.project_id, submissions.c.plan_year
        )
        if plan_year is not None:
            newest = newest.where(submissions.c.plan_year == plan_year)
        query = query.where(submissions.c.id.in_(newest)).order_by(
            projects.c.project_key, submissions.c.plan_year
        )
    else:
        query = query.order_by(submissions.c.id)
    return [_stored(row) for row in conn.execute(query)]


def read_findings(
    conn: Connection, submission_ids: Iterable[int] | None = None
) -> list[StoredFinding]:
    """The findings at entry of the given submissions (None: all), in the order recorded."""
    query = (
        sa.select(findings, projects.c.project_key)
        .join(projects, projects.c.id == findings.c.project_id)
        .order_by(findings.c.id)
    )
    chunks = [query]
    if submission_ids is not None:
        ordered = sorted(set(submission_ids))
        chunks = [
            query.where(findings.c.submission_id.in_(ordered[i : i + 500]))
            for i in range(0, len(ordered), 500)
        ]
    return [
        StoredFinding(
            r.project_key,
            r.plan_year,
            r.submission_id,
            r.rule,
            r.article,
            r.severity,
            r.message,
            r.evidence,
        )
        for chunk in chunks
        for r in conn.execute(chunk)
    ]


# -- the import -------------------------------------------------------------------------------


__all__ = [
    "StoredFinding",
    "StoredSubmission",
    "candidates_frame",
    "canonical",
    "contract_frame",
    "in_contract",
    "plain",
    "read_findings",
    "read_submissions",
    "row_json",
    "row_sha256",
    "submission_key",
    "typed_value",
]
