"""Rows queued in an outbox by hand, for the relay tests that need no running service."""

from collections.abc import Sequence
from uuid import uuid4

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.roadmaps import RecommendationSubmitted
from sori.db import Database
from sori.outbox import add_event

ACTOR = Actor(sub="ana", org="ZELS", role=Role.LGA)


def submitted() -> Envelope:
    rec = uuid4()
    payload = RecommendationSubmitted(recommendation_id=rec, association="ZELS", version=1)
    return new_event(payload, subject=str(rec), actor=ACTOR, source="roadmaps")


async def queue(db: Database, *keys: str) -> list[str]:
    """One event per key, each in a transaction of its own, in this order; their ids."""
    return await queue_events(db, [(key, submitted()) for key in keys])


async def queue_events(db: Database, events: Sequence[tuple[str, Envelope]]) -> list[str]:
    for key, envelope in events:
        async with db.transaction() as session:
            await add_event(session, envelope, key=key)
    return [str(envelope.id) for _, envelope in events]
