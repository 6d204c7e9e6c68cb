"""What the topics hold, read from offset 0 with a plain aiokafka consumer (no group, nothing committed)."""

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer, ConsumerRecord

from sori_cli.soak.dead_letters import records as topic_records
from sori_cli.stack.child import RunningStack


@dataclass(frozen=True)
class Event:
    """An envelope as it lies on a topic; `data` is its payload."""

    id: str
    type: str
    subject: str
    data: dict[str, Any]


async def records(stack: RunningStack, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record on `topic` now, every partition from offset 0."""
    return await topic_records(stack.document["kafka_bootstrap_servers"], topic)


async def events(stack: RunningStack, topic: str, subjects: Iterable[str]) -> list[Event]:
    """The envelopes on `topic` about these subjects, in topic order per partition (repeats included)."""
    wanted = set(subjects)
    found = []
    for record in await records(stack, topic):
        try:
            body = json.loads(record.value or b"")
            event = Event(body["id"], body["type"], body["subject"], body["data"])
        except (ValueError, KeyError, TypeError):
            continue  # a poison message another scenario put there
        if event.subject in wanted:
            found.append(event)
    return found


def repeats(found: list[Event]) -> int:
    """How many records beyond the first carry an event id already seen."""
    return sum(n - 1 for n in Counter(e.id for e in found).values())


Outgoing = tuple[bytes | None, bytes, list[tuple[str, bytes]]]


async def produce(
    stack: RunningStack, topic: str, messages: Iterable[Outgoing], partitions: Iterable[int | None] = (None,)
) -> None:
    """Send (key, body, headers), each into every one of `partitions` (None: where its key places it), in order."""
    producer = AIOKafkaProducer(bootstrap_servers=stack.document["kafka_bootstrap_servers"], max_request_size=2**21)
    await producer.start()
    try:
        targets = list(partitions)
        for key, body, headers in messages:
            for partition in targets:
                await producer.send_and_wait(topic, body, key=key, partition=partition, headers=headers)
    finally:
        await producer.stop()
