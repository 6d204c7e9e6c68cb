"""Walks a JSON Schema and names every value it leaves unbounded: the shared check of event payloads and API bodies."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

# Strings of these formats have a length of their own.
BOUNDED_FORMATS = {"uuid", "date", "date-time", "time", "duration", "binary"}


@dataclass(frozen=True)
class Node:
    where: str
    schema: Mapping[str, Any]
    required: bool  # a property the object requires (or the root)

    @property
    def free_text(self) -> bool:
        """A string a person or client chooses: not an enum, constant or formatted value."""
        schema = self.schema
        return (
            schema.get("type") == "string"
            and "enum" not in schema
            and "const" not in schema
            and schema.get("format") not in BOUNDED_FORMATS
        )


def nodes(schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> Iterator[Node]:
    """Every typed place in `schema`, references followed (a recursive model once).

    `definitions` maps a `$ref` to its schema (`#/$defs/X` in JSON Schema, `#/components/schemas/X` in OpenAPI)."""
    yield from _walk(Node("<root>", schema, True), definitions, set())


def _walk(node: Node, definitions: Mapping[str, Any], seen: set[str]) -> Iterator[Node]:
    schema, where = node.schema, node.where
    reference = schema.get("$ref")
    if reference is not None:
        if reference not in seen:
            yield from _walk(Node(where, definitions[reference], node.required), definitions, seen | {reference})
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from _walk(Node(where, option, node.required), definitions, seen)
    if "type" in schema or "properties" in schema:
        yield node
    if schema.get("type") == "array":
        yield from _walk(Node(f"{where}[]", schema.get("items", {}), True), definitions, seen)
    required = set(schema.get("required", []))
    for name, field in schema.get("properties", {}).items():
        yield from _walk(Node(f"{where}.{name}", field, name in required), definitions, seen)
    values = schema.get("additionalProperties")
    if isinstance(values, Mapping):
        yield from _walk(Node(f"{where}{{}}", values, True), definitions, seen)


def unbounded(schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> Iterator[str]:
    """Each place in `schema` where a string has no maxLength, a list no maxItems or a map no maxProperties."""
    for node in nodes(schema, definitions):
        kind = node.schema.get("type")
        if node.free_text and "maxLength" not in node.schema:
            yield f"{node.where}: a string without maxLength"
        elif kind == "array" and "maxItems" not in node.schema:
            yield f"{node.where}: a list without maxItems"
        elif kind == "object" and isinstance(node.schema.get("additionalProperties"), Mapping):
            keys = node.schema.get("propertyNames", {})
            if "maxProperties" not in node.schema and "enum" not in keys and "$ref" not in keys:
                yield f"{node.where}: a map without maxProperties"


def references(prefix: str, section: Mapping[str, Any]) -> dict[str, Any]:
    """`$ref` → schema for one document's definitions, e.g. references("#/$defs/", document.get("$defs", {}))."""
    return {f"{prefix}{name}": schema for name, schema in section.items()}
