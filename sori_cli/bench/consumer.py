"""Figure 2: the progress projection draining a backlog of lifecycle events, against a bare aiokafka consumer
reading the same backlog from the same broker."""

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID, uuid4

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.lifecycle import RecommendationStatus, StatusChanged
from services.progress.app import SPEC as PROGRESS
from services.progress.handlers import CONSUMER
from sori.batches import Delivery, subscribe_envelope_batches
from sori.db import Database
from sori.kafka import ensure_topics, make_broker
from sori.service import once_per_event
from sori.settings import Settings
from sori_cli.bench.measure import Figure, Stopwatch
from sori_cli.migrate import migrate_service_database

ACTOR = Actor(sub="bench", org="ZELS", role=Role.LGA)


def backlog(events: int) -> list[Envelope]:
    recs = [uuid4() for _ in range(max(events // 4, 1))]
    statuses = [RecommendationStatus.DRAFTED, RecommendationStatus.SUBMITTED]
    return [
        new_event(
            StatusChanged(
                recommendation_id=recs[i % len(recs)],
                from_status=None,
                to_status=statuses[i % 2],
                cause_event_id=uuid4(),
                cause_event_type="sori.roadmaps.recommendation.submitted.v1",
            ),
            subject=str(recs[i % len(recs)]),
            actor=ACTOR,
            source="bench",
            time=datetime.now(UTC),
        )
        for i in range(events)
    ]


async def fill(bootstrap: str, topic: str, envelopes: list[Envelope]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    try:
        sent = [await producer.send(topic, e.to_json(), key=e.subject.encode()) for e in envelopes]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def raw_rate(bootstrap: str, topic: str, events: int) -> float:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"bench-raw-{uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        read = 0
        with Stopwatch() as watch:
            while read < events:
                batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
                read += sum(len(records) for records in batches.values())
    finally:
        await consumer.stop()
    return events / watch.seconds


async def projection_rate(settings: Settings, topic: str, events: int) -> float:
    db = Database(settings, PROGRESS.name, PROGRESS.metadata)
    await migrate_service_database(db, PROGRESS)
    applied = 0
    drained = asyncio.Event()
    group = f"bench-progress-{uuid4()}"
    handle = once_per_event(db, replace(CONSUMER, group=group, topics=(topic,)))

    async def counted(deliveries: Sequence[Delivery]) -> Mapping[UUID, str]:
        nonlocal applied
        refused = await handle(deliveries)
        applied += len(deliveries)
        if applied >= events:
            drained.set()
        return refused

    broker = make_broker(settings, client_id="sori-bench")
    subscribe_envelope_batches(
        broker, topics=(topic,), group_id=group, handler=counted, takes=CONSUMER.takes, name="bench_projection"
    )
    # As for the raw consumer, the clock runs from a started consumer to the last event applied: FastStream's start
    # (~5 s on the embedded broker, its group join, whatever the backlog) and stop are not the projection's drain.
    await broker.start()
    timed = events - applied  # what FastStream may have handed over while starting is not timed
    try:
        with Stopwatch() as watch:
            await drained.wait()
    finally:
        await broker.stop()
    await db.dispose()
    return timed / watch.seconds


async def consumer_figure(settings: Settings, events: int) -> Figure:
    topic = f"sori_cli.bench-{uuid4().hex[:8]}.v1"
    await ensure_topics(settings, [topic, f"{topic}.dlq"])
    await fill(settings.kafka_servers, topic, backlog(events))
    baseline = await raw_rate(settings.kafka_servers, topic, events)
    rate = await projection_rate(settings, topic, events)
    return Figure(
        f"progress projection draining {events} events", rate, "events/s", baseline, "raw aiokafka consumer", ""
    )
