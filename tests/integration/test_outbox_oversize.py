"""On the real embedded broker: an event larger than a record may be is parked with the producer's reason, and the
rows behind it reach the topic, each once; the later rows of its key wait behind it. Only the broker is started."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from uuid import UUID

import pytest
from aiokafka import AIOKafkaConsumer

from contracts.registry import parse_event
from services.progress.app import SPEC as PROGRESS
from sori.db import Database
from sori.kafka import KafkaSink, ensure_topics, make_broker, start_broker
from sori.outbox import OutboxRelay, outbox_row, outbox_table, parked_rows
from sori.settings import Settings
from sori.upsert import insert_all_new
from sori_cli.stack.embedded import free_port, tansu_argv
from sori_cli.stack.processes import ManagedProcess, ProcessSpec
from sori_cli.stack.readiness import wait_until
from tests.polling import eventually
from tests.support.outbox import queue, submitted
from tests.support.services import empty_schema

TOPIC = submitted().data.TOPIC
# Over aiokafka's default max_request_size (1 MiB), as the 1.2 MB decision of the issue was.
OVERSIZE_BYTES = 1_200_000


@pytest.fixture(scope="module")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("kafka") / "kafka.log"
    broker = ManagedProcess(ProcessSpec("kafka", tansu_argv(port), {}, log))
    broker.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        broker.stop()


@pytest.fixture
async def on_kafka(settings: Settings, kafka: str) -> Settings:
    # The embedded broker cannot hand out producer ids (see `sori up`).
    ready = settings.model_copy(update={"kafka_bootstrap_servers": kafka, "kafka_idempotence": False})

    async def topic_created() -> bool:
        await ensure_topics(ready, [TOPIC])
        return True

    await wait_until("kafka", topic_created, within=30)
    return ready


@pytest.fixture
async def db(on_kafka: Settings) -> AsyncIterator[Database]:
    async with empty_schema(on_kafka, PROGRESS) as database:
        yield database


@pytest.fixture
async def relay(on_kafka: Settings, db: Database) -> AsyncIterator[OutboxRelay]:
    broker = make_broker(on_kafka, client_id="test-oversize")
    await start_broker(broker)
    relay = OutboxRelay(db.sessions, KafkaSink(broker), batch_size=50, service="oversize-test")
    running = asyncio.create_task(relay.run(poll_seconds=0.05, max_backoff=0.2))
    try:
        yield relay
    finally:
        running.cancel()
        await broker.stop()


class TopicReader:
    """The event ids of every record on the topic so far, from its start, without a consumer group."""

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self.consumer = consumer
        self.ids: list[str] = []

    async def read(self) -> list[str]:
        for batch in (await self.consumer.getmany(timeout_ms=200)).values():
            self.ids += [str(parse_event(r.value or b"").id) for r in batch]
        return self.ids


@pytest.fixture
async def topic(kafka: str) -> AsyncIterator[TopicReader]:
    consumer = AIOKafkaConsumer(TOPIC, bootstrap_servers=kafka, auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    try:
        yield TopicReader(consumer)
    finally:
        await consumer.stop()


async def queue_oversized(db: Database, key: str) -> str:
    envelope = submitted()
    row = outbox_row(envelope, key, None)
    # The relay sends the body as it is: padding past the limit is all the broker's refusal needs.
    row["body"] = envelope.to_json()[:-1] + b', "padding": "' + b"x" * OVERSIZE_BYTES + b'"}'
    async with db.transaction() as session:
        await insert_all_new(session, outbox_table, [row])
    return str(envelope.id)


async def test_an_oversized_event_is_parked_and_the_rows_behind_it_reach_the_topic_once(
    db: Database, relay: OutboxRelay, topic: TopicReader
) -> None:
    before = await queue(db, "rec-1", "rec-2")
    oversized = await queue_oversized(db, "rec-1")
    after = await queue(db, "rec-3", "rec-2")
    (held,) = await queue(db, "rec-1")

    landed = await eventually(topic.read, until=lambda ids: set(before + after) <= set(ids))
    async with db.reading() as session:
        parked = await parked_rows(session)
    assert [(row.event_id, row.held) for row in parked] == [(UUID(oversized), 1)]
    assert "MessageSizeTooLargeError" in parked[0].reason
    assert parked[0].size > OVERSIZE_BYTES
    assert (await relay.readiness_warning() or {}).get("parked") == 1
    ours = {*before, *after, oversized, held}  # the topic also holds the other database's run
    landed = [i for i in await topic.read() if i in ours]  # anything late would show now
    assert Counter(landed) == Counter(before + after)  # each once; the oversized one and the one held behind it never
