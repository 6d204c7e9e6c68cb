"""Which economy each association belongs to, as roadmaps' reference data says by event: progress keeps it on the
rows of the association's recommendations and social approaches, also on those projected before it was said."""

from collections.abc import Iterable

from contracts.envelope import Envelope
from contracts.roadmaps import ReferenceEntryChanged
from services.progress.models import APPROACHES, ECONOMIES, RECOMMENDATIONS
from sori.projection import Consulted, Matching, Touch, projector
from sori.rows import Rows

# The rows that carry their association's economy.
_CARRIERS = (RECOMMENDATIONS, APPROACHES)


def consulting(association: str | None) -> list[Touch]:
    """What a row of this association needs to know its economy (see `economy_of`)."""
    return [Consulted(ECONOMIES, association)] if association else []


def economy_of(rows: Rows, association: str) -> str | None:
    """The association's economy, if said yet. An association heard of for the first time is noted, so that a
    reference event projected at the same moment by another replica waits for this poll, and then finds its rows."""
    row = rows.get(ECONOMIES, association)
    if row is None:
        row = rows.add(ECONOMIES, association=association)
    economy: str | None = row["economy"]
    return economy


def _economy_said(entry: ReferenceEntryChanged) -> str | None:
    # Other kinds of entries, and associations' events from before they carried the economy, say nothing of it.
    return entry.economy if entry.kind == "associations" else None


def on_reference_changed(rows: Rows, event: Envelope[ReferenceEntryChanged]) -> None:
    entry = event.data
    economy = _economy_said(entry)
    if economy is None:
        return
    row = rows.get(ECONOMIES, entry.code) or rows.add(ECONOMIES, association=entry.code)
    row["economy"] = economy
    for table in _CARRIERS:
        for carrier in rows.matching(table, "association", entry.code):
            carrier["economy"] = economy


def _association_and_its_rows(event: Envelope[ReferenceEntryChanged]) -> Iterable[Touch]:
    entry = event.data
    if _economy_said(entry) is None:
        return []
    return [(ECONOMIES, entry.code), *(Matching(table, "association", entry.code) for table in _CARRIERS)]


PROJECTORS = (projector(ReferenceEntryChanged, on_reference_changed, _association_and_its_rows),)
