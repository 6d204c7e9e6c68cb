"""Kafka for SoRi: the broker factory, topic creation, the outbox sink, and envelope subscribers with a DLQ."""

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import suppress
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from contracts.envelope import Envelope
from contracts.registry import InvalidEvent, parse_event
from contracts.topics import all_topics, dlq
from sori.metrics import CONSUMER_LAG, DEAD_LETTERS
from sori.outbox import OutboxMessage
from sori.settings import Settings
from sori.telemetry import TRACEPARENT, continued

log = structlog.get_logger()

EnvelopeHandler = Callable[[Envelope], Awaitable[None]]
MAX_EVENT_BYTES = 1_000_000
DLQ_REASON = "x-sori-dlq-reason"
DLQ_CONSUMER = "x-sori-dlq-consumer"


def make_broker(settings: Settings, client_id: str) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap_servers or "127.0.0.1:9092",
        client_id=client_id,
        allow_auto_create_topics=False,
        enable_idempotence=False,
        logger=None,
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
    `drafted` for the lifecycle, which refuses it (and, having seen its id, ignores it when it comes again).
    """

    def __init__(self, broker: KafkaBroker) -> None:
        self.broker = broker

    async def send(self, messages: Sequence[OutboxMessage]) -> None:
        by_key: dict[str, list[OutboxMessage]] = {}
        for m in messages:
            by_key.setdefault(m.key, []).append(m)
        # Let every key's sends settle before failing, so that nothing of this batch lands after the relay retries it.
        results = await asyncio.gather(*(self._in_order(batch) for batch in by_key.values()), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise failures[0]

    async def _in_order(self, messages: Sequence[OutboxMessage]) -> None:
        for m in messages:
            headers = {"content-type": "application/json", "ce_type": m.type, "ce_id": m.event_id}
            if m.trace_context:
                headers[TRACEPARENT] = m.trace_context
            sent = await self.broker.publish(
                m.body, topic=m.topic, key=m.key.encode(), headers=headers, no_confirm=True
            )
            if isinstance(sent, asyncio.Future):
                await sent


def record_of(message: KafkaMessage) -> ConsumerRecord[Any, Any]:
    """The Kafka record behind a message (batch subscribers, which see tuples, are not used here)."""
    record = message.raw_message
    assert isinstance(record, ConsumerRecord)
    return record


async def raw_body(message: StreamMessage[Any]) -> bytes:
    # Decoding is the envelope parser's job, so that a malformed body reaches our DLQ path, not a framework error.
    return bytes(message.body)


def subscribe_envelopes(
    broker: KafkaBroker,
    *,
    topics: Sequence[str],
    group_id: str,
    handler: EnvelopeHandler,
    name: str,
) -> None:
    """Subscribe `handler` to parsed envelopes.

    What cannot be parsed, or what the handler declares invalid, goes to `<topic>.dlq` with the reason.
    A handler that raises anything else leaves the message unacknowledged: it is delivered again, after a pause.
    """

    async def on_message(body: bytes, message: KafkaMessage) -> None:
        topic = record_of(message).topic
        try:
            if len(body) > MAX_EVENT_BYTES:
                raise InvalidEvent(f"event of {len(body)} bytes exceeds {MAX_EVENT_BYTES}")
            with continued(message.headers.get(TRACEPARENT), f"consume {topic} ({group_id})"):
                await handler(parse_event(body))
            _record_lag(message, group_id)
        except InvalidEvent as exc:
            await dead_letter(broker, message, topic, str(exc), consumer=group_id)
            _record_lag(message, group_id)
        except Exception as exc:
            log.warning("handler failed; the event will be redelivered", consumer=group_id, error=repr(exc))
            await asyncio.sleep(1.0)
            raise

    on_message.__name__ = name
    broker.subscriber(
        *topics,
        group_id=group_id,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        auto_offset_reset="earliest",
        decoder=raw_body,
        title=name,
    )(on_message)


def _record_lag(message: KafkaMessage, group_id: str) -> None:
    # Only a real aiokafka consumer knows its partitions' ends (FastStream's test consumer does not).
    consumer = getattr(message, "consumer", None)
    if not isinstance(consumer, AIOKafkaConsumer):
        return
    record = record_of(message)
    highwater = consumer.highwater(TopicPartition(record.topic, record.partition))
    if isinstance(highwater, int):
        lag = max(highwater - record.offset - 1, 0)
        CONSUMER_LAG.labels(group_id, record.topic, str(record.partition)).set(lag)


async def dead_letter(broker: KafkaBroker, message: KafkaMessage, topic: str, reason: str, *, consumer: str) -> None:
    raw = record_of(message)
    log.warning("event sent to dead-letter topic", topic=topic, offset=raw.offset, reason=reason)
    DEAD_LETTERS.labels(topic, consumer).inc()
    await broker.publish(
        bytes(message.body),
        topic=dlq(topic),
        key=raw.key,
        headers={
            DLQ_REASON: reason[:1000],
            DLQ_CONSUMER: consumer,
            "x-sori-original-topic": topic,
            "x-sori-original-partition": str(raw.partition),
            "x-sori-original-offset": str(raw.offset),
        },
    )
