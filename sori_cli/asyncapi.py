"""`sori asyncapi [--check]`: the AsyncAPI 3.0 document of SoRi's topics, written to contracts/asyncapi.json.

Built from the one source of truth: the contracts' registry gives every message type and its payload schema, each
producer's topic says who sends it, and each service's consumer says who receives it. A test fails when the file
in contracts/ is not what this builds, and the official parser (@asyncapi/parser) validates it.
"""

import json
import re
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from contracts.envelope import CONTENT_TYPE, TYPE_HEADER, CloudEvent, EventPayload, schema_of
from contracts.registry import PAYLOADS
from contracts.topics import DLQ_SUFFIX, LIFECYCLE, PRODUCER_TOPICS, ROADMAPS, SOCIAL_APPROACHES, WORKING_GROUP, dlq
from sori.kafka import DLQ_CONSUMER, DLQ_REASON
from sori_cli.migrate import all_specs
from workflows.bridge import DOMAIN_TOPICS
from workflows.transitions import LIFECYCLE_EVENT_TYPES

DOCUMENT = Path(__file__).resolve().parents[1] / "contracts" / "asyncapi.json"
SCHEMAS = "#/components/schemas/{model}"
SENDERS = {
    ROADMAPS: "roadmaps",
    WORKING_GROUP: "working_group",
    SOCIAL_APPROACHES: "social_approaches",
    LIFECYCLE: "workflows",
}
# The bridge is no service of its own: it reads the domain topics and signals the lifecycles the events they carry.
BRIDGE = "lifecycle_bridge"
Takes = Callable[[str], bool]


def asyncapi_document() -> dict[str, Any]:
    payloads = sorted(PAYLOADS.values(), key=lambda payload: payload.TYPE)
    schemas = _component_schemas(payloads)
    channels = {_channel_id(topic): _channel(topic, payloads) for topic in PRODUCER_TOPICS}
    channels |= {_channel_id(dlq(topic)): _dead_letter_channel(topic) for topic in PRODUCER_TOPICS}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "SoRi events",
            "version": version("sori"),
            "description": (
                "Every event SoRi's services exchange over Kafka: one topic per producer, each with a dead-letter twin "
                "(`.dlq`) that receives what a consumer can never process, with the reason in a header. Every message "
                "is a CloudEvent 1.0 in the JSON event format, sent in the Kafka protocol binding's structured mode "
                f"(header `content-type: {CONTENT_TYPE}`); its `type` names the payload in `data`, whose JSON Schema "
                f"`dataschema` names, and the header `{TYPE_HEADER}` repeats the type, so that a consumer may skip an "
                "event without parsing it. The key is the event's `subject`, so one recommendation's events keep "
                "their order."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "embedded": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "The broker `sori up` starts (KAFKA_BOOTSTRAP_SERVERS names another).",
            }
        },
        "channels": channels,
        "operations": _operations(payloads),
        "components": {
            "schemas": schemas,
            "messages": {_message_id(payload): _message(payload) for payload in payloads}
            | {"DeadLetter": _dead_letter_message()},
        },
    }


def _component_schemas(payloads: Iterable[type[BaseModel]]) -> dict[str, Any]:
    _, top = models_json_schema([(payload, "validation") for payload in payloads], ref_template=SCHEMAS)
    event = TypeAdapter(CloudEvent).json_schema(ref_template=SCHEMAS)
    schemas: dict[str, Any] = top["$defs"] | event.pop("$defs")
    # An event's `data` is the payload its `type` names: each message says which (see _message).
    schemas.pop("EventPayload", None)
    schemas["CloudEvent"] = event | {
        "properties": event["properties"] | {"data": {"type": "object", "description": "the payload `type` names"}}
    }
    return schemas


def _message_id(payload: type[EventPayload]) -> str:
    return payload.__name__


def _message(payload: type[EventPayload]) -> dict[str, Any]:
    return {
        "name": payload.TYPE,
        "title": payload.__name__,
        "summary": (payload.__doc__ or payload.TYPE).strip().splitlines()[0],
        "contentType": CONTENT_TYPE,
        "headers": {
            "type": "object",
            "properties": {
                "content-type": {"type": "string", "const": CONTENT_TYPE, "description": "structured mode"},
                TYPE_HEADER: {"type": "string", "const": payload.TYPE, "description": "the event's type"},
                "traceparent": {"type": "string", "description": "W3C trace context of the request that caused it"},
            },
            "required": ["content-type", TYPE_HEADER],
        },
        "payload": {
            "allOf": [
                {"$ref": SCHEMAS.format(model="CloudEvent")},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": payload.TYPE},
                        "dataschema": {"const": schema_of(payload.TYPE)},
                        "data": {"$ref": SCHEMAS.format(model=payload.__name__)},
                    },
                },
            ]
        },
        "bindings": {
            "kafka": {
                "key": {
                    "type": "string",
                    "description": "the event's subject: the recommendation's id for a recommendation's events",
                }
            }
        },
    }


def _dead_letter_message() -> dict[str, Any]:
    return {
        "name": "dead-letter",
        "title": "Dead letter",
        "summary": "A message a consumer can never process, as it arrived, with why.",
        "headers": {
            "type": "object",
            "properties": {
                DLQ_REASON: {"type": "string", "maxLength": 1000, "description": "why it can never be processed"},
                DLQ_CONSUMER: {"type": "string", "description": "the consumer group that refused it"},
            },
            "required": [DLQ_REASON],
        },
        "payload": {"description": "the refused message's bytes, unchanged (they need not be JSON)"},
    }


def _camel(*names: str) -> str:
    words = [word for name in names for word in re.split(r"[-_.]", name) if word]
    return words[0] + "".join(word[0].upper() + word[1:] for word in words[1:])


def _channel_id(topic: str) -> str:
    return _camel(topic.removeprefix("sori.").replace(DLQ_SUFFIX, "-dead-letters"))


def _channel(topic: str, payloads: Iterable[type[EventPayload]]) -> dict[str, Any]:
    return {
        "address": topic,
        "title": topic,
        "description": f"Sent by {SENDERS[topic]}.",
        "messages": {
            _message_id(payload): {"$ref": f"#/components/messages/{_message_id(payload)}"}
            for payload in payloads
            if topic == payload.TOPIC
        },
    }


def _dead_letter_channel(topic: str) -> dict[str, Any]:
    return {
        "address": dlq(topic),
        "title": dlq(topic),
        "description": f"What the consumers of {topic} could never process.",
        "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
    }


def _receivers() -> dict[str, tuple[tuple[str, ...], Takes]]:
    receivers: dict[str, tuple[tuple[str, ...], Takes]] = {
        spec.name: (tuple(spec.consumer.topics), spec.consumer.takes)
        for spec in all_specs()
        if spec.consumer is not None
    }
    receivers[BRIDGE] = (DOMAIN_TOPICS, LIFECYCLE_EVENT_TYPES.__contains__)
    return receivers


def _operations(payloads: list[type[EventPayload]]) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for topic in PRODUCER_TOPICS:
        channel = _channel_id(topic)
        sent = [payload for payload in payloads if topic == payload.TOPIC]
        operations[_camel(SENDERS[topic], "sends", channel)] = _operation("send", channel, sent)
        operations[_camel("dead-letters-of", channel)] = {
            "action": "send",
            "summary": f"A consumer of {topic} parks what it can never process.",
            "channel": {"$ref": f"#/channels/{_channel_id(dlq(topic))}"},
            "messages": [{"$ref": f"#/channels/{_channel_id(dlq(topic))}/messages/DeadLetter"}],
        }
    for receiver, (topics, takes) in sorted(_receivers().items()):
        for topic in topics:
            channel = _channel_id(topic)
            taken = [payload for payload in payloads if topic == payload.TOPIC and takes(payload.TYPE)]
            if taken:
                operations[_camel(receiver, "receives", channel)] = _operation("receive", channel, taken)
    return operations


def _operation(action: str, channel: str, payloads: Iterable[type[EventPayload]]) -> dict[str, Any]:
    return {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/{_message_id(payload)}"} for payload in payloads],
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_or_check(check: bool) -> int:
    """Writes the document, or (with check) says whether the file holds what the code builds."""
    rendered = render(asyncapi_document())
    if check:
        current = DOCUMENT.read_text("utf-8") if DOCUMENT.exists() else ""
        if current != rendered:
            print(f"{DOCUMENT.name} is stale: run `sori asyncapi` and commit it")
            return 1
        print(f"{DOCUMENT.name} is up to date")
        return 0
    DOCUMENT.write_text(rendered, "utf-8")
    print(f"wrote {DOCUMENT}")
    return 0
