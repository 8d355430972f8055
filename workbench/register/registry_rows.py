"""The registry rows a July intake brings beside the submissions (``db import --systems --usage
--commitments``, issue #13 item 2): the registry of built systems, their monthly usage and the
commitments made before the register existed, kept as submissions are kept (every column of the
intake contract by its key, as JSON, with its source) in ``registry_rows``.

A row's identity in its table is its key (系统编号; 系统编号 and 月份; 承诺编号). A row is recorded
when it differs from the latest row of the same key, and the latest is the one in force: next
month's usage file adds its months to the ones before (usage accumulates month by month), a
system's later row (停用, a new evaluation) supersedes its earlier one, and importing a file twice
adds nothing. Nothing is overwritten; what a key said before stays, with its source.

:func:`current_tables` reads the rows in force back as the tables ``workbench check`` reads from
the files (:func:`~workbench.register.submissions.contract_frame`), for the July loop
(:mod:`workbench.register.july`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from workbench.intake import IntakeResult
from workbench.intake.columns import load_contract
from workbench.register.schema import registry_rows
from workbench.register.store import EventSource
from workbench.register.submissions import contract_frame, row_json, row_sha256

TABLES = ("systems", "usage", "commitments")
# Each table's key columns, in the order the key is written.
KEY_COLUMNS = {
    "systems": ("system_id",),
    "usage": ("system_id", "month"),
    "commitments": ("commitment_id",),
}


@dataclass(frozen=True)
class RowsRecorded:
    table: str
    added: int
    already_present: int


def row_key(table: str, row: dict[str, object]) -> str:
    return "\x1f".join(str(row.get(k) or "") for k in KEY_COLUMNS[table])


def _content_key(table: str, key: str, row_hash: str, previous_key: str) -> str:
    text = "\x1f".join((table, key, row_hash, previous_key))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _insert_new(conn: Connection):  # the dialect's INSERT … ON CONFLICT DO NOTHING
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(registry_rows).on_conflict_do_nothing(
        index_elements=[registry_rows.c.content_key]
    )


def _latest_query(table: str) -> sa.Select:
    newest = (
        sa.select(sa.func.max(registry_rows.c.id))
        .where(registry_rows.c.table == table)
        .group_by(registry_rows.c.row_key)
    )
    return sa.select(registry_rows).where(registry_rows.c.id.in_(newest))


def record_rows(
    conn: Connection,
    intake: IntakeResult,
    sources: dict[str, EventSource],
    by: str,
    now: dt.datetime,
) -> RowsRecorded:
    """Store the accepted rows of ``intake`` (a ``systems``, ``usage`` or ``commitments`` table)
    that differ from the latest row of their key."""
    table = intake.table
    contract = load_contract(table)
    latest = {r.row_key: r for r in conn.execute(_latest_query(table))}
    rows = []
    seen: set[str] = set()
    for record in intake.accepted.to_dict("records"):
        row = row_json(record, contract)
        key = row_key(table, row)
        digest = row_sha256(row)
        before = latest.get(key)
        if key in seen or (before is not None and before.row_sha256 == digest):
            continue  # the intake accepts a key once; the latest already says this
        seen.add(key)
        source = sources[str(record["source_file"])]
        rows.append(
            {
                "table": table,
                "row_key": key,
                "row": row,
                "row_sha256": digest,
                "previous_id": None if before is None else before.id,
                "recorded_by": by,
                "recorded_at": now,
                "import_id": source.import_id,
                "source_file": source.file,
                "source_sha256": source.sha256,
                "source_sheet": str(record["source_sheet"]),
                "source_row": int(record["source_row"]),
                "content_key": _content_key(
                    table, key, digest, "" if before is None else before.content_key
                ),
            }
        )
    added = 0
    if rows:
        stmt = _insert_new(conn).returning(registry_rows.c.id)
        added = len(conn.execute(stmt, rows).all())
    return RowsRecorded(table, added, len(intake.accepted) - added)


def current_tables(conn: Connection) -> dict[str, pd.DataFrame]:
    """The rows in force of each table, as the intake makes the table from files (typed by the
    contract, with each row's source: the file it was imported from), ordered by key; a table
    nothing was imported into is absent."""
    found: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        rows = conn.execute(_latest_query(table).order_by(registry_rows.c.row_key)).all()
        if not rows:
            continue
        found[table] = contract_frame(
            [dict(r.row) for r in rows],
            load_contract(table),
            [
                EventSource(r.source_file, r.source_sha256, r.source_sheet, r.source_row)
                for r in rows
            ],
        )
    return found


__all__ = ["KEY_COLUMNS", "TABLES", "RowsRecorded", "current_tables", "record_rows", "row_key"]
