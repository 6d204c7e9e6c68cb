"""Retired payload versions are read as today's: the registry lifts them through contracts/upcasting.py before it
parses, keeping the event's id; what an upcaster makes of a retired event is valid against today's schema."""

import json
from typing import Any

import jsonschema
import pytest

from contracts.envelope import Actor, Role, new_event
from contracts.registry import PAYLOADS, InvalidEvent, parse_event
from contracts.roadmaps import ReferenceEntryChanged
from contracts.schemas_export import SCHEMA_DIR
from contracts.upcasting import UPCASTERS, upcast

pytestmark = pytest.mark.unit

NALAS = Actor(sub="nalas@NALAS", org="NALAS", role=Role.NALAS)
# One event of each retired type as the code of its time wrote its data.
RETIRED_DATA: dict[str, dict[str, Any]] = {
    "sori.roadmaps.reference.changed.v1": {"kind": "local-governments", "code": "MK-OHRID", "association": "ZELS"},
}


def retired_event(event_type: str) -> dict[str, Any]:
    """A whole envelope of a retired type: today's envelope around the old type and data."""
    today = new_event(
        ReferenceEntryChanged(kind="associations", code="ZELS"), subject="reference", actor=NALAS, source="roadmaps"
    )
    return {**json.loads(today.to_json()), "type": event_type, "data": RETIRED_DATA[event_type]}


def schema_of(event_type: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SCHEMA_DIR / f"{event_type}.json").read_text())
    return document


def test_every_retired_type_has_an_example_and_ends_at_a_type_producers_write() -> None:
    assert set(RETIRED_DATA) == set(UPCASTERS)
    for retired in UPCASTERS:
        assert retired not in PAYLOADS
        assert upcast(retired, RETIRED_DATA[retired])[0] in PAYLOADS


@pytest.mark.parametrize("retired", sorted(UPCASTERS))
def test_a_retired_event_valid_in_its_time_is_valid_today_after_its_upcaster(retired: str) -> None:
    event = retired_event(retired)
    jsonschema.validate(event["data"], schema_of(retired))

    current, data = upcast(retired, event["data"])

    jsonschema.validate(data, schema_of(current))


def test_a_reference_entry_of_version_1_is_read_as_version_2_without_an_economy() -> None:
    event = retired_event("sori.roadmaps.reference.changed.v1")

    parsed = parse_event(json.dumps(event))

    assert parsed.type == ReferenceEntryChanged.TYPE == "sori.roadmaps.reference.changed.v2"
    assert parsed.data == ReferenceEntryChanged(kind="local-governments", code="MK-OHRID", association="ZELS")
    assert (str(parsed.id), parsed.subject) == (event["id"], event["subject"])


def test_a_retired_event_with_bad_data_is_refused_naming_what_is_wrong() -> None:
    event = {**retired_event("sori.roadmaps.reference.changed.v1"), "data": ["not", "an", "object"]}

    with pytest.raises(InvalidEvent, match=r"invalid sori\.roadmaps\.reference\.changed\.v1"):
        parse_event(json.dumps(event))
