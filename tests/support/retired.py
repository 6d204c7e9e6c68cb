"""Events as older code wrote them, for the tests that show retired payload versions and the envelope before
CloudEvents are still read."""

import json
from typing import Any

from contracts.envelope import Envelope
from contracts.roadmaps import ReferenceEntryChanged

REFERENCE_ENTRY_V1 = "sori.roadmaps.reference.changed.v1"


def reference_entry_as_v1(event: Envelope[ReferenceEntryChanged]) -> bytes:
    """The event as roadmaps wrote it before v2: the same envelope, no `economy` at all."""
    assert event.data.economy is None, "v1 could not tell of an economy"
    document: dict[str, Any] = json.loads(event.to_json())
    document["type"] = REFERENCE_ENTRY_V1
    del document["data"]["economy"]
    return json.dumps(document).encode()


def as_written_before_cloudevents(event: Envelope) -> bytes:
    """The event in the envelope SoRi wrote before CloudEvents: the Python model's own fields (`correlation_id`,
    `causation_id`, an `actor` object), the service's bare name as `source`, no `specversion`."""
    document: dict[str, Any] = json.loads(event.model_dump_json())
    document["source"] = event.source.removeprefix("/sori/")
    return json.dumps(document).encode()
