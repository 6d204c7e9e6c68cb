"""Envelope batches: a consumer handles one poll of records at once, so that it pays one transaction and one offset
commit per poll rather than per event. What cannot be parsed, or what the handler rejects, goes to the DLQ one
record at a time; the rest of the poll is applied."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import structlog
from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from contracts.envelope import Envelope
from contracts.registry import InvalidEvent, parse_event
from sori.kafka import MAX_EVENT_BYTES, dead_letter, record_lag
from sori.telemetry import TRACEPARENT

log = structlog.get_logger()

MAX_RECORDS_PER_POLL = 500
# How long a poll may wait for records. The broker holds an empty fetch for up to FETCH_WAIT_MS (the embedded one
# answers ~115 ms late at Kafka's default of 500), and FastStream pauses POLL_WAIT_MS after an empty poll: both are
# latency on every hop of a lifecycle, so both are short; an idle consumer costs a few cheap requests a second.
FETCH_WAIT_MS = 50
POLL_WAIT_MS = 20


@dataclass(frozen=True)
class Delivery:
    """One event of a poll: where it came from and the trace it continues."""

    envelope: Envelope
    topic: str
    traceparent: str | None


# The handler returns the events it refuses (event id -> reason); they go to the DLQ, the others count as applied.
BatchHandler = Callable[[Sequence[Delivery]], Awaitable[Mapping[UUID, str]]]


def subscribe_envelope_batches(
    broker: KafkaBroker,
    *,
    topics: Sequence[str],
    group_id: str,
    handler: BatchHandler,
    name: str,
    max_records: int = MAX_RECORDS_PER_POLL,
) -> None:
    """Subscribe `handler` to each poll's parsed envelopes, in offset order per partition.

    A handler that raises leaves the whole poll unacknowledged: each partition is rewound to its first record of the
    poll and delivered again after a pause (the consumer's inbox makes the repeat harmless).
    """

    async def on_poll(message: KafkaMessage) -> None:
        records = _records_of(message)
        deliveries: list[Delivery] = []
        rejected: dict[int, str] = {}
        for index, record in enumerate(records):
            try:
                deliveries.append(Delivery(_parse(record), record.topic, _header(record, TRACEPARENT)))
            except InvalidEvent as exc:
                rejected[index] = str(exc)
        try:
            refused = await handler(deliveries)
        except Exception as exc:
            log.warning("batch handler failed; the poll will be redelivered", consumer=group_id, error=repr(exc))
            await asyncio.sleep(1.0)
            raise
        await _dead_letter_all(broker, records, rejected, refused, group_id)
        record_lag(message, records, group_id)

    on_poll.__name__ = name
    broker.subscriber(
        *topics,
        group_id=group_id,
        batch=True,
        max_records=max_records,
        batch_timeout_ms=POLL_WAIT_MS,
        fetch_max_wait_ms=FETCH_WAIT_MS,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        decoder=_left_undecoded,
        auto_offset_reset="earliest",
        title=name,
    )(on_poll)


async def _left_undecoded(_message: StreamMessage[Any]) -> None:
    """FastStream would parse each record's JSON for a body parameter; `on_poll` has none and parses them itself."""


def _records_of(message: KafkaMessage) -> list[ConsumerRecord[Any, Any]]:
    raw = message.raw_message
    records = list(raw) if isinstance(raw, tuple | list) else [raw]
    assert all(isinstance(r, ConsumerRecord) for r in records)
    return records


def _parse(record: ConsumerRecord[Any, Any]) -> Envelope:
    return parse_body(bytes(record.value or b""))


def parse_body(body: bytes) -> Envelope:
    """What every consumer makes of a record's value: its envelope, or InvalidEvent with the dead letter's reason."""
    if len(body) > MAX_EVENT_BYTES:
        raise InvalidEvent(f"event of {len(body)} bytes exceeds {MAX_EVENT_BYTES}")
    return parse_event(body)


def _header(record: ConsumerRecord[Any, Any], name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name and value is not None:
            return bytes(value).decode(errors="replace")
    return None


async def _dead_letter_all(
    broker: KafkaBroker,
    records: Sequence[ConsumerRecord[Any, Any]],
    unparsed: Mapping[int, str],
    refused: Mapping[UUID, str],
    consumer: str,
) -> None:
    for index, record in enumerate(records):
        reason = unparsed.get(index)
        if reason is None and refused:
            reason = refused.get(_parse(record).id)
        if reason is not None:
            await dead_letter(broker, record, reason, consumer=consumer)
