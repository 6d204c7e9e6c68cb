"""Other systems read SoRi's events with a CloudEvents SDK: after a recommendation's first steps on the real stack,
every record on every SoRi topic is a CloudEvent 1.0 that the SDK reads from the Kafka record (structured mode), of
the type its `sori-type` header names, about the record's key, with `data` that the JSON Schema its `dataschema`
names accepts; and the reference consumer in examples/ follows the recommendation's lifecycle."""

import asyncio
import json
import sys
from pathlib import Path

import pytest
from aiokafka import ConsumerRecord
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka_event

from contracts.envelope import TYPE_HEADER
from contracts.lifecycle import StatusChanged
from contracts.registry import PAYLOADS
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted
from contracts.topics import PRODUCER_TOPICS, dlq
from sori.kafka import DLQ_REASON
from sori_cli.soak.dead_letters import records
from sori_cli.stack.child import RunningStack
from tests.polling import eventually
from tests.support.cloud_events import data_errors
from tests.support.journey import progress_status, submit_a_recommendation

pytestmark = pytest.mark.integration

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "consume_lifecycle.py"


async def submitted_recommendation(stack: RunningStack) -> str:
    recommendation_id: str = (await submit_a_recommendation(stack))["id"]
    await eventually(lambda: progress_status(stack, recommendation_id), until=lambda s: s == "submitted", within=60)
    return recommendation_id


def headers_of(record: ConsumerRecord[bytes, bytes]) -> dict[str, bytes]:
    return {name: bytes(value) for name, value in record.headers}


async def test_every_record_on_every_topic_is_a_cloudevent_the_sdk_reads(shared_stack: RunningStack) -> None:
    recommendation_id = await submitted_recommendation(shared_stack)
    bootstrap = shared_stack.document["kafka_bootstrap_servers"]

    read: set[tuple[str, str]] = set()
    for topic in PRODUCER_TOPICS:
        letters = await records(bootstrap, dlq(topic))
        assert all(DLQ_REASON in headers_of(letter) for letter in letters)
        for record in await records(bootstrap, topic):
            headers = headers_of(record)
            if TYPE_HEADER not in headers:
                # No relay sent it: another test put poison there by hand, and the consumers dead-lettered it.
                assert record.value in {letter.value for letter in letters}, record.value
                continue
            event = from_kafka_event(KafkaMessage(headers, record.key, record.value))
            assert json.loads(record.value)["specversion"] == event.get_specversion() == "1.0"
            assert headers["content-type"] == b"application/cloudevents+json"
            assert event.get_type() == headers[TYPE_HEADER].decode()
            assert topic == PAYLOADS[event.get_type()].TOPIC
            assert event.get_subject() == (record.key or b"").decode()
            assert data_errors(event.get_data(), event.get_dataschema()) == [], event.get_type()
            read.add((str(event.get_subject()), event.get_type()))

    ours = {event_type for subject, event_type in read if subject == recommendation_id}
    assert {RecommendationDrafted.TYPE, RecommendationSubmitted.TYPE, StatusChanged.TYPE} <= ours


async def test_the_reference_consumer_prints_the_status_changes_of_a_recommendation(shared_stack: RunningStack) -> None:
    recommendation_id = await submitted_recommendation(shared_stack)
    bootstrap = shared_stack.document["kafka_bootstrap_servers"]
    consumer = await asyncio.create_subprocess_exec(
        sys.executable, str(EXAMPLE), bootstrap, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout = consumer.stdout
    assert stdout is not None
    printed: list[str] = []

    async def lines_so_far() -> str:
        printed.append((await asyncio.wait_for(stdout.readline(), timeout=60)).decode())
        return "".join(printed)

    try:
        lines = await eventually(lines_so_far, until=lambda lines: f"{recommendation_id} drafted -> submitted" in lines)
    finally:
        consumer.terminate()
        await consumer.wait()
    assert f"{recommendation_id} None -> drafted" in lines
