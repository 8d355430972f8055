"""The July intake and the plan: submissions as received, findings at entry, adoptions (审定,
第九条) and every project's decision in them; append-only like the first tables.

Revision ID: 0003
Revises: 0002
Create Date: 2025-08-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Written out here, not imported from workbench.register.schema (a migration is history).
AMOUNT = sa.Numeric(20, 6).with_variant(sa.String(40), "sqlite")  # SQLite: exact decimal text
MOMENT = sa.DateTime(timezone=True)
APPEND_ONLY = ("submissions", "findings", "adoptions", "plan_decisions")


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=False),
        sa.Column("row", sa.JSON, nullable=False),
        sa.Column("checked", sa.JSON, nullable=False),
        sa.Column("row_sha256", sa.String(64), nullable=False),
        sa.Column("previous_id", sa.Integer, nullable=True),
        sa.Column("policy_id", sa.Text, nullable=False),
        sa.Column("policy_sha256", sa.String(64), nullable=False),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("recorded_at", MOMENT, nullable=False),
        sa.Column("import_id", sa.Integer, nullable=True),
        sa.Column("source_file", sa.Text, server_default="", nullable=False),
        sa.Column("source_sha256", sa.String(64), server_default="", nullable=False),
        sa.Column("source_sheet", sa.Text, server_default="", nullable=False),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("content_key", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.UniqueConstraint("content_key", name="uq_submissions_content_key"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_submissions_project_id_projects"
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["submissions.id"], name="fk_submissions_previous_id_submissions"
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_submissions_import_id_imports"
        ),
    )
    op.create_index(
        "ix_submissions_plan_year_project_id", "submissions", ["plan_year", "project_id", "id"]
    )
    op.create_index("ix_submissions_project_id", "submissions", ["project_id", "id"])

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=False),
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("article", sa.Text, server_default="", nullable=False),
        sa.Column("severity", sa.String(32), nullable=False),
        sa.Column("message", sa.Text, server_default="", nullable=False),
        sa.Column("evidence", sa.JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_findings_project_id_projects"
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name="fk_findings_submission_id_submissions"
        ),
    )
    op.create_index("ix_findings_submission_id", "findings", ["submission_id"])
    op.create_index("ix_findings_project_id_plan_year", "findings", ["project_id", "plan_year"])

    op.create_table(
        "adoptions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=False),
        sa.Column("scenario_name", sa.Text, nullable=False),
        sa.Column("scenario_file", sa.Text, server_default="", nullable=False),
        sa.Column("scenario_sha256", sa.String(64), server_default="", nullable=False),
        sa.Column("solve_status", sa.String(32), nullable=False),
        sa.Column("adopted_at", MOMENT, nullable=False),
        sa.Column("adopted_by", sa.Text, nullable=False),
        sa.Column("supersedes_id", sa.Integer, nullable=True),
        sa.Column("provenance", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_adoptions"),
        sa.UniqueConstraint("supersedes_id", name="uq_adoptions_supersedes_id"),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["adoptions.id"], name="fk_adoptions_supersedes_id_adoptions"
        ),
    )
    op.create_index("ix_adoptions_plan_year", "adoptions", ["plan_year", "id"])

    op.create_table(
        "plan_decisions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("adoption_id", sa.Integer, nullable=True),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=False),
        sa.Column("scenario_name", sa.Text, nullable=False),
        sa.Column("scenario_sha256", sa.String(64), server_default="", nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, server_default="", nullable=False),
        sa.Column("article", sa.Text, server_default="", nullable=False),
        sa.Column("amount", AMOUNT, nullable=True),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("recorded_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_decisions"),
        sa.ForeignKeyConstraint(
            ["adoption_id"], ["adoptions.id"], name="fk_plan_decisions_adoption_id_adoptions"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_plan_decisions_project_id_projects"
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name="fk_plan_decisions_submission_id_submissions",
        ),
    )
    op.create_index("ix_plan_decisions_adoption_id", "plan_decisions", ["adoption_id"])
    op.create_index(
        "ix_plan_decisions_project_id_plan_year", "plan_decisions", ["project_id", "plan_year"]
    )
    _append_only_triggers()


def _append_only_triggers() -> None:
    """As migration 0001 does for the first tables: the database refuses UPDATE and DELETE
    (and, on PostgreSQL, TRUNCATE) on the new tables, through 0001's trigger function there."""
    if op.get_bind().dialect.name == "postgresql":
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
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    op.drop_index("ix_plan_decisions_project_id_plan_year", table_name="plan_decisions")
    op.drop_index("ix_plan_decisions_adoption_id", table_name="plan_decisions")
    op.drop_table("plan_decisions")
    op.drop_index("ix_adoptions_plan_year", table_name="adoptions")
    op.drop_table("adoptions")
    op.drop_index("ix_findings_project_id_plan_year", table_name="findings")
    op.drop_index("ix_findings_submission_id", table_name="findings")
    op.drop_table("findings")
    op.drop_index("ix_submissions_project_id", table_name="submissions")
    op.drop_index("ix_submissions_plan_year_project_id", table_name="submissions")
    op.drop_table("submissions")
