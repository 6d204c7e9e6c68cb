"""Inbox: (consumer, event id) rows that make every handler's effect happen once, however often delivered."""

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import Column, DateTime, MetaData, String, Table, Uuid, func
from sqlalchemy.ext.asyncio import AsyncSession

from sori.upsert import insert_new


def add_inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", Uuid, primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


# Every service's inbox has this shape, so statements built on this copy run against any of them.
inbox_table = add_inbox_table(MetaData())


async def claim_all(session: AsyncSession, consumer: str, event_ids: Iterable[UUID]) -> set[UUID]:
    """Of these events, those this consumer sees for the first time, claimed in the caller's transaction at once."""
    rows = [{"consumer": consumer, "event_id": event_id} for event_id in dict.fromkeys(event_ids)]
    return set(await insert_new(session, inbox_table, rows, returning="event_id"))
