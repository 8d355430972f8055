"""The register's store: events appended, never changed (issue #13, items 2 and 4).

:class:`Register` is the one way in. It only inserts: a project is registered once, an event is
recorded once, a rename is an event, an import is recorded with its counts, and every write is
one transaction (an event table is imported whole or not at all).

Recording is idempotent by content, not by file: each event has a ``content_key``, the SHA-256
of what it says (project, event, date, amount, note) and of how many identical events came
before it in the same batch, so that importing the same file twice, or a re-export of the same
rows under another name, adds nothing, while two identical rows of one file (two 调整备案 of the
same amount on the same day) stay two events. The key is unique in the database, and events are
inserted with ``ON CONFLICT DO NOTHING``: two processes recording at once lose nothing and
record nothing twice, on SQLite (writers take turns, :mod:`workbench.register.db`) and on
PostgreSQL (the second waits for the first's key and then skips it).

State is derived: :meth:`Register.history` is a project's events in date order,
:meth:`Register.events_as_of` every event up to a date (optionally only what had been recorded
by a moment, ``known_at``), :meth:`Register.state_as_of` each project as it stood then.

July submissions with their findings at entry, and adopted plans with every decision (migration
0003), are written in the same insert-only way by :mod:`workbench.register.intake_import` and
:mod:`workbench.register.adopt` (:meth:`Register.import_intake`, :meth:`Register.adopt`), and
read through :meth:`Register.submissions`, :meth:`Register.findings`,
:meth:`Register.adoptions`, :meth:`Register.decisions` and :meth:`Register.project_facts`.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from workbench.labels import DB_LABELS
from workbench.policy.pack import PolicyPack, load_pack
from workbench.register.db import (
    RegisterError,
    describe,
    open_engine,
    translated_errors,
    writing,
)
from workbench.register.records import EventRecord
from workbench.register.schema import AMOUNT_QUANTUM, RENAMED, events, projects

if TYPE_CHECKING:
    from workbench.register.adopt import Adopted, AdoptionRecord, DecisionRecord
    from workbench.register.event_import import EventImport
    from workbench.register.intake_import import IntakeImport
    from workbench.register.records import ProjectFacts
    from workbench.register.submissions import StoredFinding, StoredSubmission

# Rows per statement when looking projects up by id (SQLite binds at most 32 766 parameters).
_CHUNK = 500
_BY_MAX = 200


def os_user() -> str:
    """Who is recording, when ``--by`` does not say: the operating system's user name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return ""


def content_key(record: EventRecord, ordinal: int = 0) -> str:
    """The identity of an event by what it says (see the module's docstring)."""
    amount = "" if record.amount is None else format(record.amount.quantize(AMOUNT_QUANTUM), "f")
    parts = (record.project_id, record.kind, record.date.isoformat(), amount, record.note)
    # An event without a result (结论, migration 0004) keeps the key it had before results.
    result = (f"result={record.result}",) if record.result else ()
    text = "\x1f".join((*parts, *result, str(ordinal)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EventSource:
    """Where an event was read: the file (its name), its SHA-256, sheet and row; the import."""

    file: str = ""
    sha256: str = ""
    sheet: str = ""
    row: int | None = None
    import_id: int | None = None


@dataclass(frozen=True)
class NewEvent:
    record: EventRecord
    source: EventSource = EventSource()


@dataclass(frozen=True)
class AppendResult:
    added: int
    already_present: int


@dataclass(frozen=True)
class RecordedEvent:
    """An event as the register holds it: what, who recorded it when, and from where."""

    record: EventRecord
    id: int
    recorded_by: str
    recorded_at: dt.datetime
    source: EventSource


@dataclass(frozen=True)
class ProjectInfo:
    project_id: str
    name: str  # as of today: the registered name, or the latest rename
    registered_name: str
    first_seen_at: dt.datetime
    first_seen_by: str


@dataclass(frozen=True)
class ProjectState:
    """A project as it stood at a date: its name then, and its lifecycle events up to then."""

    project_id: str
    name: str
    events: tuple[EventRecord, ...]

    @property
    def last_event(self) -> EventRecord | None:
        return self.events[-1] if self.events else None


class Register:
    """The 项目库 at ``url``, at this code's schema version (:meth:`open` checks it)."""

    def __init__(self, engine: Engine, url: URL, pack: PolicyPack | None = None) -> None:
        self.engine = engine
        self.url = url
        self.pack = pack or load_pack()
        self._kinds = {e.key for e in self.pack.lifecycle.events}

    @classmethod
    def open(cls, db: str | URL | None = None, pack: PolicyPack | None = None) -> Register:
        """The register ``db`` names (as ``--db`` takes it; None: ``$WORKBENCH_DB`` or the
        default file). Raises :class:`RegisterError` when it cannot be used."""
        engine, url = open_engine(db)
        return cls(engine, url, pack)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str:
        return describe(self.url)

    # -- writing -----------------------------------------------------------------------------

    def register_project(self, project_id: str, name: str = "", *, by: str | None = None) -> bool:
        """Register a project (True), or nothing when it is already registered (False)."""
        now = dt.datetime.now(dt.UTC)
        with translated_errors(self.url), writing(self.engine) as conn:
            return bool(register_projects(conn, {project_id: name}, recorder(by), now, {}))

    def rename_project(
        self, project_id: str, name: str, date: dt.date, *, by: str | None = None
    ) -> bool:
        """Record that the project is called ``name`` from ``date`` (an event; the name it was
        registered under stays). False when that very rename is already recorded."""
        record = EventRecord(project_id, RENAMED, date, None, name)
        return self._append([NewEvent(record)], by).added == 1

    def append_events(
        self, items: Iterable[EventRecord | NewEvent], *, by: str | None = None
    ) -> AppendResult:
        """Record events (of the pack's kinds) in one transaction; those already recorded are
        counted, not added again. Every project must be registered."""
        batch = [i if isinstance(i, NewEvent) else NewEvent(i) for i in items]
        for item in batch:
            self._check(item.record)
        return self._append(batch, by)

    def _append(self, batch: list[NewEvent], by: str | None) -> AppendResult:
        now = dt.datetime.now(dt.UTC)
        with translated_errors(self.url), writing(self.engine) as conn:
            ids = project_ids(conn, {i.record.project_id for i in batch})
            unknown = sorted({i.record.project_id for i in batch} - set(ids))
            if unknown:
                raise RegisterError(DB_LABELS["unknown_project_id"].format(value=unknown[0]))
            added = sum(insert_events(conn, batch, ids, recorder(by), now))
        return AppendResult(added=added, already_present=len(batch) - added)

    def _check(self, record: EventRecord) -> None:
        """A programming error, not the user's: the event table's reader says these in Chinese."""
        event = self.pack.lifecycle.event_by_key().get(record.kind)
        if event is None:
            raise ValueError(f"{record.kind!r} is not an event of the policy pack")
        if event.amount == "required" and record.amount is None:
            raise ValueError(f"{record.kind} needs an amount")
        if event.amount == "none" and record.amount is not None:
            raise ValueError(f"{record.kind} has no amount")
        if record.amount is not None and record.amount.quantize(AMOUNT_QUANTUM) != record.amount:
            raise ValueError(f"amount {record.amount} is finer than a fen (6 places of 万元)")

    def import_events(
        self,
        inputs: Sequence[str | Path],
        *,
        by: str | None = None,
        new_projects: bool = False,
    ) -> EventImport:
        """Import event tables (``workbench db events``) in one transaction: see
        :func:`workbench.register.event_import.import_events`."""
        from workbench.register.event_import import import_events  # it builds on this module

        return import_events(self, inputs, by=by, new_projects=new_projects)

    def import_intake(
        self,
        inputs: Sequence[str | Path],
        *,
        plan_year: int,
        systems: Sequence[str | Path] = (),
        usage: Sequence[str | Path] = (),
        commitments: Sequence[str | Path] = (),
        by: str | None = None,
        received: dt.date | None = None,
    ) -> IntakeImport:
        """Import a July intake (``workbench db import``) in one transaction: see
        :func:`workbench.register.intake_import.import_intake`."""
        from workbench.register.intake_import import import_intake

        return import_intake(
            self,
            inputs,
            plan_year=plan_year,
            systems=systems,
            usage=usage,
            commitments=commitments,
            by=by,
            received=received,
        )

    def adopt(
        self,
        plan_year: int,
        *,
        scenario: str | None = None,
        systems: Sequence[str | Path] = (),
        usage: Sequence[str | Path] = (),
        by: str | None = None,
        force: bool = False,
    ) -> Adopted:
        """Draft the year's plan from the submissions and record it as adopted (``workbench db
        adopt``): see :func:`workbench.register.adopt.adopt_plan`."""
        from workbench.register.adopt import adopt_plan

        return adopt_plan(
            self, plan_year, scenario=scenario, systems=systems, usage=usage, by=by, force=force
        )

    # -- reading -----------------------------------------------------------------------------

    def submissions(
        self, *, plan_year: int | None = None, project_id: str | None = None, latest: bool = False
    ) -> list[StoredSubmission]:
        """July submissions as received (of a year, of a project); ``latest``: each project's
        one in force for its year."""
        from workbench.register.submissions import read_submissions

        with translated_errors(self.url), self.engine.connect() as conn:
            return read_submissions(conn, plan_year=plan_year, project_id=project_id, latest=latest)

    def findings(
        self, *, plan_year: int | None = None, project_id: str | None = None
    ) -> list[StoredFinding]:
        """The check's findings at entry, of the submissions (of a year, of a project)."""
        from workbench.register.submissions import read_findings, read_submissions

        with translated_errors(self.url), self.engine.connect() as conn:
            found = read_submissions(conn, plan_year=plan_year, project_id=project_id)
            return read_findings(conn, [s.id for s in found])

    def project_facts(self) -> dict[str, ProjectFacts]:
        """Per 项目编号, what the obligations need to know of it from its latest submission and
        the adopted plans: see :func:`workbench.register.adopt.project_facts`."""
        from workbench.register.adopt import project_facts

        with translated_errors(self.url), self.engine.connect() as conn:
            return project_facts(conn)

    def adoptions(self, plan_year: int | None = None) -> list[AdoptionRecord]:
        """Every adoption (of a year), superseded ones included, in the order recorded."""
        from workbench.register.adopt import read_adoptions

        with translated_errors(self.url), self.engine.connect() as conn:
            return read_adoptions(conn, plan_year)

    def current_adoption(self, plan_year: int) -> AdoptionRecord | None:
        """The year's adoption in force (none supersedes it), or None."""
        from workbench.register.adopt import current_adoption

        with translated_errors(self.url), self.engine.connect() as conn:
            return current_adoption(conn, plan_year)

    def decisions(self, adoption_id: int) -> list[DecisionRecord]:
        """Every project's decision in an adoption, in the plan's order."""
        from workbench.register.adopt import read_decisions

        with translated_errors(self.url), self.engine.connect() as conn:
            return read_decisions(conn, adoption_id)

    def project(self, project_id: str) -> ProjectInfo | None:
        with translated_errors(self.url), self.engine.connect() as conn:
            row = conn.execute(
                sa.select(projects).where(projects.c.project_key == project_id)
            ).first()
            if row is None:
                return None
            renames = rename_history(conn, [row.id])
        current = renames[row.id][-1][1] if renames.get(row.id) else row.name
        return ProjectInfo(row.project_key, current, row.name, row.first_seen_at, row.first_seen_by)

    def projects(self) -> list[ProjectInfo]:
        with translated_errors(self.url), self.engine.connect() as conn:
            rows = conn.execute(sa.select(projects).order_by(projects.c.id)).all()
            renames = rename_history(conn, None)
        return [
            ProjectInfo(
                r.project_key,
                renames[r.id][-1][1] if renames.get(r.id) else r.name,
                r.name,
                r.first_seen_at,
                r.first_seen_by,
            )
            for r in rows
        ]

    def history(self, project_id: str) -> list[RecordedEvent]:
        """The project's events (renames included) in date order, then in the order recorded."""
        with translated_errors(self.url), self.engine.connect() as conn:
            ids = project_ids(conn, {project_id})
            if project_id not in ids:
                raise RegisterError(DB_LABELS["unknown_project_id"].format(value=project_id))
            query = (
                _event_query()
                .where(events.c.project_id == ids[project_id])
                .order_by(events.c.event_date, events.c.id)
            )
            return [_recorded(row) for row in conn.execute(query)]

    def events_as_of(
        self, date: dt.date | None = None, *, known_at: dt.datetime | None = None
    ) -> list[EventRecord]:
        """Every lifecycle event (the pack's kinds) dated up to ``date`` (None: all), as the
        register stood at ``known_at`` (None: now), in date order, then in the order recorded.
        What the obligations are computed from."""
        # Only what a record holds: a register of ten years has four hundred thousand events.
        query = (
            sa.select(
                projects.c.project_key,
                events.c.kind,
                events.c.event_date,
                events.c.amount,
                events.c.note,
                events.c.result,
            )
            .join(projects, projects.c.id == events.c.project_id)
            .where(events.c.kind.in_(sorted(self._kinds)))
        )
        if date is not None:
            query = query.where(events.c.event_date <= date)
        if known_at is not None:
            query = query.where(events.c.recorded_at <= known_at)
        query = query.order_by(events.c.event_date, events.c.id)
        with translated_errors(self.url), self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]

    def all_events(self) -> list[EventRecord]:
        return self.events_as_of(None)

    def state_as_of(
        self, date: dt.date | None = None, *, known_at: dt.datetime | None = None
    ) -> dict[str, ProjectState]:
        """Each project registered by ``known_at`` as it stood at ``date``: its name then (the
        registered name, or the latest rename up to ``date``) and its events up to ``date``."""
        query = sa.select(projects)
        if known_at is not None:
            query = query.where(projects.c.first_seen_at <= known_at)
        with translated_errors(self.url), self.engine.connect() as conn:
            rows = conn.execute(query.order_by(projects.c.project_key)).all()
            renames = rename_history(conn, None, date, known_at)
        found: dict[str, list[EventRecord]] = {}
        for record in self.events_as_of(date, known_at=known_at):
            found.setdefault(record.project_id, []).append(record)
        return {
            r.project_key: ProjectState(
                r.project_key,
                renames[r.id][-1][1] if renames.get(r.id) else r.name,
                tuple(found.get(r.project_key, ())),
            )
            for r in rows
        }


def recorder(by: str | None) -> str:
    return ((by or "").strip() or os_user())[:_BY_MAX]


def _insert(conn: Connection, table: sa.Table):  # -> the dialect's Insert, with ON CONFLICT
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def project_ids(conn: Connection, keys: Iterable[str]) -> dict[str, int]:
    """The register's number of each 项目编号 it knows."""
    found: dict[str, int] = {}
    for chunk in _chunks(keys):
        query = sa.select(projects.c.project_key, projects.c.id).where(
            projects.c.project_key.in_(chunk)
        )
        found.update((key, pid) for key, pid in conn.execute(query))
    return found


def register_projects(
    conn: Connection,
    names: dict[str, str],
    by: str,
    now: dt.datetime,
    first_import: dict[str, int | None],
) -> list[str]:
    """Register projects not yet registered; the ids of those this call registered."""
    if not names:
        return []
    rows = [
        {
            "project_key": pid,
            "name": name,
            "first_seen_at": now,
            "first_seen_by": by,
            "first_import_id": first_import.get(pid),
        }
        for pid, name in sorted(names.items())
    ]
    stmt = (
        _insert(conn, projects)
        .on_conflict_do_nothing(index_elements=[projects.c.project_key])
        .returning(projects.c.project_key)
    )
    return sorted(conn.execute(stmt, rows).scalars().all())


def insert_events(
    conn: Connection, batch: list[NewEvent], ids: dict[str, int], by: str, now: dt.datetime
) -> list[bool]:
    """Insert what is not recorded yet; for each item, whether it was inserted."""
    if not batch:
        return []
    seen: Counter[str] = Counter()
    rows = []
    for item in batch:
        record, source = item.record, item.source
        base = content_key(record)
        ordinal = seen[base]
        seen[base] += 1
        rows.append(
            {
                "project_id": ids[record.project_id],
                "kind": record.kind,
                "event_date": record.date,
                "amount": record.amount,
                "note": record.note,
                "result": record.result,
                "recorded_by": by,
                "recorded_at": now,
                "import_id": source.import_id,
                "source_file": source.file,
                "source_sha256": source.sha256,
                "source_sheet": source.sheet,
                "source_row": source.row,
                "content_key": content_key(record, ordinal),
            }
        )
    stmt = (
        _insert(conn, events)
        .on_conflict_do_nothing(index_elements=[events.c.content_key])
        .returning(events.c.content_key)
    )
    inserted = set(conn.execute(stmt, rows).scalars().all())
    return [row["content_key"] in inserted for row in rows]


def rename_history(
    conn: Connection,
    project_ids: Iterable[int] | None = None,
    date: dt.date | None = None,
    known_at: dt.datetime | None = None,
) -> dict[int, list[tuple[dt.date, str]]]:
    """Each project's renames (date, new name) in date order, up to ``date`` (None: all), as
    recorded by ``known_at`` (None: now); of the projects ``project_ids`` (None: all)."""
    query = sa.select(events.c.project_id, events.c.event_date, events.c.note).where(
        events.c.kind == RENAMED
    )
    if date is not None:
        query = query.where(events.c.event_date <= date)
    if known_at is not None:
        query = query.where(events.c.recorded_at <= known_at)
    query = query.order_by(events.c.event_date, events.c.id)
    chunks = (
        [query]
        if project_ids is None
        else [query.where(events.c.project_id.in_(chunk)) for chunk in _chunks(project_ids)]
    )
    found: dict[int, list[tuple[dt.date, str]]] = {}
    for chunk in chunks:
        for pid, day, name in conn.execute(chunk):
            found.setdefault(pid, []).append((day, name))
    return found


def registered_names(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """The names projects were registered under (renames are events: :func:`rename_history`)."""
    found: dict[int, str] = {}
    for chunk in _chunks(ids):
        query = sa.select(projects.c.id, projects.c.name).where(projects.c.id.in_(chunk))
        found.update((pid, name) for pid, name in conn.execute(query))
    return found


def _chunks(values: Iterable[object]) -> list[list]:
    ordered = sorted(set(values))
    return [ordered[start : start + _CHUNK] for start in range(0, len(ordered), _CHUNK)]


def _event_query() -> sa.Select:
    return sa.select(events, projects.c.project_key).join(
        projects, projects.c.id == events.c.project_id
    )


def _record(row: sa.Row) -> EventRecord:
    amount = None if row.amount is None else Decimal(row.amount)
    return EventRecord(
        row.project_key, row.kind, row.event_date, amount, row.note, row.result or ""
    )


def _recorded(row: sa.Row) -> RecordedEvent:
    return RecordedEvent(
        record=_record(row),
        id=row.id,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        source=EventSource(
            file=row.source_file,
            sha256=row.source_sha256,
            sheet=row.source_sheet,
            row=row.source_row,
            import_id=row.import_id,
        ),
    )


__all__ = [
    "AppendResult",
    "EventSource",
    "NewEvent",
    "ProjectInfo",
    "ProjectState",
    "RecordedEvent",
    "Register",
    "content_key",
    "insert_events",
    "os_user",
    "project_ids",
    "recorder",
    "register_projects",
    "registered_names",
    "rename_history",
]
