"""Each service's schema follows its own Alembic revisions, recorded in its own version table in its own database
(a SQLite file) or PostgreSQL schema. One runner serves them all: the library knows no service, so each service's
spec names its models (metadata) and the folder of its revisions (ServiceSpec.migrations).

Alembic's environment (env.py and the template of a new revision) is shared, in sori/alembic/; a service owns only
its revisions. A database made by `create_all` before there were migrations is stamped at the first revision once
its tables are found to be the ones that revision makes, then upgraded like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection, MetaData, create_engine, event, inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from sori.db import VERSION_TABLE, tune_sqlite

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from alembic.autogenerate.api import AutogenContext
    from alembic.runtime.environment import EnvironmentContext

    from sori.db import Database


ENVIRONMENT = Path(__file__).parent / "alembic"
# How long a migration waits for another process's write lock on a SQLite file before giving up.
SQLITE_BUSY_SECONDS = 30.0


class MigrationRefused(Exception):
    """A database this code must not touch; the message says why and what to do."""


class NewerThanCode(MigrationRefused):
    """The database was migrated by a newer SoRi: this code would misread tables it does not know."""

    def __init__(self, service: str, found: str, head: str | None) -> None:
        super().__init__(
            f"{service}: the database is at revision {found}, which this code does not know (its newest is {head}); "
            "it was migrated by a newer SoRi: run that version, or restore a backup this version made"
        )


class NotMadeBySoRi(MigrationRefused):
    """Tables without a version table that are not the ones the first revision makes: stamping them would lie."""


@dataclass(frozen=True)
class Migration:
    """What `migrate` did to one service's database."""

    service: str
    found: str | None  # the revision found; None: an empty database
    head: str | None
    stamped: bool = False  # tables made before migrations, stamped at `found`, the first revision

    def __str__(self) -> str:
        if self.stamped:
            return f"{self.service}: tables from before migrations stamped at {self.found} → {self.head}"
        if self.found == self.head:
            return f"{self.service}: at head ({self.head})"
        return f"{self.service}: {self.found or 'empty'} → {self.head}"


async def migrate(db: Database, service: str, revisions: Path) -> Migration:
    """Bring a service's database to the newest revision its code knows; refuse one newer than the code."""
    async with _migrating(db) as conn:
        return await conn.run_sync(lambda sync: _migrate(sync, db.metadata, service, revisions))


async def differences(db: Database) -> list[Any]:
    """What autogenerate finds between the database and the models: empty when the revisions make the models."""
    async with _migrating(db) as conn:
        return await conn.run_sync(lambda sync: _differences(sync, db.metadata))


async def upgrade_to(db: Database, revisions: Path, revision: str) -> None:
    """Run the revisions up to `revision` (an upgrade test's "before" state)."""
    async with _migrating(db) as conn:
        await conn.run_sync(lambda sync: command.upgrade(_config(revisions, sync, db.metadata), revision))


def write_revision(metadata: MetaData, revisions: Path, message: str) -> Path | None:
    """Autogenerate a revision from what the models changed since the head (on a scratch SQLite database, whose
    batch operations PostgreSQL runs as plain ALTERs); None when nothing changed."""
    revisions.mkdir(parents=True, exist_ok=True)
    with _scratch() as scratch:
        config = _config(revisions, scratch, metadata)
        command.upgrade(config, "head")
        if not _differences(scratch, metadata):
            return None
        script = command.revision(config, message=message, autogenerate=True)
    assert isinstance(script, Script)
    return Path(script.path)


def revision_ids(revisions: Path) -> list[str]:
    """The revisions from the first to the head."""
    script = ScriptDirectory.from_config(_config(revisions))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def configure(context: EnvironmentContext) -> None:
    """What env.py runs: the revisions on the connection the runner holds."""
    connection: Connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=context.config.attributes.get("metadata"),
        version_table=VERSION_TABLE,
        # SQLite alters a table by copying it: batch mode does, where PostgreSQL runs the ALTER itself.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_importing_types,
    )
    with context.begin_transaction():
        context.run_migrations()


def _importing_types(kind: str, item: Any, autogen_context: AutogenContext) -> Literal[False]:
    """A revision imports the modules of the column types it names that are not SQLAlchemy's (SoRi's, SQLModel's),
    which Alembic would name without importing; the rendering stays Alembic's."""
    module = type(item).__module__
    if kind == "type" and not module.startswith("sqlalchemy"):
        autogen_context.imports.add(f"import {module}")
    return False


def _migrate(conn: Connection, metadata: MetaData, service: str, revisions: Path) -> Migration:
    config = _config(revisions, conn, metadata)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    found = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()
    stamped = False
    if found is None and _tables(conn):
        found = script.get_base()
        assert found is not None, f"{service} has tables but no revisions in {revisions}"
        _check_made_by(conn, revisions, found, service)
        command.stamp(config, found)
        stamped = True
    elif found is not None and found not in {r.revision for r in script.walk_revisions()}:
        raise NewerThanCode(service, found, head)
    if found != head:
        command.upgrade(config, "head")
    return Migration(service, found, head, stamped)


def _check_made_by(conn: Connection, revisions: Path, first: str, service: str) -> None:
    """The tables and columns must be the first revision's (compared by name: its types are the dialect's)."""
    with _scratch() as scratch:
        command.upgrade(_config(revisions, scratch), first)
        expected = _tables(scratch)
    found = _tables(conn)
    if found != expected:
        wrong = sorted(name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name))
        raise NotMadeBySoRi(
            f"{service}: the database has tables but no version table, and they are not the ones revision {first} "
            f"makes (these differ: {', '.join(wrong)}); it was not made by a SoRi this code can upgrade"
        )


def _differences(conn: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "compare_type": True})
    found: list[Any] = compare_metadata(context, metadata)
    return found


def _tables(conn: Connection) -> dict[str, set[str]]:
    inspector = inspect(conn)
    return {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        if table != VERSION_TABLE
    }


def _config(revisions: Path, connection: Connection | None = None, metadata: MetaData | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ENVIRONMENT).replace("%", "%%"))
    config.set_main_option("version_locations", str(revisions).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes.update(connection=connection, metadata=metadata)
    # A written revision comes out as `make lint` wants it.
    config.set_section_option("post_write_hooks", "hooks", "ruff_check, ruff_format")
    for hook, options in (("ruff_check", "check --fix --quiet"), ("ruff_format", "format --quiet")):
        config.set_section_option("post_write_hooks", f"{hook}.type", "module")
        config.set_section_option("post_write_hooks", f"{hook}.module", "ruff")
        config.set_section_option("post_write_hooks", f"{hook}.options", f"{options} REVISION_SCRIPT_FILENAME")
    return config


@asynccontextmanager
async def _migrating(db: Database) -> AsyncIterator[AsyncConnection]:
    """A connection of its own, in one transaction, on the service's schema alone.

    On PostgreSQL the search path also puts there what the revisions name in plain SQL, and inspection looks there
    (the dialect's default schema); an advisory lock keeps two processes that start at once (replicas) from
    migrating the same schema together: the second finds the first's work done.
    """
    # Translated like the service's own statements, so that its enum types are named with their schema: one called
    # `position` is a syntax error unqualified.
    options = {"schema_translate_map": {None: db.schema}} if db.is_postgres else {}
    engine = create_async_engine(db.engine.url, poolclass=NullPool, execution_options=options)
    if not db.is_postgres:
        event.listen(engine.sync_engine, "connect", _one_sqlite_transaction)
        event.listen(engine.sync_engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    try:
        async with engine.begin() as conn:
            if db.is_postgres:
                await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:schema))"), {"schema": db.schema})
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{db.schema}"'))
                await conn.execute(text(f'SET LOCAL search_path TO "{db.schema}"'))
                conn.sync_connection.dialect.default_schema_name = db.schema  # type: ignore[union-attr]
            yield conn
    finally:
        await engine.dispose()


def _one_sqlite_transaction(dbapi_connection: Any, record: Any) -> None:
    """Python's sqlite3 commits before each CREATE or ALTER of its own accord: a migration cut short would leave
    half a schema (and each commit waits on the disk). Left to SQLAlchemy's BEGIN, the whole migration is one
    transaction; IMMEDIATE takes the write lock at once, so two processes migrating one file take turns."""
    tune_sqlite(dbapi_connection, record, busy_seconds=SQLITE_BUSY_SECONDS)
    dbapi_connection.isolation_level = None


@contextmanager
def _scratch() -> Iterator[Connection]:
    """An in-memory SQLite database for one comparison, gone when the block ends."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()
