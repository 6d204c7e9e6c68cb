"""NALAS's decisions on what the public side shows, item by item: the latest decision on an item stands."""

from contracts.envelope import Envelope
from contracts.working_group import PublicationDecided
from services.progress.domain import is_newer
from services.progress.models import PUBLICATION
from sori.projection import concerning, projector
from sori.rows import Rows


def on_publication_decided(rows: Rows, event: Envelope[PublicationDecided]) -> None:
    data = event.data
    row = rows.get(PUBLICATION, data.item_id)
    if row is None:
        row = rows.add(PUBLICATION, item_id=data.item_id, item_kind=data.item_kind.value, decided_at=event.time)
    elif not is_newer(row["decided_at"], event.time):
        return
    row["visibility"], row["reason"], row["decided_at"] = data.visibility.value, data.reason, event.time


PROJECTORS = (projector(PublicationDecided, on_publication_decided, concerning(PUBLICATION, "item_id")),)
