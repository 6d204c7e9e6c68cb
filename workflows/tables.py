"""The workflows' own database: their outbox, and the lifecycles that have closed."""

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from contracts.lifecycle import RecommendationStatus
from sori.columns import UTCDateTime
from sori.tables import service_registry, table_of
from sori.upsert import insert_all_new
from workflows.messages import ClosedLifecycle

# The name of the workflows' database (a SQLite file, or a PostgreSQL schema); the worker's and the bridge's.
DATABASE = "workflows"


class WorkflowsTable(SQLModel, registry=service_registry(DATABASE, commands=False)):
    """The workflows' own database holds their outbox (and an inbox, unused so far) and the closed lifecycles."""


class ClosedLifecycleRow(WorkflowsTable, table=True):
    """A lifecycle whose workflow has ended. Temporal forgets a closed run after its retention, and then nothing in
    Temporal stops a redelivered event from starting the lifecycle again from scratch: this row does (the bridge)."""

    __tablename__ = "closed_lifecycle"

    recommendation_id: UUID = Field(primary_key=True)
    status: RecommendationStatus = Field(max_length=30)
    closed_at: datetime = Field(sa_type=UTCDateTime)


async def record_closed(session: AsyncSession, closed: ClosedLifecycle) -> None:
    """Idempotent: a retried activity finds the row there and adds nothing."""
    row = {"recommendation_id": closed.recommendation_id, "status": closed.status, "closed_at": closed.closed_at}
    await insert_all_new(session, table_of(ClosedLifecycleRow), [row])


async def readable(session: AsyncSession) -> bool:
    """Whether the closed lifecycles can be read: the worker (or `sori migrate`) creates the table, not the bridge,
    whose create_all raced the worker's at start-up and failed it ("table outbox already exists")."""
    await session.execute(select(table_of(ClosedLifecycleRow).c.recommendation_id).limit(1))
    return True


async def closed_among(session: AsyncSession, recommendation_ids: Collection[UUID]) -> set[UUID]:
    if not recommendation_ids:
        return set()
    table = table_of(ClosedLifecycleRow)
    found = await session.execute(
        select(table.c.recommendation_id).where(table.c.recommendation_id.in_(list(recommendation_ids)))
    )
    return set(found.scalars())
