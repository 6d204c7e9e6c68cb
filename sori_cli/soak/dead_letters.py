"""The dead-letter topics' contents: a valid SoRi event there is one a consumer should have applied."""

import time

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from contracts.registry import parse_event
from contracts.topics import PRODUCER_TOPICS, dlq

QUIET_MS = 400
# A reader that cannot reach the end offsets by then returns what it has; its callers poll again.
READ_WITHIN_SECONDS = 30


async def records(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record on `topic` now, every partition from offset 0 with a plain consumer (no group, nothing committed).

    Read at least up to the end offsets, and then on until a poll brings nothing: after a restart the embedded broker
    reports a partition's end as its last batch's first offset + 1, short of records that are there. A quiet poll
    alone is not enough: on a loaded machine one fetch of the DLQ's megabyte-sized poison can outlast it.
    """
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()  # fetches the metadata that names the partitions
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[ConsumerRecord[bytes, bytes]] = []
        deadline = time.monotonic() + READ_WITHIN_SECONDS
        while True:
            batches = await consumer.getmany(*partitions, timeout_ms=QUIET_MS)
            found.extend(record for batch in batches.values() for record in batch)
            if batches:
                continue
            at_end = all([await consumer.position(p) >= ends[p] for p in partitions])
            if at_end or time.monotonic() > deadline:
                return found
    finally:
        await consumer.stop()


def _valid(body: bytes | None) -> str | None:
    try:
        envelope = parse_event(body or b"")
    except ValueError:
        return None
    return f"{envelope.type} {envelope.id}"


async def valid_dead_letters(bootstrap: str) -> tuple[int, list[str]]:
    """How many dead-letter topics were read, and each valid event found on one ("topic: type id")."""
    found = []
    for topic in (dlq(t) for t in PRODUCER_TOPICS):
        found += [f"{topic}: {event}" for r in await records(bootstrap, topic) if (event := _valid(r.value))]
    return len(PRODUCER_TOPICS), found
