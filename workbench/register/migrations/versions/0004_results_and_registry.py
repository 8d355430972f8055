"""An event's conclusion (结论 of an evaluation) and the registry rows a July intake brings
(built systems, monthly usage, commitments made before the register); append-only.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)
TABLE = "registry_rows"


def upgrade() -> None:
    # A column with a default: existing events read as without a conclusion. SQLite adds it in
    # place (no table copy, so the append-only triggers stay as they are).
    op.add_column("events", sa.Column("result", sa.Text, server_default="", nullable=False))
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("table", sa.String(32), nullable=False),
        sa.Column("row_key", sa.Text, nullable=False),
        sa.Column("row", sa.JSON, nullable=False),
        sa.Column("row_sha256", sa.String(64), nullable=False),
        sa.Column("previous_id", sa.Integer, nullable=True),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("recorded_at", MOMENT, nullable=False),
        sa.Column("import_id", sa.Integer, nullable=True),
        sa.Column("source_file", sa.Text, server_default="", nullable=False),
        sa.Column("source_sha256", sa.String(64), server_default="", nullable=False),
        sa.Column("source_sheet", sa.Text, server_default="", nullable=False),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("content_key", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_rows"),
        sa.UniqueConstraint("content_key", name="uq_registry_rows_content_key"),
        sa.ForeignKeyConstraint(
            ["previous_id"], [f"{TABLE}.id"], name="fk_registry_rows_previous_id_registry_rows"
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_registry_rows_import_id_imports"
        ),
    )
    op.create_index("ix_registry_rows_table_row_key", TABLE, ["table", "row_key", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION workbench_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION workbench_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'workbench register: {action} on {TABLE} refused "
            "(append-only)'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
    op.drop_index("ix_registry_rows_table_row_key", table_name=TABLE)
    op.drop_table(TABLE)
    op.drop_column("events", "result")  # SQLite ≥ 3.35 drops a column in place
