"""An AsyncAPI 3.0 document read for people: its topics (each with its `.dlq` twin), its messages with their key,
headers and payload fields, and who sends and who receives each.

Everything comes from the document's own structure (channels, operations, messages and their JSON Schemas), never
from what SoRi's envelope holds today, so the page follows the document when the contracts change.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]
DEAD_LETTER_SUFFIX = ".dlq"
# How `sori asyncapi` names an operation: the part, then what it does, then the channel (`progressReceivesRoadmapsV1`).
PARTY = re.compile(r"^(?P<party>[a-z][A-Za-z0-9]*?)(?:Sends|Receives)[A-Z]")
# Deep enough for any payload SoRi has (an envelope's payload's list of objects), and an end to a schema that
# refers to itself.
MAX_DEPTH = 4


@dataclass(frozen=True)
class Field:
    name: str  # its path from the top: `data.milestones[].due_date`
    kind: str  # its type in JSON Schema's words: `string (uuid)`, `"a" | "b"`, `PlannedMilestone[]`
    required: bool
    description: str


@dataclass
class Message:
    id: str  # the document's key for it, also the page's anchor
    name: str
    summary: str
    content_type: str
    key: Field | None
    headers: list[Field]
    payload: list[Field]
    payload_description: str
    topics: list[str] = field(default_factory=list)
    senders: set[str] = field(default_factory=set)
    receivers: set[str] = field(default_factory=set)


@dataclass
class Topic:
    address: str
    description: str
    messages: list[Message]
    senders: set[str] = field(default_factory=set)
    receivers: set[str] = field(default_factory=set)
    twin: "Topic | None" = None


@dataclass(frozen=True)
class Catalogue:
    title: str
    version: str
    asyncapi: str
    topics: list[Topic]
    messages: list[Message]


def read_catalogue(document: dict[str, Any]) -> Catalogue:
    schemas = _Schemas(document)
    default_type = document.get("defaultContentType", "")
    messages = {
        key: _message(key, message, schemas, default_type)
        for key, message in document.get("components", {}).get("messages", {}).items()
    }
    # Each channel names its messages by keys of its own, each referring to one of the components' messages.
    carried = {
        key: {name: messages[_last(reference["$ref"])] for name, reference in channel.get("messages", {}).items()}
        for key, channel in document.get("channels", {}).items()
    }
    channels = {
        key: _topic(channel, list(carried[key].values())) for key, channel in document.get("channels", {}).items()
    }
    for operation_id, operation in document.get("operations", {}).items():
        _assign(_party(operation_id), operation, channels, carried)
    by_address = {topic.address: topic for topic in channels.values()}
    for address, topic in by_address.items():
        topic.twin = by_address.get(address + DEAD_LETTER_SUFFIX)
    twins = {id(topic.twin) for topic in by_address.values() if topic.twin}
    listed = [message for message in messages.values() if message.topics]
    info = document.get("info", {})
    return Catalogue(
        title=info.get("title", ""),
        version=info.get("version", ""),
        asyncapi=document.get("asyncapi", ""),
        topics=[topic for topic in by_address.values() if id(topic) not in twins],
        messages=sorted(listed, key=lambda message: message.name),
    )


def _party(operation_id: str) -> str:
    """The part an operation belongs to, in its Python name (`working_group`); the operation's id where its name
    says no part."""
    found = PARTY.match(operation_id)
    if not found:
        return operation_id
    return re.sub(r"(?<!^)(?=[A-Z])", "_", found["party"]).lower()


def _last(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _assign(
    party: str, operation: dict[str, Any], channels: dict[str, Topic], carried: dict[str, dict[str, Message]]
) -> None:
    topic = channels[_last(operation["channel"]["$ref"])]
    (topic.senders if operation["action"] == "send" else topic.receivers).add(party)
    for reference in operation.get("messages", []):
        _, _, channel_id, _, key = reference["$ref"].split("/")  # #/channels/<channel>/messages/<key>
        message = carried[channel_id][key]
        (message.senders if operation["action"] == "send" else message.receivers).add(party)


def _topic(channel: dict[str, Any], carried: list[Message]) -> Topic:
    for message in carried:
        message.topics.append(channel["address"])
    return Topic(channel["address"], channel.get("description", ""), carried)


def _message(key: str, message: dict[str, Any], schemas: "_Schemas", default_type: str) -> Message:
    kafka_key = message.get("bindings", {}).get("kafka", {}).get("key")
    payload = schemas.resolve(message.get("payload", {}))
    return Message(
        id=key,
        name=message.get("name", key),
        summary=message.get("summary") or message.get("title", ""),
        content_type=message.get("contentType", default_type),
        key=Field("key", schemas.kind(kafka_key), True, kafka_key.get("description", "")) if kafka_key else None,
        headers=schemas.fields(message.get("headers", {})),
        payload=schemas.fields(payload),
        payload_description=payload.get("description", ""),
    )


class _Schemas:
    """The document's JSON Schemas, with their references followed."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, schema: Schema) -> Schema:
        """The schema with its reference followed and its `allOf` merged (a later part's property wins)."""
        if "$ref" in schema:
            target = self.document
            for step in schema["$ref"].removeprefix("#/").split("/"):
                target = target[step]
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        if "allOf" not in schema:
            return schema
        merged: Schema = {k: v for k, v in schema.items() if k != "allOf"}
        properties: Schema = {}
        required: list[str] = []
        for part in (self.resolve(each) for each in schema["allOf"]):
            merged = {**merged, **{k: v for k, v in part.items() if k not in {"properties", "required"}}}
            for name, property_schema in part.get("properties", {}).items():
                properties[name] = {**properties.get(name, {}), **property_schema}
            required += part.get("required", [])
        return {**merged, "properties": properties, "required": required}

    def kind(self, schema: Schema) -> str:
        if "const" in schema:
            return json.dumps(schema["const"], ensure_ascii=False)
        if "$ref" in schema:
            target = self.resolve({"$ref": schema["$ref"]})
            return _last(schema["$ref"]) if "properties" in target else self.kind(target)
        if "enum" in schema:
            return " | ".join(json.dumps(value, ensure_ascii=False) for value in schema["enum"])
        for choice in ("anyOf", "oneOf"):
            if choice in schema:
                return " | ".join(self.kind(option) for option in schema[choice])
        if schema.get("type") == "array":
            return f"{self.kind(schema.get('items', {}))}[]"
        kind = schema.get("type", "any")
        kind = " | ".join(kind) if isinstance(kind, list) else str(kind)
        return f"{kind} ({schema['format']})" if "format" in schema else kind

    def fields(self, schema: Schema, prefix: str = "", depth: int = 0) -> list[Field]:
        schema = self.resolve(schema)
        required = set(schema.get("required", []))
        found: list[Field] = []
        for name, property_schema in schema.get("properties", {}).items():
            path = f"{prefix}{name}"
            description = property_schema.get("description", "")
            found.append(Field(path, self.kind(property_schema), name in required, description))
            inner, marker = _inside(property_schema)
            if inner is not None and depth < MAX_DEPTH:
                found += self.fields(inner, f"{path}{marker}.", depth + 1)
        return found


def _inside(schema: Schema) -> tuple[Schema | None, str]:
    """The object a property holds, if it holds one: itself, or the items of its list (then marked `[]`)."""
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return _inside(schema["items"])[0], "[]"
    if "$ref" in schema or "properties" in schema or "allOf" in schema:
        return schema, ""
    # An optional object: its one choice besides null.
    choices: list[Schema] = schema.get("anyOf") or schema.get("oneOf") or []
    options = [_inside(option) for option in choices]
    objects = [found for found in options if found[0] is not None]
    return objects[0] if len(objects) == 1 else (None, "")
