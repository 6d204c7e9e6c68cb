"""The outbox relay publishes in commit order, once each, and rides out a broker that is down: writes keep
succeeding meanwhile, and everything arrives after it is back."""

import asyncio
from collections.abc import Sequence
from uuid import uuid4

import pytest
from sqlalchemy import text

from contracts.envelope import Actor, Role, new_event
from contracts.roadmaps import RecommendationSubmitted
from sori.db import Database
from sori.outbox import QUEUED_EVENTS, OutboxMessage, OutboxRelay, SendOutcome, add_event, add_events
from tests.polling import eventually

pytestmark = pytest.mark.service
ACTOR = Actor(sub="ana", org="ZELS", role=Role.LGA)


class FlakyBroker:
    """Refuses every batch while down, as aiokafka does when no broker answers."""

    def __init__(self) -> None:
        self.down = True
        self.received: list[OutboxMessage] = []
        self.refused = 0

    async def refused_batches(self) -> int:
        return self.refused

    async def delivered(self) -> int:
        return len(self.received)

    async def send(self, messages: Sequence[OutboxMessage]) -> SendOutcome:
        if self.down:
            self.refused += 1
            raise ConnectionError("no broker at 127.0.0.1:9")
        self.received.extend(messages)
        return SendOutcome(sent=[m.seq for m in messages])


@pytest.fixture
def db(progress_db: Database) -> Database:
    return progress_db


async def write_events(db: Database, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        rec = uuid4()
        payload = RecommendationSubmitted(recommendation_id=rec, association="ZELS", version=1)
        envelope = new_event(payload, subject=str(rec), actor=ACTOR, source="roadmaps")
        async with db.transaction() as session:
            await add_event(session, envelope)
        ids.append(str(envelope.id))
    return ids


async def test_writes_succeed_while_the_broker_is_down_and_arrive_once_in_order_after(db: Database) -> None:
    broker = FlakyBroker()
    relay = OutboxRelay(db.sessions, broker, batch_size=7)
    running = asyncio.create_task(relay.run(poll_seconds=0.01, max_backoff=0.05))
    try:
        written = await write_events(db, 25)
        await eventually(broker.refused_batches, until=lambda refused: refused >= 3)
        assert broker.received == []
        assert await relay.pending() == 25

        broker.down = False
        await eventually(relay.pending, until=lambda pending: pending == 0)
        written += await write_events(db, 5)
        await eventually(broker.delivered, until=lambda n: n == 30)
    finally:
        running.cancel()
    print(f"relay: {broker.refused} refused batches while down, {len(broker.received)} events delivered once")
    assert [m.event_id for m in broker.received] == written
    assert [m.seq for m in broker.received] == sorted(m.seq for m in broker.received)


async def test_only_a_commit_that_queued_events_wakes_what_waits_for_them(db: Database) -> None:
    woken: list[str] = []
    db.after_commit(lambda: woken.append("every commit"))
    db.after_commit(lambda: woken.append("queued events"), wrote=QUEUED_EVENTS)
    async with db.transaction() as session:
        await session.execute(text("SELECT 1"))
    assert woken == ["every commit"]
    await write_events(db, 1)
    assert woken == ["every commit", "every commit", "queued events"]


class WritingWhileSending:
    """A sink during whose first send another transaction queues an event, as a request does while the relay runs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.received: list[OutboxMessage] = []

    async def delivered(self) -> int:
        return len(self.received)

    async def send(self, messages: Sequence[OutboxMessage]) -> SendOutcome:
        if not self.received:
            await write_events(self.db, 1)
        self.received.extend(messages)
        return SendOutcome(sent=[m.seq for m in messages])


async def test_an_event_committed_while_the_relay_sends_is_sent_without_waiting_for_the_fallback_poll(
    db: Database,
) -> None:
    sink = WritingWhileSending(db)
    relay = OutboxRelay(db.sessions, sink, batch_size=10)
    db.after_commit(relay.wake, wrote=QUEUED_EVENTS)
    running = asyncio.create_task(relay.run(poll_seconds=3600))
    try:
        await write_events(db, 1)
        # The second event's commit woke the relay mid-round; that wake must not be lost to the hour-long poll.
        await eventually(sink.delivered, until=lambda n: n == 2)
    finally:
        running.cancel()


async def test_the_same_event_id_is_queued_once(db: Database) -> None:
    rec = uuid4()
    envelope = new_event(
        RecommendationSubmitted(recommendation_id=rec, association="ZELS", version=1),
        subject=str(rec),
        actor=ACTOR,
        source="roadmaps",
    )
    for _ in range(3):
        async with db.transaction() as session:
            await add_event(session, envelope)
    relay = OutboxRelay(db.sessions, FlakyBroker(), batch_size=10)
    assert await relay.pending() == 1


async def test_the_events_of_one_transaction_are_queued_once_each_in_their_order(db: Database) -> None:
    envelopes = [
        new_event(
            RecommendationSubmitted(recommendation_id=uuid4(), association="ZELS", version=version),
            subject="one key",
            actor=ACTOR,
            source="roadmaps",
        )
        for version in range(1, 31)
    ]
    async with db.transaction() as session:
        await add_events(session, envelopes)
    async with db.transaction() as session:
        await add_events(session, [envelopes[3], *envelopes[10:12]])
    broker = FlakyBroker()
    broker.down = False
    assert await OutboxRelay(db.sessions, broker, batch_size=100).publish_pending() == 30
    assert [m.event_id for m in broker.received] == [str(e.id) for e in envelopes]
