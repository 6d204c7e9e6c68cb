"""Events of retired payload versions, read as today's.

A topic keeps what older code wrote, and outboxes send it again after a restore or a broker restart, so every
consumer (and `sori replay`) must read a retired type. When a payload changes, its type's version goes up, producers
write the new one, and the old type gets an upcaster here: a pure function from the old `data` to the new. The
registry applies them, chained, before it parses, so no handler ever sees an old version; the event keeps its id,
so inboxes still recognise it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Data = dict[str, Any]


@dataclass(frozen=True)
class Upcaster:
    retired: str
    current: str
    lift: Callable[[Data], Data]


def _reference_entry_v1_to_v2(data: Data) -> Data:
    """v1 said nothing of an association's economy: v2 says so explicitly (None: not told)."""
    return {**data, "economy": None}


UPCASTERS: Mapping[str, Upcaster] = {
    upcaster.retired: upcaster
    for upcaster in (
        Upcaster("sori.roadmaps.reference.changed.v1", "sori.roadmaps.reference.changed.v2", _reference_entry_v1_to_v2),
    )
}


def current_type(event_type: str) -> str:
    """The type today's producers write for events of this one: itself unless retired."""
    while (upcaster := UPCASTERS.get(event_type)) is not None:
        event_type = upcaster.current
    return event_type


def upcast(event_type: str, data: Data) -> tuple[str, Data]:
    """The type and data as today's producers write them: lifted through every retired version."""
    while (upcaster := UPCASTERS.get(event_type)) is not None:
        event_type, data = upcaster.current, upcaster.lift(data)
    return event_type, data
