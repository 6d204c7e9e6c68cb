"""Each service's database to a file and back: SQLite through its online backup API (a consistent copy while the
service writes), a PostgreSQL schema through pg_dump and pg_restore."""

import asyncio
import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import Connection, MetaData, column, create_engine, inspect, select, table
from sqlalchemy.engine import make_url

from sori.db import Database, database_url
from sori.settings import Settings

# Alembic's version table: its default name, or one per service that begins with it.
VERSION_TABLE = "alembic_version"
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


class BackupFailed(Exception):
    pass


def sqlite_file(settings: Settings, service: str) -> Path:
    """Where the service keeps its SQLite database (sori.db's choice)."""
    return Path(str(make_url(database_url(settings, service)).database))


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a database that others may be writing; the copy is one file, out of WAL mode."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")


def remove_sqlite(path: Path) -> None:
    """The database and what SQLite keeps beside it: a write-ahead log left from another database must not be
    replayed into the one put in its place."""
    for suffix in ("", *SQLITE_COMPANIONS):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def revision_in(connection: Connection, schema: str | None) -> str | None:
    """The schema revision Alembic recorded, None where it has recorded none (a database older than migrations)."""
    names = [name for name in inspect(connection).get_table_names(schema=schema) if name.startswith(VERSION_TABLE)]
    for name in sorted(names):
        found = connection.execute(select(column("version_num")).select_from(table(name, schema=schema))).scalar()
        if found:
            return str(found)
    return None


def sqlite_revision(path: Path) -> str | None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return revision_in(connection, None)
    finally:
        engine.dispose()


async def postgres_schema(settings: Settings, service: str) -> tuple[str, bool, str | None]:
    """The service's schema, whether it exists, and its revision."""
    db = Database(settings, service, MetaData())
    try:
        async with db.engine.connect() as connection:
            exists = await connection.run_sync(lambda c: db.schema in inspect(c).get_schema_names())
            revision = await connection.run_sync(revision_in, db.schema) if exists else None
        return db.schema, exists, revision
    finally:
        await db.dispose()


def _libpq_env(settings: Settings) -> dict[str, str]:
    """Where pg_dump and pg_restore connect, as libpq's variables: a password in their arguments would show in `ps`."""
    url = make_url(str(settings.database_url))
    given = {"PGHOST": url.host, "PGPORT": url.port, "PGUSER": url.username, "PGPASSWORD": url.password}
    given["PGDATABASE"] = url.database
    return os.environ | {name: str(value) for name, value in given.items() if value is not None}


async def _run(settings: Settings, *argv: str) -> None:
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, env=_libpq_env(settings), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
    except FileNotFoundError as missing:
        raise BackupFailed(f"{argv[0]} is not installed: PostgreSQL's client tools are needed") from missing
    _, said = await process.communicate()
    if process.returncode != 0:
        raise BackupFailed(f"{argv[0]} failed ({process.returncode}): {said.decode(errors='replace').strip()}")


async def dump_schema(settings: Settings, schema: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    await _run(settings, "pg_dump", "--format=custom", "--no-owner", f"--schema={schema}", f"--file={target}")


async def restore_schema(settings: Settings, service: str, dump: Path | None) -> None:
    """The service's schema as the dump has it, or gone when there is no dump (it did not exist then)."""
    db = Database(settings, service, MetaData())
    try:
        await db.drop_schema()
    finally:
        await db.dispose()
    if dump is not None:
        database = f"--dbname={make_url(str(settings.database_url)).database}"
        await _run(settings, "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", database, str(dump))
