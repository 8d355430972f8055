"""The register's first version: projects, imports and the append-only events.

Revision ID: 0001
Revises:
Create Date: 2025-07-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Types written out here rather than imported from workbench.register.schema: a migration is
# history and must not change when the schema module does.
AMOUNT = sa.Numeric(20, 6).with_variant(sa.String(40), "sqlite")  # SQLite: exact decimal text
MOMENT = sa.DateTime(timezone=True)
APPEND_ONLY = ("projects", "imports", "events")


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", MOMENT, nullable=False),
        sa.Column("imported_by", sa.Text, nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_accepted", sa.Integer, nullable=False),
        sa.Column("rows_rejected", sa.Integer, nullable=False),
        sa.Column("rows_blank", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imports"),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_key", sa.Text, nullable=False),
        sa.Column("name", sa.Text, server_default="", nullable=False),
        sa.Column("first_seen_at", MOMENT, nullable=False),
        sa.Column("first_seen_by", sa.Text, nullable=False),
        sa.Column("first_import_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
        sa.UniqueConstraint("project_key", name="uq_projects_project_key"),
        sa.ForeignKeyConstraint(
            ["first_import_id"], ["imports.id"], name="fk_projects_first_import_id_imports"
        ),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("event_date", sa.Date, nullable=False),
        sa.Column("amount", AMOUNT, nullable=True),
        sa.Column("note", sa.Text, server_default="", nullable=False),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("recorded_at", MOMENT, nullable=False),
        sa.Column("import_id", sa.Integer, nullable=True),
        sa.Column("source_file", sa.Text, server_default="", nullable=False),
        sa.Column("source_sha256", sa.String(64), server_default="", nullable=False),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("content_key", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("content_key", name="uq_events_content_key"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_events_project_id_projects"
        ),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name="fk_events_import_id_imports"),
    )
    _append_only_triggers()


def _append_only_triggers() -> None:
    """The database itself refuses to change or delete what was recorded (the store only ever
    inserts; this guards against anyone else's UPDATE or DELETE)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION workbench_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'workbench register: % on % refused (append-only)', "
            "TG_OP, TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION workbench_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION workbench_append_only()"
            )
        return
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'workbench register: {action} on {table} refused "
                "(append-only)'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS workbench_append_only()")
    else:
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    op.drop_table("events")
    op.drop_table("projects")
    op.drop_table("imports")
