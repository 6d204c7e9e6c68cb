"""Garbage on a topic lands in its dead-letter twin with the reason, and the consumers keep consuming."""

from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from contracts.topics import LIFECYCLE, ROADMAPS, dlq
from sori.kafka import DLQ_CONSUMER, DLQ_REASON
from sori_cli.stack.child import RunningStack
from sori_cli.stack.refill import consumer_groups
from tests.polling import eventually
from tests.support.journey import progress_status, submit_a_recommendation

pytestmark = pytest.mark.integration

GARBAGE = b"{this is not an event"
UNKNOWN = b'{"type": "sori.roadmaps.recommendation.teleported.v1", "data": {}}'


async def produce(stack: RunningStack, topic: str, *bodies: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=stack.document["kafka_bootstrap_servers"])
    await producer.start()
    try:
        for body in bodies:
            await producer.send_and_wait(topic, body, key=b"garbage")
    finally:
        await producer.stop()


async def dead_letters(stack: RunningStack, topic: str) -> list[tuple[bytes, dict[str, str]]]:
    consumer = AIOKafkaConsumer(
        dlq(topic), bootstrap_servers=stack.document["kafka_bootstrap_servers"], auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=1000)
    finally:
        await consumer.stop()
    return [
        (record.value or b"", {k: v.decode() for k, v in record.headers})
        for records in batches.values()
        for record in records
    ]


def consumers_of(letters: list[tuple[bytes, dict[str, str]]], body: bytes) -> set[str]:
    return {headers[DLQ_CONSUMER] for value, headers in letters if value == body}


async def test_garbage_goes_to_each_topics_dlq_with_its_reason_and_consumers_go_on(shared_stack: RunningStack) -> None:
    await produce(shared_stack, LIFECYCLE, GARBAGE)
    await produce(shared_stack, ROADMAPS, GARBAGE, UNKNOWN)

    recommendation = await submit_a_recommendation(shared_stack)
    status = await eventually(
        lambda: progress_status(shared_stack, recommendation["id"]), until=lambda s: s == "submitted", within=60
    )
    assert status == "submitted"

    lifecycle_letters = await eventually(
        lambda: dead_letters(shared_stack, LIFECYCLE),
        until=lambda ls: consumers_of(ls, GARBAGE) >= {"progress", "roadmaps"},
    )
    assert all(h[DLQ_REASON].startswith("not JSON") for v, h in lifecycle_letters if v == GARBAGE)

    readers = {group for group, topics in consumer_groups().items() if ROADMAPS in topics}
    roadmaps_letters: list[Any] = await eventually(
        lambda: dead_letters(shared_stack, ROADMAPS), until=lambda ls: consumers_of(ls, UNKNOWN) == readers
    )
    assert "lifecycle-bridge" in readers
    reasons = {h[DLQ_REASON] for v, h in roadmaps_letters if v == UNKNOWN}
    assert reasons == {"unknown event type 'sori.roadmaps.recommendation.teleported.v1'"}
