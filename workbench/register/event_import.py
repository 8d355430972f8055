"""Recording event tables in the register (``workbench db events``, issue #13 item 4).

The table is read and checked first (:mod:`workbench.register.event_table`); then, in one
write transaction, rows naming a project the register does not know are rejected with their
place (or, with ``new_projects``, the project is registered under the row's 项目名称: a
provisional way in until July intakes are imported), each file is recorded in ``imports`` with
its final counts, and the events are appended (those already recorded are counted, not added).
A 项目名称 that differs from the project's name at the row's date is recorded as a rename.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from workbench.intake.validate import IntakeResult
from workbench.labels import DB_LABELS
from workbench.provenance import file_name
from workbench.register.db import translated_errors, writing
from workbench.register.event_table import event_contract, read_event_table
from workbench.register.records import EventRecord
from workbench.register.schema import RENAMED, imports
from workbench.register.store import (
    EventSource,
    NewEvent,
    Register,
    insert_events,
    project_ids,
    recorder,
    register_projects,
    registered_names,
    rename_history,
)


@dataclass(frozen=True)
class Rename:
    project_id: str
    date: dt.date
    name: str


@dataclass
class EventImport:
    """What ``import_events`` did: the rows read (accepted, rejected with their places, blank),
    the events added and those already in the register, projects registered and renamed."""

    intake: IntakeResult
    database: str
    added: int = 0
    already_present: int = 0
    registered: list[str] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return row_counts(self.intake, self.added, self.already_present)


def row_counts(intake: IntakeResult, added: int, already_present: int) -> dict[str, int]:
    """Rows read = added + already present + rejected + blank; files that could not be read at
    all are counted apart."""
    totals = intake.totals()
    return {
        "read": totals["read"],
        "added": added,
        "already_present": already_present,
        "rejected": totals["rejected"],
        "blank": totals["blank"],
        "unreadable_files": int(intake.rejections["row"].isna().sum()),
    }


def import_events(
    register: Register,
    inputs: Sequence[str | Path],
    *,
    by: str | None = None,
    new_projects: bool = False,
) -> EventImport:
    """Import event tables (``workbench db events``) in one transaction. Rows naming a
    project not in the register are rejected with their place, or, with ``new_projects``
    (provisional, until July intakes are imported), register it under the row's 项目名称."""
    intake = read_event_table(inputs, register.pack)
    contract = event_contract(register.pack)
    result = EventImport(intake=intake, database=register.where)
    who = recorder(by)
    now = dt.datetime.now(dt.UTC)
    with translated_errors(register.url), writing(register.engine) as conn:
        rows = intake.accepted
        ids = project_ids(conn, set(rows["project_id"]))
        unknown = ~rows["project_id"].isin(ids)
        names = _new_names(rows[unknown]) if new_projects else {}
        reject = unknown & ~rows["project_id"].isin(names)
        column, reason = (
            ("name", "name_for_new") if new_projects else ("project_id", "unknown_project")
        )
        intake.reject(
            reject,
            contract.label(column),
            [DB_LABELS[reason].format(value=v) for v in rows.loc[reject, "project_id"]],
        )
        rows = intake.accepted
        sources = record_import_files(conn, intake, "events", who, now)
        first_import = {
            pid: sources[path].import_id
            for pid, path in zip(rows["project_id"], rows["source_file"], strict=True)
        }
        result.registered = register_projects(conn, names, who, now, first_import)
        ids = project_ids(conn, set(rows["project_id"]))
        renames = _renames(conn, rows, ids, sources)
        batch = [
            NewEvent(
                EventRecord(r.project_id, r.kind, r.date, r.amount, r.note, r.result),
                _at(sources[r.source_file], r),
            )
            for r in rows.itertuples(index=False)
        ]
        result.added = sum(insert_events(conn, batch, ids, who, now))
        result.already_present = len(batch) - result.added
        added = insert_events(conn, [event for _, event in renames], ids, who, now)
        result.renamed = [r for (r, _), new in zip(renames, added, strict=True) if new]
    return result


def record_import_files(
    conn: Connection, intake: IntakeResult, kind: str, by: str, now: dt.datetime
) -> dict[str, EventSource]:
    """One ``imports`` row of ``kind`` per file read, with its rows as finally counted; file
    path → the file as its records name it (name, SHA-256, import id)."""
    counts = (
        intake.reconciliation().groupby("file")[["read", "accepted", "rejected", "blank"]].sum()
    )
    found: dict[str, EventSource] = {}
    for source in intake.sources:
        row = counts.loc[source.path] if source.path in counts.index else None
        values = {
            "kind": kind,
            "file_name": file_name(source.path),
            "sha256": source.sha256,
            "imported_at": now,
            "imported_by": by,
            **{
                f"rows_{key}": int(row[key]) if row is not None else 0
                for key in ("read", "accepted", "rejected", "blank")
            },
        }
        import_id = conn.execute(
            sa.insert(imports).values(**values).returning(imports.c.id)
        ).scalar_one()
        found[source.path] = EventSource(file_name(source.path), source.sha256, "", None, import_id)
    return found


def _new_names(rows: pd.DataFrame) -> dict[str, str]:
    """For projects not in the register: the name of each one's earliest-dated row that has
    one (a project without any name cannot be registered)."""
    named = rows[rows["name"] != ""].sort_values("date", kind="stable")
    return dict(named.drop_duplicates("project_id")[["project_id", "name"]].itertuples(index=False))


def _at(source: EventSource, row: object) -> EventSource:
    """``source`` (a file) at the row's sheet and row."""
    return replace(source, sheet=row.source_sheet, row=int(row.source_row))


def _renames(
    conn: Connection, rows: pd.DataFrame, ids: dict[str, int], sources: dict[str, EventSource]
) -> list[tuple[Rename, NewEvent]]:
    """Rows whose 项目名称 differs from the project's name at the row's date: renames, taken
    in date order so that each is judged against the name the earlier ones left."""
    named = rows[rows["name"] != ""].sort_values("date", kind="stable")
    if named.empty:
        return []
    registered = registered_names(conn, {ids[p] for p in named["project_id"]})
    history = rename_history(conn, registered)
    found: list[tuple[Rename, NewEvent]] = []
    for row in named.itertuples(index=False):
        pid = ids[row.project_id]
        earlier = [name for day, name in history.get(pid, []) if day <= row.date]
        name_then = earlier[-1] if earlier else registered[pid]
        if row.name != name_then:
            history.setdefault(pid, []).append((row.date, row.name))
            history[pid].sort(key=lambda item: item[0])
            record = EventRecord(row.project_id, RENAMED, row.date, None, row.name)
            event = NewEvent(record, _at(sources[row.source_file], row))
            found.append((Rename(row.project_id, row.date, row.name), event))
    return found


__all__ = ["EventImport", "Rename", "import_events", "record_import_files", "row_counts"]
