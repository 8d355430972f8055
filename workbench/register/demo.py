"""``workbench db demo``: a demo register, the embedded sample's history (issue #13 item 7).

示例数据，合成数据，非真实记录: never used unless asked for by this command. The history is
``workbench/data/sample/register_events.csv``, an event table of 2024–2026 that
``scripts/make_sample.py`` writes, seeded, from the ``register`` section of
``scripts/sample_spec.yaml`` (stories of proposal approvals, approval applications and
opinions, contracts, starts, operation, acceptances, surplus returns, self-evaluations,
post-evaluations, changes, rectifications), pinned so that on 2026-10-12 some obligations are
overdue (one of them a rectification), some due soon, one change exceeds 第二十八条's 15 % and one
rectification notice names no deadline.

What the demo does, in order:

1. creates the register when there is none (an SQLite file that does not exist yet, or a
   database with no tables), as ``db init`` does;
2. records the 2026 intake (``candidates_2026.csv``: projects of the stories, and first phases
   of 2027's multi-year builds) and adopts its plan under the shipped base scenario moved to
   2026, so that 2027 has carried-over commitments and earlier decisions to show;
3. records the sample's July intake for 2027 (its candidates, registry and usage) as
   ``db import --sample`` does: every project registered, its submission and the findings at
   entry, so that ``db due`` knows each project's category, construction period, total
   investment and unit;
4. imports the event table through ``db events``' path (:meth:`Register.import_events`).

Everything is recorded by :data:`DEMO_BY`, so ``db history`` shows each event as demo data, with
the file it came from.

Where it writes (the reading chosen for ``--force``): into an empty register always; into a
register that already holds demo data (every project and event recorded by :data:`DEMO_BY`)
only with ``--force``, which records what is missing and nothing twice; into a register holding
anything else never, ``--force`` or not: demo data must not mix with a bureau's records. A
refusal is a :class:`RegisterError` naming the database (exit 2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from workbench.labels import DB_LABELS
from workbench.register.db import (
    RegisterError,
    create_database_engine,
    database_url,
    init_database,
    is_sqlite,
    schema_status,
    translated_errors,
)
from workbench.register.schema import events as events_table
from workbench.register.schema import submissions
from workbench.register.store import Register

# Who recorded the demo's projects and events: says, wherever a record shows its recorder,
# that it is demo data.
DEMO_BY = DB_LABELS["demo_by"]
EVENTS_FILE = "register_events.csv"
# The day the demo's story is told for (the spec's `until` is the end of September before it).
DEMO_AS_OF = dt.date(2026, 10, 12)
# The day the sample's July intake (for 2027) is taken to have been received.
INTAKE_RECEIVED = dt.date(2026, 7, 31)
# The year before: its intake (candidates_2026.csv, scripts/make_sample.py) and the plan adopted
# from it under the shipped base scenario moved to 2026, whose later years 2027 carries.
EARLIER_FILE = "candidates_2026.csv"
EARLIER_YEAR = 2026
EARLIER_RECEIVED = dt.date(2025, 7, 31)
EARLIER_SCENARIO = "base"


def demo_events_file() -> Path:
    """The demo's event table, beside the embedded sample."""
    from workbench.data import sample_dir

    return sample_dir() / EVENTS_FILE


@dataclass(frozen=True)
class DemoResult:
    """What ``db demo`` did."""

    database: str
    created: bool
    projects: int
    registered: int
    submissions: int
    earlier: int  # the 2026 intake's rows, whose plan was adopted
    added: int
    already_present: int
    source_file: str
    source_sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "created": self.created,
            "demo": True,
            "recorded_by": DEMO_BY,
            "projects": self.projects,
            "registered": self.registered,
            "submissions": self.submissions,
            "added": self.added,
            "already_present": self.already_present,
            "source": {"file": self.source_file, "sha256": self.source_sha256},
        }


@dataclass(frozen=True)
class Holdings:
    """What a register holds, by whether the demo recorded it."""

    demo_projects: int
    other_projects: int
    demo_records: int  # events and submissions
    other_records: int


def holdings(register: Register) -> Holdings:
    """Count the register's projects, events and submissions: the demo's and the others'."""
    projects = register.projects()
    demo_projects = sum(p.first_seen_by == DEMO_BY for p in projects)
    demo, other = 0, 0
    with translated_errors(register.url), register.engine.connect() as conn:
        for table in (events_table, submissions):
            query = sa.select(table.c.recorded_by, sa.func.count()).group_by(table.c.recorded_by)
            counts = dict(conn.execute(query).all())
            demo += counts.pop(DEMO_BY, 0)
            other += sum(counts.values())
    return Holdings(demo_projects, len(projects) - demo_projects, demo, other)


def _ensure_register(db: str | None) -> bool:
    """Create the register when there is none (``db init``, which refuses a database holding
    other tables); True when it was created here."""
    url = database_url(db)
    if not (is_sqlite(url) and not Path(str(url.database)).exists()):
        engine = create_database_engine(url)
        try:
            with translated_errors(url), engine.connect() as conn:
                if schema_status(conn).state != "missing":
                    return False  # a register: Register.open says when it cannot be used
        finally:
            engine.dispose()
    init_database(url)
    return True


def _refuse(register: Register, held: Holdings, force: bool) -> None:
    where = register.where
    if held.other_projects or held.other_records:
        raise RegisterError(
            DB_LABELS["demo_other_data"].format(
                where=where, projects=held.other_projects, records=held.other_records
            )
        )
    if (held.demo_projects or held.demo_records) and not force:
        raise RegisterError(
            DB_LABELS["demo_present"].format(
                where=where, projects=held.demo_projects, records=held.demo_records
            )
        )


def write_demo(db: str | None = None, *, force: bool = False) -> DemoResult:
    """Write the demo register into ``db`` (as ``--db`` takes it); see the module's docstring."""
    from workbench import data

    created = _ensure_register(db)
    with Register.open(db) as register:
        _refuse(register, holdings(register), force)
        earlier = register.import_intake(
            [data.sample_dir() / EARLIER_FILE],
            plan_year=EARLIER_YEAR,
            systems=[data.sample_systems()],
            usage=[data.sample_usage()],
            by=DEMO_BY,
            received=EARLIER_RECEIVED,
        )
        if register.current_adoption(EARLIER_YEAR) is None:
            register.adopt(EARLIER_YEAR, scenario=EARLIER_SCENARIO, by=DEMO_BY)
        intake = register.import_intake(
            [data.sample_candidates()],
            plan_year=data.SAMPLE_PLAN_YEAR,
            systems=[data.sample_systems()],
            usage=[data.sample_usage()],
            by=DEMO_BY,
            received=INTAKE_RECEIVED,
        )
        events = register.import_events([demo_events_file()], by=DEMO_BY)
        for read in (earlier.intake, intake.intake, *intake.registries, events.intake):
            if not read.rejections.empty:  # the shipped sample is broken: our error
                raise RuntimeError(f"demo rows not accepted:\n{read.rejections}")
        return DemoResult(
            database=register.where,
            created=created,
            projects=intake.counts()["read"],
            registered=len(earlier.registered) + len(intake.registered),
            submissions=intake.added,
            earlier=earlier.counts()["read"],
            added=events.added,
            already_present=events.already_present,
            source_file=EVENTS_FILE,
            source_sha256=events.intake.sources[0].sha256,
        )


def demo_text(result: DemoResult, db: str | None) -> str:
    # The command to run next names the same register (a server's address without password).
    where = "" if db is None else f" --db {db if '://' not in db else result.database}"
    lines = [
        DB_LABELS["demo_written"].format(where=result.database),
        "  "
        + DB_LABELS["demo_counts"].format(
            projects=result.projects,
            earlier=result.earlier,
            registered=result.registered,
            submissions=result.submissions,
            added=result.added,
            already_present=result.already_present,
        ),
        "  " + DB_LABELS["demo_source"].format(by=DEMO_BY, file=result.source_file),
        "  " + DB_LABELS["demo_next"].format(as_of=DEMO_AS_OF.isoformat(), db=where),
    ]
    if result.created:
        lines.insert(1, "  " + DB_LABELS["demo_created"])
    return "\n".join(lines)


__all__ = [
    "DEMO_AS_OF",
    "DEMO_BY",
    "EVENTS_FILE",
    "DemoResult",
    "Holdings",
    "demo_events_file",
    "demo_text",
    "holdings",
    "write_demo",
]
