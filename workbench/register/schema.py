"""The 项目库's tables (issue #13, item 2), as SQLAlchemy 2 declarative classes at the head of
the migrations (``workbench/register/migrations``; a change here is a new migration there).

- ``projects``: a project's stable identity across years. ``project_key`` is the 项目编号 as
  first submitted; ``id`` is the register's own number, which everything else refers to, so
  that a later migration can map other numbers (a resubmission under a new 项目编号) to the same
  project. ``name`` is the name it was registered under: a rename is an event (``renamed``),
  so the name at any date is derived, and nothing here is ever changed.
- ``imports``: every file imported, with its name, SHA-256, when, by whom and its rows
  (read, accepted, rejected, blank). An import that adds nothing is recorded too: it happened.
- ``events``: append-only. One row per event of a project's life: the kind (the policy pack's
  ``lifecycle.events`` key, or a register kind such as ``renamed``), its date, an exact amount
  in 万元, a note, who recorded it and when (UTC), and where it came from (file, SHA-256, sheet,
  row, import). ``content_key`` makes recording idempotent: the same event from the same or a
  re-exported file is recorded once (see :mod:`workbench.register.store`).

Nothing is updated or deleted: the store only inserts, and triggers (migration 0001) refuse an
UPDATE or DELETE on these tables in the database itself. Current state is derived from the
events, so any past state can be reconstructed.

Migration 0003 adds the July intake and the plan, in the same append-only way:

- ``submissions``: each project's row of a July intake for a plan year, as accepted (every
  intake column by its contract key, amounts as exact decimal strings), with what the check
  derived from it (``checked``: effective category, route, pool), the policy pack it was
  checked against, its source (file, SHA-256, sheet, row, import) and who recorded it when. A
  row is recorded when it differs from the project's latest submission for that year
  (``row_sha256``; ``previous_id`` is the one it follows), so importing a file twice adds
  nothing (``content_key``, see :mod:`workbench.register.intake_import`).
- ``findings``: the check's findings at entry, one row each, for the submission they were
  found on.
- ``adoptions``: a plan adopted (审定, 第九条) for a year under a scenario (its name, file and
  SHA-256), by whom, when; a later adoption of the same year names the one it supersedes
  (``supersedes_id``), which stays as it was.
- ``plan_decisions``: every project's decision in an adopted plan: status, reason, article and
  the plan year's amount, with the submission it was drawn from. ``adoption_id`` is empty for
  a decision not (yet) adopted; today every decision is recorded by ``db adopt``.

Migration 0004 adds an event's conclusion (``events.result``: an evaluation's 结论, the pack's
``results``) and ``registry_rows`` (the registry of built systems, usage and commitments a July
intake brings, see :class:`RegistryRow`), append-only too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Constraint names as the migrations write them (batch migrations on SQLite need names).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AMOUNT_PLACES = 6  # 万元 to six places is one 分: every amount a budget writes is exact
AMOUNT_QUANTUM = Decimal(1).scaleb(-AMOUNT_PLACES)


class ExactAmount(TypeDecorator[Decimal]):
    """An amount in 万元, exact to the 分: NUMERIC(20, 6) on PostgreSQL; on SQLite, which has
    no exact decimal type (its NUMERIC is a binary float), the decimal text."""

    impl = sa.Numeric(20, AMOUNT_PLACES)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(40))
        return dialect.type_descriptor(sa.Numeric(20, AMOUNT_PLACES, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> object:
        if value is None:
            return None
        exact = Decimal(value).quantize(AMOUNT_QUANTUM)
        if exact != value:
            raise ValueError(f"amount {value} has more than {AMOUNT_PLACES} decimal places")
        return format(exact, "f") if dialect.name == "sqlite" else exact

    def process_result_value(self, value: object, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(AMOUNT_QUANTUM)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A moment in UTC: ``timestamptz`` on PostgreSQL, UTC text on SQLite; always read back
    as an aware datetime in UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> object:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a recorded time must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> object:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    project_key: Mapped[str] = mapped_column(sa.Text, unique=True)
    name: Mapped[str] = mapped_column(sa.Text, server_default="")
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    first_seen_by: Mapped[str] = mapped_column(sa.Text)
    first_import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))


class Import(Base):
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))  # "events", "intake", "systems", "usage"
    file_name: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    imported_by: Mapped[str] = mapped_column(sa.Text)
    rows_read: Mapped[int] = mapped_column(sa.Integer)
    rows_accepted: Mapped[int] = mapped_column(sa.Integer)
    rows_rejected: Mapped[int] = mapped_column(sa.Integer)
    rows_blank: Mapped[int] = mapped_column(sa.Integer)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        # Migration 0002: a project's history in date order, and every event up to a date.
        sa.Index("ix_events_project_id_event_date", "project_id", "event_date", "id"),
        sa.Index("ix_events_kind_event_date", "kind", "event_date"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"))
    kind: Mapped[str] = mapped_column(sa.String(64))
    event_date: Mapped[dt.date] = mapped_column(sa.Date)
    amount: Mapped[Decimal | None] = mapped_column(ExactAmount())
    note: Mapped[str] = mapped_column(sa.Text, server_default="")
    result: Mapped[str] = mapped_column(sa.Text, server_default="")  # 0004: 结论
    recorded_by: Mapped[str] = mapped_column(sa.Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))
    source_file: Mapped[str] = mapped_column(sa.Text, server_default="")
    source_sha256: Mapped[str] = mapped_column(sa.String(64), server_default="")
    source_sheet: Mapped[str] = mapped_column(sa.Text, server_default="")  # 0002
    source_row: Mapped[int | None] = mapped_column(sa.Integer)
    content_key: Mapped[str] = mapped_column(sa.String(64), unique=True)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        # Migration 0003: a year's latest submission per project; a project's submissions.
        sa.Index("ix_submissions_plan_year_project_id", "plan_year", "project_id", "id"),
        sa.Index("ix_submissions_project_id", "project_id", "id"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"))
    plan_year: Mapped[int] = mapped_column(sa.Integer)
    row: Mapped[dict] = mapped_column(sa.JSON)
    checked: Mapped[dict] = mapped_column(sa.JSON)
    row_sha256: Mapped[str] = mapped_column(sa.String(64))
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submissions.id"))
    policy_id: Mapped[str] = mapped_column(sa.Text)
    policy_sha256: Mapped[str] = mapped_column(sa.String(64))
    recorded_by: Mapped[str] = mapped_column(sa.Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))
    source_file: Mapped[str] = mapped_column(sa.Text, server_default="")
    source_sha256: Mapped[str] = mapped_column(sa.String(64), server_default="")
    source_sheet: Mapped[str] = mapped_column(sa.Text, server_default="")
    source_row: Mapped[int | None] = mapped_column(sa.Integer)
    content_key: Mapped[str] = mapped_column(sa.String(64), unique=True)


class Finding(Base):
    __tablename__ = "findings"
    __table_args__ = (
        sa.Index("ix_findings_submission_id", "submission_id"),
        sa.Index("ix_findings_project_id_plan_year", "project_id", "plan_year"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"))
    plan_year: Mapped[int] = mapped_column(sa.Integer)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"))
    rule: Mapped[str] = mapped_column(sa.String(64))
    article: Mapped[str] = mapped_column(sa.Text, server_default="")
    severity: Mapped[str] = mapped_column(sa.String(32))
    message: Mapped[str] = mapped_column(sa.Text, server_default="")
    evidence: Mapped[dict | None] = mapped_column(sa.JSON)


class Adoption(Base):
    __tablename__ = "adoptions"
    __table_args__ = (sa.Index("ix_adoptions_plan_year", "plan_year", "id"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    plan_year: Mapped[int] = mapped_column(sa.Integer)
    scenario_name: Mapped[str] = mapped_column(sa.Text)
    scenario_file: Mapped[str] = mapped_column(sa.Text, server_default="")
    scenario_sha256: Mapped[str] = mapped_column(sa.String(64), server_default="")
    solve_status: Mapped[str] = mapped_column(sa.String(32))
    adopted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    adopted_by: Mapped[str] = mapped_column(sa.Text)
    # A chain, never a fork: no two adoptions supersede the same one.
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("adoptions.id"), unique=True)
    provenance: Mapped[dict] = mapped_column(sa.JSON)


class PlanDecision(Base):
    __tablename__ = "plan_decisions"
    __table_args__ = (
        sa.Index("ix_plan_decisions_adoption_id", "adoption_id"),
        sa.Index("ix_plan_decisions_project_id_plan_year", "project_id", "plan_year"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    adoption_id: Mapped[int | None] = mapped_column(sa.ForeignKey("adoptions.id"))
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"))
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"))
    plan_year: Mapped[int] = mapped_column(sa.Integer)
    scenario_name: Mapped[str] = mapped_column(sa.Text)
    scenario_sha256: Mapped[str] = mapped_column(sa.String(64), server_default="")
    status: Mapped[str] = mapped_column(sa.String(32))
    reason: Mapped[str] = mapped_column(sa.Text, server_default="")
    article: Mapped[str] = mapped_column(sa.Text, server_default="")
    amount: Mapped[Decimal | None] = mapped_column(ExactAmount())
    recorded_by: Mapped[str] = mapped_column(sa.Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class RegistryRow(Base):
    """Migration 0004: a row of the tables a July intake brings beside the submissions (the
    registry of built systems, their monthly usage, the commitments made before the register),
    as accepted: ``table`` is the intake contract (``systems``, ``usage``, ``commitments``),
    ``row_key`` the row's identity in it (系统编号; 系统编号 and 月份; 承诺编号), ``row`` every
    column by its contract key as JSON (as submissions are kept). A row is recorded when it
    differs from the latest row of the same key (``previous_id``); the latest is in force, so
    usage accumulates month by month and a system's later row supersedes its earlier one."""

    __tablename__ = "registry_rows"
    __table_args__ = (sa.Index("ix_registry_rows_table_row_key", "table", "row_key", "id"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    table: Mapped[str] = mapped_column(sa.String(32))
    row_key: Mapped[str] = mapped_column(sa.Text)
    row: Mapped[dict] = mapped_column(sa.JSON)
    row_sha256: Mapped[str] = mapped_column(sa.String(64))
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registry_rows.id"))
    recorded_by: Mapped[str] = mapped_column(sa.Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))
    source_file: Mapped[str] = mapped_column(sa.Text, server_default="")
    source_sha256: Mapped[str] = mapped_column(sa.String(64), server_default="")
    source_sheet: Mapped[str] = mapped_column(sa.Text, server_default="")
    source_row: Mapped[int | None] = mapped_column(sa.Integer)
    content_key: Mapped[str] = mapped_column(sa.String(64), unique=True)


# Register kinds of event beside the pack's lifecycle events: what the register itself records.
RENAMED = "renamed"
REGISTER_KINDS = (RENAMED,)

metadata = Base.metadata
projects = Project.__table__
imports = Import.__table__
events = Event.__table__
submissions = Submission.__table__
findings = Finding.__table__
adoptions = Adoption.__table__
plan_decisions = PlanDecision.__table__
registry_rows = RegistryRow.__table__

__all__ = [
    "AMOUNT_PLACES",
    "REGISTER_KINDS",
    "RENAMED",
    "Adoption",
    "Base",
    "Event",
    "ExactAmount",
    "Finding",
    "Import",
    "PlanDecision",
    "Project",
    "RegistryRow",
    "Submission",
    "UTCDateTime",
    "adoptions",
    "events",
    "findings",
    "imports",
    "metadata",
    "plan_decisions",
    "projects",
    "registry_rows",
    "submissions",
]
