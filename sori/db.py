"""One database per service: a SQLite file under SORI_HOME, or a PostgreSQL schema when DATABASE_URL says so."""

import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import MetaData, event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.util import await_

from sori.settings import Settings


def database_url(settings: Settings, service: str) -> str:
    if settings.database_url:
        url = settings.database_url
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                url = "postgresql+asyncpg://" + url.removeprefix(plain)
        return url
    settings.home.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{settings.home / service}.db"


class Database:
    """The engine, sessions and schema of one service; `transaction()` is the one place a write commits (or `Held`,
    for a command that records its answer with its writes)."""

    def __init__(self, settings: Settings, service: str, metadata: MetaData) -> None:
        self.metadata = metadata
        self.schema = f"{settings.database_schema_prefix}{service}"
        url = database_url(settings, service)
        self.is_postgres = url.startswith("postgresql")
        options: dict[str, Any] = {}
        if self.is_postgres:
            options = {"schema_translate_map": {None: self.schema}}
        self.engine: AsyncEngine = create_async_engine(
            url,
            execution_options=options,
            # No overflow: SQLAlchemy closes an overflow connection when it is handed back, so a burst opened and
            # closed ~15 PostgreSQL connections a second (drafting at 200/s), each a new backend and asyncpg's type
            # introspection. The cap is the default's (5 + 10); the connections stay once opened.
            pool_size=settings.database_pool_size,
            max_overflow=0,
        )
        if self.is_postgres:
            event.listen(self.engine.sync_engine, "checkin", _note_return)
            event.listen(self.engine.sync_engine, "checkout", _checking_liveness(settings.database_ping_after_seconds))
        else:
            event.listen(self.engine.sync_engine, "connect", tune_sqlite)
        self.sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        self._after_commit: list[tuple[Callable[[], None], str | None]] = []

    def after_commit(self, callback: Callable[[], None], *, wrote: str | None = None) -> None:
        """Call `callback` after each commit of `transaction()`; with `wrote`, only after one that noted writing it
        (`note_written`): a relay or sender woken by every commit would look for work most commits did not make."""
        self._after_commit.append((callback, wrote))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        held = HELD.get()
        if held is not None:
            async with held.holding(self) as session:
                yield session
            return
        async with self.sessions() as session:
            async with session.begin():
                yield session
            written: set[str] = session.info.get(WRITTEN, set())
        self._committed(written)

    def _committed(self, written: set[str]) -> None:
        for callback, wrote in self._after_commit:
            if wrote is None or wrote in written:
                callback()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    async def create_schema(self) -> None:
        async with self.engine.begin() as conn:
            if self.is_postgres:
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
            await conn.run_sync(self.metadata.create_all)

    async def drop_schema(self) -> None:
        async with self.engine.begin() as conn:
            if self.is_postgres:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            else:
                await conn.run_sync(self.metadata.drop_all)
                await conn.execute(text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


class Held:
    """A command's one write transaction, begun with `first` and held open past the end of its block until `commit`
    (or `rollback`): what the command answers is then written in the same transaction as what it did.

    Set in `HELD` around a command (sori.idempotency does, for an Idempotency-Key); `transaction()` holds the first
    transaction the command opens, and refuses a second one, which could not commit with it.
    """

    def __init__(self, first: Callable[[AsyncSession], Awaitable[None]]) -> None:
        self.first = first
        self.session: AsyncSession | None = None
        self._database: Database | None = None

    @asynccontextmanager
    async def holding(self, database: Database) -> AsyncIterator[AsyncSession]:
        if self.session is not None:
            raise RuntimeError("a command with an Idempotency-Key writes in one transaction, and this is a second")
        session = database.sessions()
        try:
            await session.begin()
            await self.first(session)
            yield session
            await session.flush()
        except BaseException:
            await session.close()  # rolls back
            raise
        self.session, self._database = session, database

    async def commit(self, last: Callable[[AsyncSession], Awaitable[None]]) -> None:
        session, database, self.session = self.session, self._database, None
        assert session is not None, "nothing held"
        assert database is not None
        try:
            await last(session)
            await session.commit()
            written: set[str] = session.info.get(WRITTEN, set())
        finally:
            await session.close()
        database._committed(written)

    async def rollback(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            await session.close()


HELD: ContextVar[Held | None] = ContextVar("sori_held_transaction", default=None)

RETURNED_AT = "sori_returned_at"
# Where each service's database records its migrations' revision (sori.migrations).
VERSION_TABLE = "alembic_version"
WRITTEN = "sori_written"


def note_written(session: AsyncSession, what: str) -> None:
    """Tell the callbacks waiting for `what` (see `Database.after_commit`) that this transaction wrote it."""
    session.info.setdefault(WRITTEN, set()).add(what)


def _note_return(_dbapi_connection: Any, record: Any) -> None:
    record.info[RETURNED_AT] = time.monotonic()


def _checking_liveness(ping_after: float) -> Callable[[Any, Any, Any], None]:
    """A pooled connection that PostgreSQL has dropped (a restart, a failover) is replaced before a request uses it.

    A connection whose server hung up is known closed without a round trip. Past that, one that rested over
    `ping_after` seconds is pinged: one round trip in the simple query protocol (SQLAlchemy's own pre-ping takes three
    with asyncpg: BEGIN, ";", ROLLBACK). A busy service's connections rest milliseconds, and pinging each use cost
    roadmaps ~8 % of its CPU while drafting at 200/s (profiled); HikariCP skips its check within 500 ms the same way.
    """

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        driver = dbapi_connection.driver_connection
        if driver.is_closed():
            raise DisconnectionError("pooled connection was closed by the server")
        if time.monotonic() - record.info.get(RETURNED_AT, -math.inf) < ping_after:
            return
        try:
            await_(driver.execute("SELECT 1"))
        except Exception as lost:
            # The pool throws this connection away and checks out another (SQLAlchemy tries three times).
            raise DisconnectionError(f"pooled connection is gone: {lost!r}") from lost

    return check


def tune_sqlite(dbapi_connection: Any, _record: Any, busy_seconds: float = 10.0) -> None:
    # WAL lets the outbox relay read while a request writes; the timeout rides out short write locks. It comes first:
    # turning a new file to WAL takes a lock too, which a process starting beside it (the bridge reading the worker's
    # file) may hold, and the driver's own default wait is 5 s.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={busy_seconds * 1000:.0f}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
