"""Poison for every consumed topic, and what its consumers dead-lettered: who, from which partition, why."""

import json
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from contracts.registry import PAYLOADS
from contracts.topics import dlq
from sori.kafka import DLQ_CONSUMER, DLQ_REASON, MAX_EVENT_BYTES
from sori.settings import Settings
from sori_cli.stack.child import RunningStack
from sori_cli.stack.refill import consumer_groups
from tests.faults.topics import produce, records
from tests.polling import eventually


def consumers_by_topic() -> dict[str, set[str]]:
    """Who consumes each topic; each must dead-letter what it cannot use."""
    found: dict[str, set[str]] = {}
    for group, topics in consumer_groups().items():
        for topic in topics:
            found.setdefault(topic, set()).add(group)
    return found


CONSUMERS = consumers_by_topic()
# The stack inherits this process's environment, so it makes its topics with these many partitions.
PARTITIONS = Settings().kafka_partitions


@dataclass(frozen=True)
class Letter:
    body: bytes
    consumer: str
    partition: int
    reason: str


async def letters(stack: RunningStack, topic: str) -> list[Letter]:
    found = []
    for record in await records(stack, dlq(topic)):
        headers = {k: v.decode() for k, v in record.headers}
        partition = int(headers["x-sori-original-partition"])
        found.append(Letter(record.value or b"", headers[DLQ_CONSUMER], partition, headers[DLQ_REASON]))
    return found


def known_type(topic: str) -> str:
    return next(t for t in sorted(PAYLOADS) if topic == PAYLOADS[t].TOPIC)


def poisons(topic: str, tag: str) -> dict[str, tuple[bytes, str]]:
    """Each kind of poison for `topic`, tagged to be told apart: its body and how its DLQ reason begins."""
    event_type = known_type(topic)
    newer = event_type.rsplit(".v", 1)[0] + ".v99"
    unknown = event_type.rsplit(".", 2)[0] + ".teleported.v1"

    def body(document: dict[str, object]) -> bytes:
        return json.dumps({**document, "tag": tag}).encode()

    return {
        "invalid JSON": (f"{{not an event {tag}".encode(), "not JSON"),
        "unknown type": (body({"type": unknown, "data": {}}), f"unknown event type {unknown!r}"),
        "wrong schema version": (body({"type": newer, "data": {}}), f"unknown event type {newer!r}"),
        "wrong shape": (body({"type": event_type, "data": {"nonsense": True}}), f"invalid {event_type}"),
        "oversize": (body({"type": event_type, "padding": "x" * MAX_EVENT_BYTES}), "event of "),
    }


async def dead_lettered(stack: RunningStack, topic: str, bodies: Collection[bytes], count: int) -> list[Letter]:
    """The letters of these bodies on `topic`'s DLQ, once there are at least `count` of them."""

    async def found() -> list[Letter]:
        return [letter for letter in await letters(stack, topic) if letter.body in bodies]

    return await eventually(found, until=lambda letters: len(letters) >= count, within=60)


async def caught_up(stack: RunningStack, topics: Iterable[str], partitions: int = PARTITIONS) -> None:
    """Return once every consumer of `topics` has handled all that is on them now.

    A marker no consumer can parse goes into every partition; a consumer that has dead-lettered the marker from a
    partition has handled everything before it there (a partition is consumed in order).
    """
    marker = f"{{marker {secrets.token_hex(4)}".encode()
    for topic in topics:
        await produce(stack, topic, [(b"marker", marker, [])], partitions=range(partitions))
    for topic in topics:
        found = await dead_lettered(stack, topic, {marker}, len(CONSUMERS[topic]) * partitions)
        assert {(x.consumer, x.partition) for x in found} == {
            (consumer, p) for consumer in CONSUMERS[topic] for p in range(partitions)
        }
