"""A service's pool: connections outlive a burst, and one PostgreSQL dropped is replaced before a request uses it."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

from services.progress.models import ProgressTable
from sori.db import Database
from sori.settings import Settings
from tests.polling import eventually
from tests.support.databases import DATABASES, POSTGRES_URL

pytestmark = pytest.mark.service


async def test_every_connection_a_burst_opened_stays_in_the_pool(progress_db: Database, settings: Settings) -> None:
    burst = settings.database_pool_size
    all_holding = asyncio.Barrier(burst)

    async def hold_a_connection() -> None:
        async with progress_db.reading() as session:
            await session.execute(text("SELECT 1"))
            await all_holding.wait()

    await asyncio.wait_for(asyncio.gather(*(hold_a_connection() for _ in range(burst))), timeout=30)

    assert progress_db.engine.pool.checkedin() == burst  # type: ignore[attr-defined]


ON_POSTGRESQL = pytest.mark.parametrize("database_url", [POSTGRES_URL] if "postgresql" in DATABASES else [])


@asynccontextmanager
async def one_connection(settings: Settings, ping_after: float) -> AsyncIterator[Database]:
    """Progress' database with a pool of one connection, opened, that is pinged once it rested `ping_after` s."""
    update = {"database_pool_size": 1, "database_ping_after_seconds": ping_after}
    database = Database(settings.model_copy(update=update), "progress", ProgressTable.metadata)
    try:
        await server_pid(database)
        yield database
    finally:
        await database.dispose()


async def server_pid(database: Database) -> int:
    async with database.reading() as session:
        connection = await (await session.connection()).get_raw_connection()
        assert await session.scalar(text("SELECT 1")) == 1
        return int(connection.driver_connection.get_server_pid())  # type: ignore[union-attr]


async def terminate(pid: int) -> None:
    admin = await asyncpg.connect(POSTGRES_URL.replace("+asyncpg", ""))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


@ON_POSTGRESQL
async def test_a_connection_postgresql_dropped_is_pinged_and_replaced_before_a_request_uses_it(
    settings: Settings,
) -> None:
    async with one_connection(settings, ping_after=0) as database:
        dropped = await server_pid(database)
        await terminate(dropped)

        assert await server_pid(database) != dropped


@ON_POSTGRESQL
@pytest.mark.parametrize(("ping_after", "pings"), [(0, ["SELECT 1"]), (3600, [])])
async def test_only_a_connection_that_rested_longer_than_the_setting_is_pinged_when_checked_out(
    settings: Settings, ping_after: float, pings: list[str]
) -> None:
    async with one_connection(settings, ping_after) as database:
        async with database.reading() as session:
            driver = (await (await session.connection()).get_raw_connection()).driver_connection
        queries: list[str] = []
        driver.add_query_logger(lambda logged: queries.append(logged.query))  # type: ignore[union-attr]

        async with database.reading() as session:
            await session.connection()

    assert queries == pings


def is_closed(driver: Any) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return bool(driver.is_closed())

    return probe


@ON_POSTGRESQL
async def test_a_connection_the_server_closed_is_replaced_without_a_ping_however_recently_it_was_used(
    settings: Settings,
) -> None:
    async with one_connection(settings, ping_after=3600) as database:
        async with database.reading() as session:
            driver = (await (await session.connection()).get_raw_connection()).driver_connection
        dropped = driver.get_server_pid()  # type: ignore[union-attr]
        await terminate(dropped)
        await eventually(is_closed(driver))  # once the event loop has read the server's goodbye

        assert await server_pid(database) != dropped
