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

Later parts of the register (July submissions as received, findings at entry, plan decisions
per year and scenario, the adopted plan) fit as further tables that refer to ``projects.id``
and ``imports.id`` in the same append-only way, or as further event kinds.
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
    kind: Mapped[str] = mapped_column(sa.String(32))  # "events"; later: "intake", …
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
    recorded_by: Mapped[str] = mapped_column(sa.Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id"))
    source_file: Mapped[str] = mapped_column(sa.Text, server_default="")
    source_sha256: Mapped[str] = mapped_column(sa.String(64), server_default="")
    source_sheet: Mapped[str] = mapped_column(sa.Text, server_default="")  # 0002
    source_row: Mapped[int | None] = mapped_column(sa.Integer)
    content_key: Mapped[str] = mapped_column(sa.String(64), unique=True)


# Register kinds of event beside the pack's lifecycle events: what the register itself records.
RENAMED = "renamed"
REGISTER_KINDS = (RENAMED,)

metadata = Base.metadata
projects = Project.__table__
imports = Import.__table__
events = Event.__table__

__all__ = [
    "AMOUNT_PLACES",
    "REGISTER_KINDS",
    "RENAMED",
    "Base",
    "Event",
    "ExactAmount",
    "Import",
    "Project",
    "UTCDateTime",
    "events",
    "imports",
    "metadata",
    "projects",
]
