"""Alembic's environment for the 项目库: migrations run on the connection that
:mod:`workbench.register.db` passes in (``config.attributes["connection"]``), inside its
transaction, so that an upgrade is applied whole or not at all. SQLite alters tables in batch
mode (copy and move), which is how it can change a column at all."""

from __future__ import annotations

from alembic import context

from workbench.register.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` run by hand without the workbench
    raise RuntimeError("run the register's migrations through workbench.register.db")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
