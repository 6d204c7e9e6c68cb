"""Every SoRi event is a CloudEvent 1.0 that the CloudEvents SDK reads, in the JSON event format and from a Kafka
record as the outbox relay sends it (structured mode), with `data` that the JSON Schema named by `dataschema`
accepts; and an event written in the envelope before CloudEvents reads as the same event."""

from typing import Any, cast

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka_event
from cloudevents.core.exceptions import CloudEventValidationError
from cloudevents.core.formats.json import JSONFormat
from cloudevents.v1.exceptions import MissingRequiredFields
from cloudevents.v1.http import from_json
from faststream.kafka import KafkaBroker

from contracts.envelope import TYPE_HEADER
from contracts.registry import PAYLOADS, parse_event
from sori.kafka import KafkaSink
from sori.outbox import OutboxMessage
from tests.support.cloud_events import data_errors, example_event
from tests.support.retired import as_written_before_cloudevents

pytestmark = pytest.mark.unit

TYPES = sorted(PAYLOADS)


@pytest.mark.parametrize("event_type", TYPES)
def test_the_sdk_reads_each_type_as_a_cloudevent_1_0_with_its_attributes(event_type: str) -> None:
    event = example_event(event_type)

    read = JSONFormat().read(None, event.to_json())

    assert (read.get_specversion(), read.get_id(), read.get_type()) == ("1.0", str(event.id), event_type)
    assert (read.get_source(), read.get_subject(), read.get_time()) == ("/sori/roadmaps", event.subject, event.time)
    assert (read.get_datacontenttype(), read.get_dataschema()) == ("application/json", f"urn:sori:schema:{event_type}")
    assert {name: read.get_extension(name) for name in ("correlationid", "causationid")} == {
        "correlationid": str(event.correlation_id),
        "causationid": str(event.causation_id),
    }
    assert [read.get_extension(name) for name in ("actorsub", "actororg", "actorrole")] == ["ana@ZELS", "ZELS", "lga"]
    assert read.get_data() == event.data.model_dump(mode="json")


@pytest.mark.parametrize("event_type", TYPES)
def test_the_sdks_http_reader_finds_every_required_attribute(event_type: str) -> None:
    event = example_event(event_type)

    read = from_json(event.to_json())

    assert (read["specversion"], read["type"], read["subject"]) == ("1.0", event_type, event.subject)


@pytest.mark.parametrize("event_type", TYPES)
def test_each_types_data_is_valid_against_the_schema_its_dataschema_names(event_type: str) -> None:
    read = JSONFormat().read(None, example_event(event_type).to_json())

    assert data_errors(read.get_data(), read.get_dataschema()) == []


class RecordingBroker:
    """Takes what the outbox relay publishes, as the Kafka record it would become."""

    def __init__(self) -> None:
        self.records: list[KafkaMessage] = []

    async def publish(self, body: bytes, *, topic: str, key: bytes, headers: dict[str, str], no_confirm: bool) -> None:
        self.records.append(KafkaMessage({k: v.encode() for k, v in headers.items()}, key, body))


async def test_a_record_the_relay_sends_is_read_in_structured_mode_and_names_its_type_in_a_header() -> None:
    event = example_event(TYPES[0])
    broker = RecordingBroker()
    row = OutboxMessage(1, "sori.lifecycle.v1", event.subject, event.type, str(event.id), event.to_json())

    await KafkaSink(cast(KafkaBroker, broker)).send([row])

    [record] = broker.records
    assert record.headers["content-type"] == b"application/cloudevents+json"
    assert record.headers[TYPE_HEADER] == event.type.encode()
    assert not [name for name in record.headers if name.startswith("ce_")], "a ce_ header would mean binary mode"
    read = from_kafka_event(record)
    assert (read.get_type(), read.get_subject(), read.get_extension("partitionkey")) == (
        event.type,
        event.subject,
        event.subject,
    )


async def test_a_row_written_before_cloudevents_is_sent_as_the_plain_json_it_is() -> None:
    event = example_event(TYPES[0])
    broker = RecordingBroker()
    old = as_written_before_cloudevents(event)
    row = OutboxMessage(1, "sori.lifecycle.v1", event.subject, event.type, str(event.id), old)

    await KafkaSink(cast(KafkaBroker, broker)).send([row])

    [record] = broker.records
    assert (record.headers["content-type"], record.value) == (b"application/json", old)


@pytest.mark.parametrize("event_type", TYPES)
def test_the_envelope_before_cloudevents_reads_as_the_same_event(event_type: str) -> None:
    event = example_event(event_type)

    assert parse_event(as_written_before_cloudevents(event)) == parse_event(event.to_json()) == event


@pytest.mark.parametrize(
    ("read", "refusal", "message"),
    [
        (from_json, MissingRequiredFields, "Failed to find specversion"),
        (lambda body: JSONFormat().read(None, body), CloudEventValidationError, "'correlation_id' should only contain"),
    ],
    ids=["http from_json", "JSONFormat"],
)
def test_the_sdk_refuses_the_envelope_before_cloudevents(read: Any, refusal: type[Exception], message: str) -> None:
    """Why the wire form changed: the SDK is strict, and this suite's checks above have teeth."""
    with pytest.raises(refusal, match=message):
        read(as_written_before_cloudevents(example_event(TYPES[0])))
