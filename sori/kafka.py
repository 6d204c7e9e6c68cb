"""Kafka for SoRi: the broker factory, topic creation, the outbox sink, consumer lag and the dead-letter path."""

import asyncio
from collections.abc import Iterable, Sequence
from contextlib import suppress
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    InvalidTopicError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
    TopicAlreadyExistsError,
    UnsupportedForMessageFormatError,
)
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from contracts.envelope import CONTENT_TYPE, DATA_CONTENT_TYPE, TYPE_HEADER, is_cloudevent
from contracts.topics import all_topics, dlq
from sori.metrics import CONSUMER_LAG, DEAD_LETTERS
from sori.outbox import OutboxMessage, SendOutcome
from sori.settings import Settings
from sori.telemetry import TRACEPARENT

log = structlog.get_logger()

MAX_EVENT_BYTES = 1_000_000
DLQ_REASON = "x-sori-dlq-reason"
DLQ_CONSUMER = "x-sori-dlq-consumer"
# Refusals of a record for what it is, not for the state of the cluster: sent again it would be refused again, so the
# relay parks it. Anything else (no broker, timeouts, a leader moving, missing rights or topics, which an operator
# restores for every row at once; a record corrupted on its way, which Kafka's own clients send again) is tried again.
REFUSED_FOR_GOOD: tuple[type[Exception], ...] = (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    RecordListTooLargeError,
    InvalidTopicError,
    UnsupportedForMessageFormatError,
)


def producer_options(settings: Settings) -> dict[str, Any]:
    """Every send waits for all in-sync replicas: with one broker's acknowledgement alone, an event the old leader
    held only by itself vanished at a leader change while its outbox row was already marked published, and topics'
    `min.insync.replicas` had no effect."""
    return {"acks": "all", "enable_idempotence": settings.kafka_idempotence}


def make_broker(settings: Settings, client_id: str) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap_servers or "127.0.0.1:9092",
        client_id=client_id,
        allow_auto_create_topics=False,
        logger=None,
        **producer_options(settings),
    )


async def start_broker(broker: KafkaBroker) -> None:
    """Start, or clean up what a failed start left behind, so that the next attempt begins afresh."""
    try:
        await broker.start()
    except Exception:
        with suppress(Exception):
            await broker.stop()
        raise


async def ensure_topics(settings: Settings, topics: Iterable[str] | None = None) -> None:
    """Create SoRi's topics where missing; safe to call against a cluster that already has them."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_servers, client_id="sori-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [t for t in (topics or all_topics()) if t not in existing]
        if wanted:
            new = [NewTopic(t, settings.kafka_partitions, settings.kafka_replication) for t in wanted]
            with suppress(TopicAlreadyExistsError):
                await admin.create_topics(new)
    finally:
        await admin.close()


class KafkaSink:
    """The outbox relay's way out: the events of one key one after another, different keys side by side.

    A key's next event is sent only once the broker has acknowledged the one before: were they in flight together,
    the earlier could fail and the later land, and a retry would put the later first, e.g. `submitted` before
    `drafted` for the lifecycle, which refuses it (and, having seen its id, ignores it when it comes again). For the
    same reason a key's events stop at one the broker refuses for good.
    """

    def __init__(self, broker: KafkaBroker) -> None:
        self.broker = broker

    async def send(self, messages: Sequence[OutboxMessage]) -> SendOutcome:
        by_key: dict[str, list[OutboxMessage]] = {}
        for m in messages:
            by_key.setdefault(m.key, []).append(m)
        # Every key's sends settle before the relay marks them, so that nothing of this batch lands after it retries.
        return SendOutcome.combined(await asyncio.gather(*(self._in_order(batch) for batch in by_key.values())))

    async def _in_order(self, messages: Sequence[OutboxMessage]) -> SendOutcome:
        outcome = SendOutcome()
        for m in messages:
            try:
                await self._publish(m)
            except REFUSED_FOR_GOOD as exc:
                # aiokafka's errors name themselves, e.g. "[Error 10] MessageSizeTooLargeError: …"
                outcome.refused[m.seq] = f"{exc} ({len(m.body)} bytes to {m.topic})"
                return outcome
            except Exception as exc:
                outcome.failure = exc
                return outcome
            outcome.sent.append(m.seq)
        return outcome

    async def _publish(self, m: OutboxMessage) -> None:
        headers = {"content-type": content_type(m.body), TYPE_HEADER: m.type}
        if m.trace_context:
            headers[TRACEPARENT] = m.trace_context
        sent = await self.broker.publish(m.body, topic=m.topic, key=m.key.encode(), headers=headers, no_confirm=True)
        if isinstance(sent, asyncio.Future):
            await sent


def content_type(body: bytes) -> str:
    """A CloudEvent in the Kafka binding's structured mode says so; a row written before CloudEvents (a refill sends
    it as it is) is the plain JSON envelope it always was."""
    return CONTENT_TYPE if is_cloudevent(body) else DATA_CONTENT_TYPE


def record_lag(message: KafkaMessage, records: Sequence[ConsumerRecord[Any, Any]], group_id: str) -> None:
    """Consumer lag after the given records, per partition."""
    # Only a real aiokafka consumer knows its partitions' ends (FastStream's test consumer does not).
    consumer = getattr(message, "consumer", None)
    if not isinstance(consumer, AIOKafkaConsumer):
        return
    last = {TopicPartition(r.topic, r.partition): r.offset for r in records}
    for partition, offset in last.items():
        highwater = consumer.highwater(partition)
        if isinstance(highwater, int):
            CONSUMER_LAG.labels(group_id, partition.topic, str(partition.partition)).set(max(highwater - offset - 1, 0))


async def dead_letter(broker: KafkaBroker, record: ConsumerRecord[Any, Any], reason: str, *, consumer: str) -> None:
    log.warning("event sent to dead-letter topic", topic=record.topic, offset=record.offset, reason=reason)
    DEAD_LETTERS.labels(record.topic, consumer).inc()
    await broker.publish(
        bytes(record.value or b""),
        topic=dlq(record.topic),
        key=record.key,
        headers={
            DLQ_REASON: reason[:1000],
            DLQ_CONSUMER: consumer,
            "x-sori-original-topic": record.topic,
            "x-sori-original-partition": str(record.partition),
            "x-sori-original-offset": str(record.offset),
        },
    )
