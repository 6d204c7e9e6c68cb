"""The developers' page reads any AsyncAPI 3.0 document by its structure: SoRi's own, and one whose envelope is
another (here a CloudEvent with its own headers), so the page follows the contracts when they change."""

import json
from pathlib import Path
from typing import Any

import pytest

from contracts.registry import PAYLOADS
from contracts.topics import PRODUCER_TOPICS, dlq
from services.progress.portal.event_catalogue import Field, read_catalogue

pytestmark = pytest.mark.unit

SORI = json.loads((Path(__file__).resolve().parents[2] / "contracts" / "asyncapi.json").read_text("utf-8"))
CLOUD_EVENT: dict[str, Any] = {
    "asyncapi": "3.0.0",
    "info": {"title": "Another system", "version": "2.0.0"},
    "channels": {
        "orders": {"address": "shop.orders", "messages": {"placed": {"$ref": "#/components/messages/OrderPlaced"}}},
        "ordersDlq": {"address": "shop.orders.dlq", "messages": {}},
    },
    "operations": {
        "shopSendsOrders": {
            "action": "send",
            "channel": {"$ref": "#/channels/orders"},
            "messages": [{"$ref": "#/channels/orders/messages/placed"}],
        },
        "billingReceivesOrders": {
            "action": "receive",
            "channel": {"$ref": "#/channels/orders"},
            "messages": [{"$ref": "#/channels/orders/messages/placed"}],
        },
    },
    "components": {
        "messages": {
            "OrderPlaced": {
                "name": "com.shop.order.placed",
                "contentType": "application/cloudevents+json",
                "headers": {"type": "object", "properties": {"ce-type": {"type": "string"}}, "required": ["ce-type"]},
                "payload": {"$ref": "#/components/schemas/CloudEvent"},
            }
        },
        "schemas": {
            "CloudEvent": {
                "type": "object",
                "properties": {
                    "specversion": {"const": "1.0"},
                    "data": {"$ref": "#/components/schemas/Order"},
                },
                "required": ["specversion"],
            },
            "Order": {
                "type": "object",
                "properties": {"lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}}},
            },
            "Line": {"type": "object", "properties": {"sku": {"type": "string", "description": "what was bought"}}},
        },
    },
}


def test_sori_s_document_gives_every_topic_with_its_twin_and_every_registered_type() -> None:
    catalogue = read_catalogue(SORI)

    assert {(topic.address, topic.twin and topic.twin.address) for topic in catalogue.topics} == {
        (topic, dlq(topic)) for topic in PRODUCER_TOPICS
    }
    assert {message.name for message in catalogue.messages} == set(PAYLOADS) | {"dead-letter"}


def test_each_type_names_who_sends_it_and_who_receives_it() -> None:
    (submitted,) = [m for m in read_catalogue(SORI).messages if m.name == "sori.roadmaps.recommendation.submitted.v1"]

    assert submitted.topics == ["sori.roadmaps.v1"]
    assert submitted.senders == {"roadmaps"}
    assert {"progress", "lifecycle_bridge"} <= submitted.receivers


def test_a_cloud_event_document_shows_its_own_envelope_nested_fields_and_headers() -> None:
    catalogue = read_catalogue(CLOUD_EVENT)

    (topic,) = catalogue.topics
    assert (topic.address, topic.twin and topic.twin.address) == ("shop.orders", "shop.orders.dlq")
    assert (topic.senders, topic.receivers) == ({"shop"}, {"billing"})
    (message,) = catalogue.messages
    assert message.content_type == "application/cloudevents+json"
    assert message.headers == [Field("ce-type", "string", True, "")]
    assert message.payload == [
        Field("specversion", '"1.0"', True, ""),
        Field("data", "Order", False, ""),
        Field("data.lines", "Line[]", False, ""),
        Field("data.lines[].sku", "string", False, "what was bought"),
    ]
