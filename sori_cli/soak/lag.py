"""Consumer lag: per consumer group of SoRi, the records on its topics beyond the offsets it has committed."""

from aiokafka import AIOKafkaConsumer, TopicPartition

from sori_cli.stack.refill import consumer_groups


async def _lag(bootstrap: str, group: str, topics: tuple[str, ...]) -> int:
    # A consumer of the group that never subscribes: it reads the group's offsets without joining it.
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        ends = await consumer.end_offsets(partitions)
        # After a restart the embedded broker may report an end short of the records there (see dead_letters): a
        # committed offset beyond it is no lag.
        return sum([max(0, ends[p] - (await consumer.committed(p) or 0)) for p in partitions])
    finally:
        await consumer.stop()


async def consumer_lag(bootstrap: str) -> dict[str, int]:
    """Each consumer group's lag, in records."""
    return {group: await _lag(bootstrap, group, topics) for group, topics in consumer_groups().items()}
