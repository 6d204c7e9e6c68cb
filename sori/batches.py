"""Envelope batches: a consumer handles one poll of records at once, so that it pays one transaction and one offset
commit per poll rather than per event. A record whose type header names a type the consumer does not take is
skipped unparsed; what cannot be parsed, or what the handler rejects, goes to the DLQ one record at a time; the rest
of the poll is applied."""

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

from contracts.envelope import TYPE_HEADER, Envelope
from contracts.registry import InvalidEvent, handled_type, parse_event
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
# Whether the consumer handles events of a type (today's, after upcasting).
Takes = Callable[[str], bool]


def subscribe_envelope_batches(
    broker: KafkaBroker,
    *,
    topics: Sequence[str],
    group_id: str,
    handler: BatchHandler,
    takes: Takes,
    name: str,
    max_records: int = MAX_RECORDS_PER_POLL,
) -> None:
    """Subscribe `handler` to each poll's parsed envelopes of the types it takes, in offset order per partition.

    A handler that raises leaves the whole poll unacknowledged: each partition is rewound to its first record of the
    poll and delivered again after a pause (the consumer's inbox makes the repeat harmless).
    """

    async def on_poll(message: KafkaMessage) -> None:
        records = _records_of(message)
        deliveries: dict[int, Delivery] = {}
        rejected: dict[int, str] = {}
        for index, record in enumerate(records):
            if not _may_take(record, takes):
                continue
            try:
                deliveries[index] = Delivery(_parse(record), record.topic, _header(record, TRACEPARENT))
            except InvalidEvent as exc:
                rejected[index] = str(exc)
        try:
            refused = await handler(list(deliveries.values()))
        except Exception as exc:
            log.warning("batch handler failed; the poll will be redelivered", consumer=group_id, error=repr(exc))
            await asyncio.sleep(1.0)
            raise
        for index, delivery in deliveries.items():
            if delivery.envelope.id in refused:
                rejected[index] = refused[delivery.envelope.id]
        for index, reason in sorted(rejected.items()):
            await dead_letter(broker, records[index], reason, consumer=group_id)
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


def _may_take(record: ConsumerRecord[Any, Any], takes: Takes) -> bool:
    """False only for a record whose type header names a known type the consumer does not take. A record without
    the header (written before it, or by hand) is parsed, and so is one of an unknown type: it goes to the DLQ."""
    named = _header(record, TYPE_HEADER)
    current = handled_type(named) if named is not None else None
    return current is None or takes(current)


def _header(record: ConsumerRecord[Any, Any], name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name and value is not None:
            return bytes(value).decode(errors="replace")
    return None
