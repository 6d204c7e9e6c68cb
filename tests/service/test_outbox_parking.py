"""A row the broker refuses for good is parked with its reason, and the rows behind it flow; the rows of a batch the
broker acknowledged are marked published even when another row of the batch failed, so that none lands twice."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import cast
from uuid import UUID, uuid4

import pytest
from aiokafka.errors import KafkaTimeoutError, MessageSizeTooLargeError
from faststream.kafka import KafkaBroker
from sqlalchemy import func, select

from contracts.envelope import Envelope
from contracts.registry import parse_event
from contracts.roadmaps import RecommendationSubmitted
from sori.db import Database
from sori.kafka import KafkaSink
from sori.metrics import OUTBOX_PARKED
from sori.outbox import OutboxRelay, ParkedRow, add_events, outbox_table, parked_rows, requeue
from sori.settings import Settings
from sori_cli.parked import requeue_parked, show_parked
from tests.polling import eventually
from tests.support.outbox import queue, queue_events, submitted
from tests.support.services import ServiceUnderTest

pytestmark = pytest.mark.service
OVERSIZE = "The message is 1200345 bytes when serialized which is larger than the maximum request size"


class StandInBroker:
    """Takes what KafkaSink publishes as aiokafka does: it refuses some events for good (as the producer refuses a
    record over its max_request_size) and fails others once (as a send does while a partition's leader moves)."""

    def __init__(self) -> None:
        self.landed: list[str] = []
        self.too_large: set[str] = set()
        self.fail_once: set[str] = set()

    async def publish(self, body: bytes, *, topic: str, key: bytes, headers: dict[str, str], no_confirm: bool) -> None:
        event_id = str(parse_event(body).id)
        if event_id in self.too_large:
            raise MessageSizeTooLargeError(OVERSIZE)
        if event_id in self.fail_once:
            self.fail_once.discard(event_id)
            raise KafkaTimeoutError()
        self.landed.append(event_id)

    async def count(self) -> int:
        return len(self.landed)


def refused_by(broker: StandInBroker) -> Envelope:
    """An event the broker refuses for good, known to it before it is queued (a running relay may send it at once)."""
    envelope = submitted()
    broker.too_large.add(str(envelope.id))
    return envelope


@pytest.fixture
def broker() -> StandInBroker:
    return StandInBroker()


@pytest.fixture
def relay(progress_db: Database, broker: StandInBroker) -> OutboxRelay:
    # A service name of the test's own, so that the gauge it reads is this relay's alone.
    sink = KafkaSink(cast(KafkaBroker, broker))
    return OutboxRelay(progress_db.sessions, sink, batch_size=50, service=f"parking-{uuid4().hex[:8]}")


@pytest.fixture
async def running(relay: OutboxRelay) -> AsyncIterator[OutboxRelay]:
    task = asyncio.create_task(relay.run(poll_seconds=0.02, max_backoff=0.05))
    try:
        yield relay
    finally:
        task.cancel()


async def unpublished(db: Database) -> list[str]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(outbox_table.c.event_id).where(outbox_table.c.published_at.is_(None)).order_by(outbox_table.c.seq)
        )
        return [str(i) for i in rows]


async def test_a_row_refused_for_good_is_parked_with_its_reason_and_the_rows_behind_it_are_published_once(
    progress_db: Database, broker: StandInBroker, running: OutboxRelay
) -> None:
    before = await queue(progress_db, "a", "b", "c")
    (oversized,) = await queue_events(progress_db, [("x", refused_by(broker))])
    after = await queue(progress_db, "d", "e", "f")

    await eventually(broker.count, until=lambda n: n >= 6)
    parked = await eventually(lambda: parked_of(progress_db), until=lambda rows: len(rows) == 1)
    assert Counter(broker.landed) == Counter(before + after)  # each once, the refused one never
    assert [row.event_id for row in parked] == [UUID(oversized)]
    assert parked[0].reason.startswith(f"[Error 10] MessageSizeTooLargeError: {OVERSIZE}")
    assert parked[0].held == 0
    assert await unpublished(progress_db) == [oversized]
    await eventually(lambda: gauge(running), until=lambda value: value == 1)


async def test_the_later_rows_of_a_parked_rows_key_wait_behind_it_until_it_is_requeued(
    progress_db: Database, broker: StandInBroker, running: OutboxRelay
) -> None:
    events = [("rec-1", submitted()), ("rec-1", refused_by(broker)), ("rec-1", submitted()), ("rec-2", submitted())]
    first, refused, later, other = await queue_events(progress_db, events)

    await eventually(broker.count, until=lambda n: n == 2)
    parked = await eventually(lambda: parked_of(progress_db), until=lambda rows: len(rows) == 1)
    assert broker.landed == [first, other]
    assert parked[0].held == 1  # `later` waits: a consumer must not see it before the one it follows
    assert (await running.readiness_warning() or {}).get("held_behind") == 1

    broker.too_large.clear()  # the cause fixed, as an operator would (a larger limit, a topic created)
    async with progress_db.transaction() as session:
        assert await requeue(session, UUID(refused))
    await eventually(broker.count, until=lambda n: n == 4)
    assert broker.landed == [first, other, refused, later]
    assert await parked_of(progress_db) == []
    assert await running.readiness_warning() is None


async def test_the_rows_of_a_batch_the_broker_acknowledged_are_marked_even_when_another_row_failed(
    progress_db: Database, broker: StandInBroker, relay: OutboxRelay
) -> None:
    ids = await queue(progress_db, "a", "b", "a", "c", "a")
    broker.fail_once.add(ids[2])  # the second of key a: the third of a waits for it, b and c land

    with pytest.raises(KafkaTimeoutError):
        await relay.publish_pending()
    assert Counter(broker.landed) == Counter([ids[0], ids[1], ids[3]])
    assert await unpublished(progress_db) == [ids[2], ids[4]]

    assert await relay.publish_pending() == 2
    assert Counter(broker.landed) == Counter(ids)  # nothing twice
    assert [i for i in broker.landed if i in (ids[0], ids[2], ids[4])] == [ids[0], ids[2], ids[4]]


async def test_readiness_names_parked_rows_and_stays_ready(roadmaps: ServiceUnderTest) -> None:
    db: Database = roadmaps.app.state.db
    # Parked in the transaction that queues it, before the service's relay can send it.
    async with db.transaction() as session:
        await add_events(session, [submitted(), submitted()], key="rec-1")
        await session.execute(
            outbox_table.update()
            .where(
                outbox_table.c.seq
                == select(func.min(outbox_table.c.seq)).where(outbox_table.c.key == "rec-1").scalar_subquery()
            )
            .values(parked_at=outbox_table.c.created_at, parked_reason="InvalidTopicError: bad")
        )
    answer = await roadmaps.http.get("/readyz")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ready"] is True
    assert body["warnings"]["outbox"] == {
        "parked": 1,
        "first_reason": "InvalidTopicError: bad",
        "held_behind": 1,
        "see": "sori outbox",
    }


async def parked_of(db: Database) -> list[ParkedRow]:
    async with db.sessions() as session:
        return list(await parked_rows(session))


async def gauge(relay: OutboxRelay) -> float:
    return float(OUTBOX_PARKED.labels(relay.service)._value.get())


async def test_an_operator_lists_parked_rows_per_service_and_requeues_one(
    progress_db: Database,
    broker: StandInBroker,
    relay: OutboxRelay,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    refused, later = await queue_events(progress_db, [("rec-1", refused_by(broker)), ("rec-1", submitted())])
    assert await relay.publish_pending() == 2
    capsys.readouterr()  # what the relay logged

    assert await show_parked(settings, ["progress"]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("progress: 1 parked\n")
    assert f"  {refused}  {RecommendationSubmitted.TYPE}  key rec-1  " in listed
    assert f"    [Error 10] MessageSizeTooLargeError: {OVERSIZE}" in listed
    assert "    1 later rows of this key wait behind it" in listed

    assert await requeue_parked(settings, UUID(refused), ["progress"]) == 0
    assert await requeue_parked(settings, UUID(refused), ["progress"]) == 1  # no longer parked
    broker.too_large.clear()
    assert await relay.publish_pending() == 2
    assert broker.landed == [refused, later]
    capsys.readouterr()
    assert await show_parked(settings, ["progress"]) == 0
    assert capsys.readouterr().out.endswith("progress: no parked rows\n")
