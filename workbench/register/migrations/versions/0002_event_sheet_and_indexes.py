"""Events name the worksheet they came from; indexes for a project's history and for every
event up to a date.

A workbook holds several sheets, so a row number alone does not say where an event was read
(the first version kept file and row). The indexes serve ``history`` (one project's events in
date order) and the obligations (events of some kinds up to a date).

Revision ID: 0002
Revises: 0001
Create Date: 2025-07-15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite adds a column in place (no table copy), so the append-only triggers stay.
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("source_sheet", sa.Text, server_default="", nullable=False))
    op.create_index("ix_events_project_id_event_date", "events", ["project_id", "event_date", "id"])
    op.create_index("ix_events_kind_event_date", "events", ["kind", "event_date"])


def downgrade() -> None:
    op.drop_index("ix_events_kind_event_date", table_name="events")
    op.drop_index("ix_events_project_id_event_date", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("source_sheet")
