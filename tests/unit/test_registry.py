"""The registry: the one map from event type to payload, and the refusals of what cannot be parsed."""

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from contracts import lifecycle, roadmaps, social_approaches, working_group
from contracts.envelope import Actor, EventPayload, Role, new_event
from contracts.registry import PAYLOADS, InvalidEvent, parse_event
from contracts.roadmaps import RecommendationSubmitted
from contracts.topics import LIFECYCLE, PRODUCER_TOPICS, ROADMAPS, SOCIAL_APPROACHES, WORKING_GROUP
from tests.support.retired import as_written_before_cloudevents

pytestmark = pytest.mark.unit


def valid_document() -> dict[str, Any]:
    payload = RecommendationSubmitted(recommendation_id=uuid4(), association="ZELS", version=1)
    event = new_event(
        payload,
        subject="s",
        actor=Actor(sub="ana", org="ZELS", role=Role.LGA),
        source="roadmaps",
        time=datetime(2024, 5, 1, tzinfo=UTC),
    )
    document: dict[str, Any] = json.loads(event.to_json())
    return document


def encode(document: object) -> bytes:
    return json.dumps(document).encode()


def test_a_valid_document_parses_into_its_payload_class() -> None:
    envelope = parse_event(encode(valid_document()))

    assert isinstance(envelope.data, RecommendationSubmitted)


def test_non_json_bytes_are_refused_as_not_json() -> None:
    with pytest.raises(InvalidEvent, match="not JSON"):
        parse_event(b"this is not json {")


def test_invalid_utf8_is_refused_as_not_json() -> None:
    with pytest.raises(InvalidEvent, match="not JSON"):
        parse_event(b'{"type": "\xff\xfe\xfa"}')


def test_empty_body_is_refused_as_not_json() -> None:
    with pytest.raises(InvalidEvent, match="not JSON"):
        parse_event(b"")


@pytest.mark.parametrize("document", [[], [{"type": RecommendationSubmitted.TYPE}], "a string", 42, None])
def test_a_json_value_that_is_not_an_object_is_refused(document: object) -> None:
    with pytest.raises(InvalidEvent, match="not a JSON object"):
        parse_event(encode(document))


def test_a_document_without_a_type_is_refused_as_missing_its_type() -> None:
    document = valid_document()
    del document["type"]

    with pytest.raises(InvalidEvent, match="missing event type"):
        parse_event(encode(document))


def test_a_type_that_is_not_a_string_is_refused_as_missing_its_type() -> None:
    document = {**valid_document(), "type": 7}

    with pytest.raises(InvalidEvent, match="missing event type"):
        parse_event(encode(document))


def test_unknown_event_type_is_refused_with_its_name() -> None:
    document = {**valid_document(), "type": "sori.roadmaps.recommendation.teleported.v1"}

    with pytest.raises(InvalidEvent) as refused:
        parse_event(encode(document))

    assert "unknown event type" in str(refused.value)
    assert "sori.roadmaps.recommendation.teleported.v1" in str(refused.value)


def test_a_known_type_with_invalid_data_is_refused_naming_the_field() -> None:
    document = valid_document()
    document["data"]["version"] = 0

    with pytest.raises(InvalidEvent) as refused:
        parse_event(encode(document))

    message = str(refused.value)
    assert RecommendationSubmitted.TYPE in message
    assert "version" in message


def test_a_known_type_with_missing_data_field_is_refused_naming_the_field() -> None:
    document = valid_document()
    del document["data"]["recommendation_id"]

    with pytest.raises(InvalidEvent, match="recommendation_id"):
        parse_event(encode(document))


def test_a_known_type_with_an_unexpected_data_field_is_refused_naming_the_field() -> None:
    document = valid_document()
    document["data"]["surprise"] = True

    with pytest.raises(InvalidEvent, match="surprise"):
        parse_event(encode(document))


def test_a_known_type_with_an_invalid_attribute_is_refused_naming_the_attribute() -> None:
    document = {**valid_document(), "correlationid": "not-a-uuid"}

    with pytest.raises(InvalidEvent, match="correlationid"):
        parse_event(encode(document))


def test_a_cloudevent_without_its_actors_organisation_is_refused_naming_the_attribute() -> None:
    document = valid_document()
    del document["actororg"]

    with pytest.raises(InvalidEvent, match="actororg: Field required"):
        parse_event(encode(document))


@pytest.mark.parametrize(("attribute", "value"), [("specversion", "0.3"), ("datacontenttype", "application/xml")])
def test_a_cloudevent_of_another_version_or_data_content_type_is_refused(attribute: str, value: str) -> None:
    with pytest.raises(InvalidEvent, match=f"{attribute} '{value}' is not"):
        parse_event(encode({**valid_document(), attribute: value}))


def test_an_extension_attribute_sori_does_not_know_is_ignored() -> None:
    document = valid_document()

    assert parse_event(encode({**document, "partitionkey": "s"})) == parse_event(encode(document))


def test_an_envelope_written_before_cloudevents_with_an_invalid_field_is_refused_naming_the_field() -> None:
    event = parse_event(encode(valid_document()))
    document = {**json.loads(as_written_before_cloudevents(event)), "correlation_id": "not-a-uuid"}

    with pytest.raises(InvalidEvent, match="correlation_id"):
        parse_event(encode(document))


def test_invalid_event_is_a_value_error() -> None:
    assert issubclass(InvalidEvent, ValueError)


def test_registry_keys_are_the_types_their_payload_classes_declare() -> None:
    assert PAYLOADS
    for event_type, payload_class in PAYLOADS.items():
        assert event_type == payload_class.TYPE


@pytest.mark.parametrize("payload_class", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_every_payload_is_published_on_a_producer_topic(payload_class: type[EventPayload]) -> None:
    assert payload_class.TOPIC in PRODUCER_TOPICS


@pytest.mark.parametrize("payload_class", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_every_payload_is_published_on_the_topic_of_the_producer_its_type_names(
    payload_class: type[EventPayload],
) -> None:
    producer = payload_class.TYPE.split(".")[1].replace("_", "-")

    assert f"sori.{producer}.v1" == payload_class.TOPIC


@pytest.mark.parametrize(
    ("payloads", "topic"),
    [
        (roadmaps.PAYLOADS, ROADMAPS),
        (working_group.PAYLOADS, WORKING_GROUP),
        (social_approaches.PAYLOADS, SOCIAL_APPROACHES),
        (lifecycle.PAYLOADS, LIFECYCLE),
    ],
    ids=["roadmaps", "working group", "social approaches", "lifecycle"],
)
def test_each_producer_publishes_its_payloads_on_its_own_topic(
    payloads: tuple[type[EventPayload], ...], topic: str
) -> None:
    assert {payload.TOPIC for payload in payloads} == {topic}
