"""A service's connections outlive a burst: the next burst finds them open instead of opening them again."""

import asyncio

import asyncpg
import pytest
from sqlalchemy import text

from sori.db import Database
from sori.settings import Settings
from tests.conftest import DATABASES, POSTGRES_URL

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


@pytest.mark.parametrize("database_url", [POSTGRES_URL] if "postgresql" in DATABASES else [])
async def test_a_pooled_connection_postgresql_dropped_is_replaced_before_a_request_uses_it(
    progress_db: Database,
) -> None:
    async with progress_db.reading() as session:
        connection = await session.connection()
        dropped = (await connection.get_raw_connection()).driver_connection.get_server_pid()  # type: ignore[union-attr]
    admin = await asyncpg.connect(POSTGRES_URL.replace("+asyncpg", ""))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", dropped)
    finally:
        await admin.close()

    async with progress_db.reading() as session:
        connection = await session.connection()
        assert await session.scalar(text("SELECT 1")) == 1
        assert (await connection.get_raw_connection()).driver_connection.get_server_pid() != dropped  # type: ignore[union-attr]
