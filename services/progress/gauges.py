"""How many recommendations stand in each lifecycle state, for Prometheus (`sori_workflows_by_status`)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from sqlalchemy import func, select

from contracts.lifecycle import RecommendationStatus
from services.progress.models import RecommendationProgress
from sori.db import Database
from sori.metrics import WORKFLOWS_BY_STATUS
from sori.service import ServiceRuntime

REFRESH_SECONDS = 15.0


async def refresh_status_gauge(db: Database) -> dict[str, int]:
    status = RecommendationProgress.__table__.c.status  # type: ignore[attr-defined]
    async with db.reading() as session:
        rows = await session.execute(select(status, func.count()).group_by(status))
        counts = {str(s): int(n) for s, n in rows.all()}
    for each in RecommendationStatus:
        WORKFLOWS_BY_STATUS.labels(each.value).set(counts.get(each.value, 0))
    return counts


@asynccontextmanager
async def status_gauge(runtime: ServiceRuntime) -> AsyncIterator[None]:
    async def keep_fresh() -> None:
        while True:
            with suppress(Exception):
                await refresh_status_gauge(runtime.db)
            await asyncio.sleep(REFRESH_SECONDS)

    task = asyncio.create_task(keep_fresh())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
