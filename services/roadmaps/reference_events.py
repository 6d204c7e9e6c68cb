"""What roadmaps tells the other services of its reference data: one ReferenceEntryChanged per entry it loads from
the published file or NALAS puts, with what others learn from it (a local government's association, an
association's economy)."""

from sqlmodel import SQLModel

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.roadmaps import ReferenceEntryChanged
from services.roadmaps import domain

# The published reference data is NALAS's: the entries loaded from its file are told as NALAS's.
PUBLISHED_FILE = Actor(sub="sori-reference-data", org="NALAS", role=Role.NALAS)


def entry_changed(kind: str, entry: SQLModel, actor: Actor) -> Envelope[ReferenceEntryChanged]:
    code: str = entry.code  # type: ignore[attr-defined]
    changed = ReferenceEntryChanged(
        kind=kind,
        code=code,
        association=getattr(entry, "association", None),
        economy=getattr(entry, "economy", None),
    )
    return new_event(changed, subject=f"{kind}:{code}", actor=actor, source=domain.SERVICE)
