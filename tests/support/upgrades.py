"""The upgrade tests' harness: a service's database at the revision before a migration (or as `create_all` made it
before SoRi had migrations), rows written there in that revision's plain SQL, the upgrade every start runs, and the
rows looked for again. What they answer through the API is each test's to check, on the service started after."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, DateTime, MetaData, Uuid, column, insert, select, table, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import TableClause

from sori.db import Database
from sori.migrations import Migration, migrate, upgrade_to
from sori.service import ServiceSpec
from sori.settings import Settings

# `before` for a database from before migrations: the tables today's models make with create_all (less those later
# revisions added), no version table.
PRE_MIGRATION = None
# Tables that revisions after a service's first added: an install from before migrations had none of them.
ADDED_BY_REVISIONS = frozenset({"idempotency_key"})


def before_migrations(spec: ServiceSpec) -> ServiceSpec:
    """The service with the tables an install from before migrations had (which create_all makes)."""
    metadata = MetaData(info=spec.metadata.info)
    for model_table in spec.metadata.tables.values():
        if model_table.name not in ADDED_BY_REVISIONS:
            model_table.to_metadata(metadata)
    return replace(spec, metadata=metadata)


@dataclass(frozen=True)
class Rows:
    """Rows of one table as the revision before the upgrade has it: `table` names its columns, the first its key."""

    table: TableClause
    rows: Sequence[dict[str, Any]]

    @property
    def keys(self) -> list[Any]:
        key = next(iter(self.table.columns)).name
        return sorted(row[key] for row in self.rows)


@asynccontextmanager
async def dropped_afterwards(settings: Settings, spec: ServiceSpec) -> AsyncIterator[Database]:
    """A service's database, not made here, but dropped afterwards whatever the test made of it."""
    db = Database(settings, spec.name, spec.metadata)
    try:
        yield db
    finally:
        await db.drop_schema()
        await db.dispose()


async def in_its_schema(session: AsyncSession, db: Database) -> None:
    """Plain SQL names tables without their schema, as the revisions do: on PostgreSQL, the service's schema."""
    if db.is_postgres:
        await session.execute(text(f'SET LOCAL search_path TO "{db.schema}"'))


async def upgrade_carrying(
    settings: Settings, spec: ServiceSpec, before: str | None, written: Sequence[Rows]
) -> Migration:
    """Bring the database to `before`, write the rows, upgrade to the head; every row must still be there."""
    assert spec.migrations
    db = Database(settings, spec.name, spec.metadata)
    try:
        if before is PRE_MIGRATION:
            old = Database(settings, spec.name, before_migrations(spec).metadata)
            await old.create_schema()
            await old.dispose()
        else:
            await upgrade_to(db, spec.migrations, before)
        async with db.transaction() as session:
            await in_its_schema(session, db)
            for rows in written:
                await session.execute(insert(rows.table), list(rows.rows))
        migration = await migrate(db, spec.name, spec.migrations)
        async with db.transaction() as session:
            await in_its_schema(session, db)
            for rows in written:
                key = next(iter(rows.table.columns))
                kept = sorted((await session.execute(select(key).select_from(rows.table))).scalars())
                assert kept == rows.keys, f"{rows.table.name}: rows written before the upgrade are lost"
    finally:
        await db.dispose()
    return migration


# Progress' recommendations as its first revision has them (the columns a row needs).
RECOMMENDATION_PROGRESS = table(
    "recommendationprogress",
    column("recommendation_id", Uuid),
    column("status"),
    column("updated_at", DateTime(timezone=True)),
    column("last_event_id", Uuid),
    column("association"),
    column("economy"),
    column("local_governments", JSON),
)


def submitted_by(association: str, economy: str) -> dict[str, Any]:
    """A submitted recommendation of an association as progress' first revision keeps it."""
    return {
        "recommendation_id": uuid4(),
        "status": "SUBMITTED",  # the enum's name, as SQLAlchemy stores it
        "updated_at": datetime(2026, 11, 20, 9, tzinfo=UTC),
        "last_event_id": uuid4(),
        "association": association,
        "economy": economy,
        "local_governments": [],
    }


# Progress' milestones as its first revision has them (the columns a row needs).
MILESTONE_PROGRESS = table(
    "milestoneprogress",
    column("milestone_id", Uuid),
    column("recommendation_id", Uuid),
    column("local_government"),
    column("title"),
    column("reports"),
    column("evidence_count"),
)
