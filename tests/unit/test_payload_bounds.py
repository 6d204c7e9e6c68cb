"""Every field of every event payload has a bound, so that no event can outgrow what the broker accepts."""

from typing import Any

import pytest

from contracts.registry import PAYLOADS
from contracts.schemas_export import schema_documents
from tests.bounds import references, unbounded

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("event_type", sorted(PAYLOADS))
def test_every_string_list_and_map_of_a_payload_is_bounded(event_type: str) -> None:
    document = schema_documents()[event_type]

    found = list(unbounded(document, references("#/$defs/", document.get("$defs", {}))))

    assert not found, f"{event_type}:\n" + "\n".join(found)


def test_the_walk_finds_an_unbounded_string_list_and_map() -> None:
    document: dict[str, Any] = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "comments": {"type": "array", "items": {"type": "string", "maxLength": 5}},
            "figures": {"type": "object", "additionalProperties": {"type": "number"}},
            "nested": {"$ref": "#/$defs/Nested"},
        },
        "$defs": {"Nested": {"type": "object", "properties": {"name": {"anyOf": [{"type": "string"}]}}}},
    }

    found = list(unbounded(document, references("#/$defs/", document["$defs"])))

    assert found == [
        "<root>.title: a string without maxLength",
        "<root>.comments: a list without maxItems",
        "<root>.figures: a map without maxProperties",
        "<root>.nested.name: a string without maxLength",
    ]
