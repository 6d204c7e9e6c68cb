"""The one map from event type to payload model; unknown types are refused, never guessed."""

import json
from typing import Any

from pydantic import ValidationError

from contracts import lifecycle, roadmaps, social_approaches, working_group
from contracts.envelope import Envelope, EventPayload
from contracts.upcasting import UPCASTERS, current_type, upcast
from contracts.wire import UnreadableForm, attribute_of, envelope_fields

# Each producer's module lists its own payloads; this is the one place they meet.
PAYLOADS: dict[str, type[EventPayload]] = {
    payload.TYPE: payload
    for module in (roadmaps, working_group, social_approaches, lifecycle)
    for payload in module.PAYLOADS
}


class InvalidEvent(ValueError):
    """A message that can never be processed: it goes to the dead-letter topic with this reason."""


def parse_event(raw: bytes | str) -> Envelope:
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad JSON, bad UTF-8 and oversized integers; RecursionError, absurd nesting.
        raise InvalidEvent(f"not JSON: {str(exc)[:200] or type(exc).__name__}") from exc
    if not isinstance(document, dict):
        raise InvalidEvent("not a JSON object")
    return envelope_from_dict(document)


def is_known(event_type: str) -> bool:
    return event_type in PAYLOADS or event_type in UPCASTERS


def handled_type(event_type: str) -> str | None:
    """The type of today's payload an event of this type is read as (a retired one is upcast), None if unknown."""
    return current_type(event_type) if is_known(event_type) else None


def envelope_from_dict(document: dict[str, Any]) -> Envelope:
    """The envelope of a document in either wire form (contracts/wire.py): the one reader of every consumer."""
    event_type, data = document.get("type"), document.get("data")
    if not isinstance(event_type, str):
        raise InvalidEvent("missing event type")
    if not is_known(event_type):
        raise InvalidEvent(f"unknown event type {event_type!r}")
    if not isinstance(data, dict):
        raise InvalidEvent(f"invalid {event_type}: data: not a JSON object")
    # A retired version is read as today's (contracts/upcasting.py), so no handler ever sees an old one.
    event_type, data = upcast(event_type, data)
    try:
        fields = envelope_fields(document)
    except UnreadableForm as exc:
        raise InvalidEvent(f"invalid {event_type}: {exc}") from exc
    try:
        payload = PAYLOADS[event_type].model_validate(data)
        return Envelope.model_validate({**fields, "type": event_type, "data": payload})
    except ValidationError as exc:
        raise InvalidEvent(f"invalid {event_type}: {_summary(exc, cloudevent='specversion' in document)}") from exc


def _summary(exc: ValidationError, *, cloudevent: bool) -> str:
    """The first errors, each at its place; a CloudEvent's by its attributes' names."""
    places = [".".join(map(str, e["loc"])) or "<root>" for e in exc.errors()[:5]]
    if cloudevent:
        places = [attribute_of(place) for place in places]
    return "; ".join(f"{place}: {e['msg']}" for place, e in zip(places, exc.errors()[:5], strict=True))
