"""The state table of a recommendation's lifecycle (DESIGN.md §5): which event moves which state where."""

from contracts.lifecycle import RecommendationStatus as S
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted

# event type → {state it may arrive in → state it leads to}; None is "not yet drafted".
TRANSITIONS: dict[str, dict[S | None, S]] = {
    RecommendationDrafted.TYPE: {None: S.DRAFTED},
    RecommendationSubmitted.TYPE: {S.DRAFTED: S.SUBMITTED, S.CHANGES_REQUESTED: S.SUBMITTED},
}

LIFECYCLE_EVENT_TYPES = frozenset(TRANSITIONS)


class TransitionRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def next_status(current: S | None, event_type: str) -> S:
    allowed = TRANSITIONS.get(event_type)
    if allowed is None:
        raise TransitionRefused(f"{event_type} does not move a recommendation's lifecycle")
    if current not in allowed:
        where = current.value if current else "not yet drafted"
        accepted = ", ".join(s.value if s else "not yet drafted" for s in allowed)
        raise TransitionRefused(f"{event_type} is not allowed while {where} (only while {accepted})")
    return allowed[current]
