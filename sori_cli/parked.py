"""`sori outbox`: the rows each service's relay parked because the broker refused them for good, and re-queueing one
once its cause is fixed (the service's relay then sends it, and the later rows of its key behind it, in order)."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

from sqlalchemy.exc import SQLAlchemyError

from sori.db import Database
from sori.outbox import OUTBOX, ParkedRow, parked_rows, requeue
from sori.service import ServiceSpec
from sori.settings import Settings


def outbox_services(names: Sequence[str] = ()) -> list[ServiceSpec]:
    """The services with an outbox, or those of them named."""
    from sori_cli.migrate import all_specs

    specs = [spec for spec in all_specs() if OUTBOX in spec.metadata.tables]
    return [spec for spec in specs if spec.name in names] if names else specs


@asynccontextmanager
async def outbox_of(settings: Settings, spec: ServiceSpec) -> AsyncIterator[Database]:
    db = Database(settings, spec.name, spec.metadata)
    try:
        yield db
    finally:
        await db.dispose()


async def show_parked(settings: Settings, services: Sequence[str] = ()) -> int:
    """Print each service's parked rows; 1 when an outbox could not be read."""
    code = 0
    for spec in outbox_services(services):
        try:
            async with outbox_of(settings, spec) as db, db.reading() as session:
                rows = await parked_rows(session)
        except SQLAlchemyError as exc:
            print(f"{spec.name}: cannot read its outbox: {exc!r:.300}")
            code = 1
            continue
        print(f"{spec.name}: {len(rows)} parked" if rows else f"{spec.name}: no parked rows")
        for row in rows:
            print(describe(row))
    return code


def describe(row: ParkedRow) -> str:
    waiting = f"\n    {row.held} later rows of this key wait behind it" if row.held else ""
    return (
        f"  {row.event_id}  {row.type}  key {row.key}  {row.size:,} bytes  parked {row.parked_at:%Y-%m-%d %H:%M}\n"
        f"    {row.reason}{waiting}"
    )


async def requeue_parked(settings: Settings, event_id: UUID, services: Sequence[str] = ()) -> int:
    """Hand a parked row back to its service's relay; 1 when no outbox has it parked."""
    for spec in outbox_services(services):
        async with outbox_of(settings, spec) as db, db.transaction() as session:
            if await requeue(session, event_id):
                print(f"{spec.name}: {event_id} re-queued; its relay sends it at its next round")
                return 0
    print(f"no outbox has {event_id} parked (see `sori outbox`)")
    return 1
