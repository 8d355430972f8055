"""Where the 项目库 lives, how it is opened, and at which schema version (issue #13, item 1).

The database is named by ``--db URL``, else ``$WORKBENCH_DB``, else ``项目库.sqlite`` in the
working folder. A plain path is an SQLite file; ``postgresql+psycopg://user:pw@host:port/db``
(``postgresql://`` is taken to mean the same) is a PostgreSQL database for shared use by the
bureau and finance.

SQLite is opened for several writers: write-ahead logging (readers never wait for a writer),
foreign keys on, and a busy timeout, so that a second process writing at the same time waits
for the first rather than failing. A write transaction starts with ``BEGIN IMMEDIATE``: it takes
the write lock at its start (waiting up to the timeout), so that a transaction that has read
never has to upgrade to a write lock that another process holds, which SQLite answers with an
error at once instead of waiting (see SQLite's "isolation" and WAL documents). On PostgreSQL, writers
take turns through an advisory lock (:func:`writing`).

The schema is Alembic's (``workbench/register/migrations``), run from here with no alembic.ini.
Every failure a user can cause (a server not running, a wrong password, a file that is not a
database, a database not initialised, at an older or newer version) is a :class:`RegisterError`
with a Chinese message; the library's own words are kept in ``detail`` and the DEBUG log.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from workbench.labels import DB_LABELS

ENV_VAR = "WORKBENCH_DB"
# How long a writer waits for another one (SQLite's busy timeout, seconds): an import of a
# large event table holds the write lock for seconds, not minutes.
BUSY_TIMEOUT_SECONDS = 60
CONNECT_TIMEOUT_SECONDS = 10  # PostgreSQL: a server that does not answer
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Set on a connection (``execution_options``) whose transaction will write: SQLite begins it
# with BEGIN IMMEDIATE (see the module's docstring).
WRITE_OPTION = "workbench_write"
# PostgreSQL's advisory lock that writers of the register take in turn (any fixed number
# serves; this one spells "workbenc" in ASCII).
WRITER_LOCK = 0x776F726B62656E63

logger = logging.getLogger(__name__)


class RegisterError(ValueError):
    """A problem with the register that the user can act on; the message is Chinese and names
    the database. ``detail`` keeps the library's own words for maintainers (``--debug``)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def database_url(given: str | None = None, environ: dict[str, str] | None = None) -> URL:
    """The database to use: ``given`` (``--db``), else ``$WORKBENCH_DB``, else ``项目库.sqlite``
    in the working folder. A text without ``://`` is the path of an SQLite file."""
    env = os.environ if environ is None else environ
    text = (given or env.get(ENV_VAR) or DB_LABELS["default_file"]).strip()
    if "://" not in text:
        path = Path(text).expanduser()
        return URL.create("sqlite", database=str(path if path.is_absolute() else Path.cwd() / path))
    try:
        url = make_url(text)
    except (sa.exc.ArgumentError, ValueError) as exc:
        raise RegisterError(
            DB_LABELS["bad_url"].format(url=_hide_password(text)), str(exc)
        ) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")  # the driver the workbench installs
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise RegisterError(DB_LABELS["no_sqlite_path"])
    elif url.drivername != "postgresql+psycopg":
        raise RegisterError(DB_LABELS["unsupported"].format(backend=url.drivername))
    return url


def _hide_password(text: str) -> str:
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", text)


def describe(url: URL) -> str:
    """The database as a user reads it: an SQLite file's path; a server's URL without the
    password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def create_database_engine(url: URL) -> Engine:
    """An engine for ``url``, set up for several processes writing at once (SQLite) or for a
    server that may not answer (PostgreSQL). Nothing is connected yet."""
    if is_sqlite(url):
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(
        url,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "workbench",
        },
    )


def _sqlite_connect(dbapi_connection: object, _record: object) -> None:
    # pysqlite's own transaction handling begins late and never IMMEDIATE; it is switched off
    # and every transaction is begun in _sqlite_begin (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # The timeout first: switching to WAL takes a lock another process may hold.
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed at the end of the block, rolled back on an error.

    Writers take turns on both databases: on SQLite by BEGIN IMMEDIATE, on PostgreSQL by a
    transaction-level advisory lock. Without turns, two imports inserting the same events in
    different orders (a re-export, rows sorted otherwise) could each wait for the other's key,
    and PostgreSQL would end one of them as a deadlock. Imports are small and rare beside reads,
    which never wait. A writer waits at most ``BUSY_TIMEOUT_SECONDS`` on either database."""
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_SECONDS}s'")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
        yield connection


# What the database says (lower-cased, SQLite's and PostgreSQL's words) → the reason a user
# reads. The first match wins; a message that matches nothing is not the user's to fix and
# stays an internal error (with its traceback in the log).
_REASONS: tuple[tuple[str, str], ...] = (
    (r"database \S+ does not exist", "reason_no_database"),
    (r"password authentication failed|authentication failed|no password supplied", "reason_auth"),
    (r"role \S+ does not exist|pg_hba\.conf", "reason_auth"),
    (
        r"connection refused|could not connect|connection timeout|timeout expired|"
        r"could not translate host name|name or service not known|no route to host|"
        r"network is unreachable|connection is bad|server closed the connection|"
        r"connection failed",
        "reason_unreachable",
    ),
    (r"unable to open database file", "reason_cannot_open_file"),
    (r"file is not a database|file is encrypted", "reason_not_sqlite"),
    (r"database disk image is malformed", "reason_corrupt"),
    (r"database is locked|database table is locked|lock timeout", "reason_busy"),
    (r"readonly database|read-only", "reason_read_only"),
    (r"disk is full|no space left", "reason_disk_full"),
    (r"permission denied|must be owner", "reason_permission"),
)


def database_problem(exc: BaseException) -> str | None:
    """The DB_LABELS key of the reason for ``exc`` (a database error), or None when it is not
    one a user can act on."""
    if isinstance(exc, sa.exc.NoSuchModuleError):
        return "reason_driver"
    if not isinstance(exc, sa.exc.DBAPIError):
        return None
    text = str(getattr(exc, "orig", None) or exc).lower()
    for pattern, key in _REASONS:
        if re.search(pattern, text):
            return key
    return None


@contextlib.contextmanager
def translated_errors(url: URL) -> Iterator[None]:
    """Database errors a user can act on, as a :class:`RegisterError` naming the database."""
    try:
        yield
    except (sa.exc.DBAPIError, sa.exc.NoSuchModuleError) as exc:
        key = database_problem(exc)
        if key is None:
            raise
        detail = f"{type(exc).__name__}: {exc}"
        logger.debug("database %s: %s", describe(url), detail, exc_info=exc)
        reason = DB_LABELS[key].format(seconds=BUSY_TIMEOUT_SECONDS)
        raise RegisterError(
            DB_LABELS["cannot_open"].format(where=describe(url), reason=reason), detail
        ) from None


# ---------------------------------------------------------------------------------------------
# Schema versions


def migrations_config(connection: Connection | None = None):  # -> alembic.config.Config
    """Alembic's configuration, built in code: the migrations inside the package, and the
    connection they run on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The schema version this code is written for."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(migrations_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The database's schema version, or None for a database the register was never created in."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


State = Literal["missing", "older", "current", "newer"]


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str
    state: State


def schema_status(connection: Connection) -> SchemaStatus:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    head = head_revision()
    current = current_revision(connection)
    if current is None:
        return SchemaStatus(None, head, "missing")
    if current == head:
        return SchemaStatus(current, head, "current")
    script = ScriptDirectory.from_config(migrations_config())
    try:
        known = script.get_revision(current) is not None
    except CommandError:
        known = False
    return SchemaStatus(current, head, "older" if known else "newer")


def require_current(connection: Connection, url: URL) -> None:
    """Raise a :class:`RegisterError` unless the database is a register at this code's version."""
    status = schema_status(connection)
    where = describe(url)
    if status.state == "missing":
        raise RegisterError(DB_LABELS["not_initialised"].format(where=where))
    if status.state == "older":
        raise RegisterError(
            DB_LABELS["older"].format(where=where, current=status.current, head=status.head)
        )
    if status.state == "newer":
        raise RegisterError(
            DB_LABELS["newer"].format(where=where, current=status.current, head=status.head)
        )


def open_engine(db: str | URL | None = None) -> tuple[Engine, URL]:
    """An engine for an existing register (``db`` as ``--db`` takes it), at this code's schema
    version. An SQLite file that does not exist is not created here (``db init`` does that)."""
    url = db if isinstance(db, URL) else database_url(db)
    if is_sqlite(url) and not Path(str(url.database)).exists():
        raise RegisterError(DB_LABELS["missing_file"].format(where=describe(url)))
    engine = create_database_engine(url)
    try:
        with translated_errors(url), engine.connect() as connection:
            require_current(connection, url)
    except BaseException:
        engine.dispose()
        raise
    return engine, url


@dataclass(frozen=True)
class Migration:
    """What ``db init`` or ``db upgrade`` did: the database, its version before and after."""

    database: str
    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _user_tables(connection: Connection) -> list[str]:
    return sorted(t for t in sa.inspect(connection).get_table_names() if t != "alembic_version")


def init_database(db: str | URL | None = None) -> Migration:
    """Create the register at the head version. Refuses a database that is already a register
    (at any version: ``db upgrade`` is for that) or that holds other tables."""
    url = db if isinstance(db, URL) else database_url(db)
    engine = create_database_engine(url)
    where = describe(url)
    try:
        with translated_errors(url), writing(engine) as connection:
            status = schema_status(connection)
            if status.state != "missing":
                raise RegisterError(
                    DB_LABELS["already_initialised"].format(where=where, current=status.current)
                )
            tables = _user_tables(connection)
            if tables:
                raise RegisterError(
                    DB_LABELS["foreign_tables"].format(where=where, tables="、".join(tables))
                )
            _migrate(connection, "head")
            return Migration(where, None, status.head)
    finally:
        engine.dispose()


def upgrade_database(db: str | URL | None = None, revision: str = "head") -> Migration:
    """Migrate a register to ``revision`` (the head by default), in one transaction: either
    every step is applied or none. A register at the head is left as it is."""
    url = db if isinstance(db, URL) else database_url(db)
    if is_sqlite(url) and not Path(str(url.database)).exists():
        raise RegisterError(DB_LABELS["missing_file"].format(where=describe(url)))
    engine = create_database_engine(url)
    where = describe(url)
    try:
        with translated_errors(url), writing(engine) as connection:
            status = schema_status(connection)
            if status.state == "missing":
                raise RegisterError(DB_LABELS["not_initialised"].format(where=where))
            if status.state == "newer":
                raise RegisterError(
                    DB_LABELS["newer"].format(where=where, current=status.current, head=status.head)
                )
            if status.state == "older" or revision != "head":
                _migrate(connection, revision)
            return Migration(where, status.current, current_revision(connection) or "")
    finally:
        engine.dispose()


def _migrate(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(migrations_config(connection), revision)


def create_at_revision(db: str | URL, revision: str) -> Migration:
    """A register created at an earlier ``revision`` (tests of the migrations: a database
    "from an older version")."""
    url = db if isinstance(db, URL) else database_url(db)
    engine = create_database_engine(url)
    try:
        with writing(engine) as connection:
            _migrate(connection, revision)
            return Migration(describe(url), None, revision)
    finally:
        engine.dispose()


__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "ENV_VAR",
    "Migration",
    "RegisterError",
    "SchemaStatus",
    "create_at_revision",
    "create_database_engine",
    "current_revision",
    "database_url",
    "describe",
    "head_revision",
    "init_database",
    "open_engine",
    "require_current",
    "schema_status",
    "translated_errors",
    "upgrade_database",
    "writing",
]
