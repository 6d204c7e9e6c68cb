"""What tests need to check SoRi's events as CloudEvents: an example payload of every type, built from its published
JSON Schema, and the check of an event's `data` against the schema its `dataschema` names."""

import json
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from uuid import uuid4

from jsonschema import Draft202012Validator

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.registry import PAYLOADS

SCHEMAS = Path(__file__).resolve().parents[2] / "contracts" / "schemas"
ACTOR = Actor(sub="ana@ZELS", org="ZELS", role=Role.LGA)


@cache
def schema_named_by(dataschema: str) -> dict[str, Any]:
    """The README's mapping: `urn:sori:schema:<type>` is contracts/schemas/<type>.json."""
    prefix = "urn:sori:schema:"
    assert dataschema.startswith(prefix), dataschema
    schema: dict[str, Any] = json.loads((SCHEMAS / f"{dataschema.removeprefix(prefix)}.json").read_text())
    return schema


def data_errors(data: object, dataschema: str | None) -> list[str]:
    """What the JSON Schema `dataschema` names finds wrong with `data` (formats checked too)."""
    assert dataschema is not None, "an event without a dataschema"
    validator = Draft202012Validator(schema_named_by(dataschema), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def example_event(event_type: str) -> Envelope:
    """An event of this type as a producer makes it: a smallest valid payload, caused by another event."""
    payload = PAYLOADS[event_type].model_validate(example_data(event_type))
    cause = new_event(payload, subject="s", actor=ACTOR, source="roadmaps")
    return new_event(payload, subject=str(uuid4()), actor=ACTOR, source="roadmaps", caused_by=cause)


def example_data(event_type: str) -> Any:
    schema = schema_named_by(f"urn:sori:schema:{event_type}")
    return _smallest(schema, schema.get("$defs", {}))


def _smallest(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """A smallest value the schema accepts: required properties only, the first of a choice, the least of a bound."""
    if "$ref" in schema:
        return _smallest(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return _smallest(next(s for s in schema["anyOf"] if s.get("type") != "null"), defs)
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _smallest(properties[name], defs) for name in schema.get("required", [])}
    if kind == "array":
        return [_smallest(schema["items"], defs) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        return schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
    if kind == "boolean":
        return False
    return _string(schema)


def _string(schema: dict[str, Any]) -> str:
    match schema.get("format"):
        case "uuid":
            return str(uuid4())
        case "date":
            return date(2026, 3, 2).isoformat()
        case "date-time":
            return datetime(2026, 3, 2, 9, tzinfo=UTC).isoformat()
    length: int = max(schema.get("minLength", 1), 1)
    return "x" * length
