"""The 项目库's Alembic migrations, run by :mod:`workbench.register.db` (no alembic.ini)."""
