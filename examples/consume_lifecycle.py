"""Follow SoRi's recommendation lifecycle from another system: every status change on `sori.lifecycle.v1`, read with
aiokafka and parsed with the CloudEvents SDK (pip install aiokafka cloudevents), one line each:

    python examples/consume_lifecycle.py 127.0.0.1:9092      # the broker `sori up` printed (KAFKA_BOOTSTRAP_SERVERS)
"""

import asyncio
import sys

from aiokafka import AIOKafkaConsumer
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka_event

WANTED = b"sori.lifecycle.recommendation.status_changed.v1"


async def follow(bootstrap: str) -> None:
    consumer = AIOKafkaConsumer("sori.lifecycle.v1", bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    try:
        async for record in consumer:
            headers = dict(record.headers)
            if headers.get("sori-type") != WANTED:
                continue  # another lifecycle event (a reminder, an overdue milestone): skipped without parsing it
            event = from_kafka_event(KafkaMessage(headers, record.key, record.value or b""))
            data = event.get_data()
            assert isinstance(data, dict)  # `dataschema` names its JSON Schema
            print(event.get_time(), event.get_subject(), data["from_status"], "->", data["to_status"], flush=True)
    finally:
        await consumer.stop()


if __name__ == "__main__":
    asyncio.run(follow(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:9092"))
