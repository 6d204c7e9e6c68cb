"""The state table of a recommendation's lifecycle (DESIGN.md §5): which event moves which state where.

drafted ──submit──► submitted ──review started──► under_review ──┬─ changes requested ─► changes_requested
   │                                                             ├─ endorsed ─► endorsed ─assign─► in_implementation
   └─withdraw─► withdrawn (from any state before endorsed)       └─ rejected (final)
changes_requested ──resubmit──► submitted
in_implementation ──all milestones done with evidence──► implemented ──verify──► verified (final)
                                                           └──return──► in_implementation
"""

from contracts.lifecycle import RecommendationStatus as S
from contracts.roadmaps import (
    MilestoneRescheduled,
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
    RecommendationWithdrawn,
)
from contracts.social_approaches import MilestoneReported
from contracts.working_group import (
    ChangesRequested,
    ImplementationReturned,
    ImplementationVerified,
    RecommendationEndorsed,
    RecommendationRejected,
    ReviewStarted,
)

DRAFTING = (S.DRAFTED, S.CHANGES_REQUESTED)
BEFORE_ENDORSEMENT = (S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED)
FINAL = frozenset({S.REJECTED, S.VERIFIED, S.WITHDRAWN})

# event type → {state it may arrive in → state it leads to}; None is "not yet drafted".
TRANSITIONS: dict[str, dict[S | None, S]] = {
    RecommendationDrafted.TYPE: {None: S.DRAFTED},
    RecommendationRevised.TYPE: {s: s for s in DRAFTING},
    RecommendationSubmitted.TYPE: {s: S.SUBMITTED for s in DRAFTING},
    RecommendationWithdrawn.TYPE: {s: S.WITHDRAWN for s in BEFORE_ENDORSEMENT},
    ReviewStarted.TYPE: {S.SUBMITTED: S.UNDER_REVIEW},
    ChangesRequested.TYPE: {S.UNDER_REVIEW: S.CHANGES_REQUESTED},
    RecommendationEndorsed.TYPE: {S.UNDER_REVIEW: S.ENDORSED},
    RecommendationRejected.TYPE: {S.UNDER_REVIEW: S.REJECTED},
    RecommendationAssigned.TYPE: {S.ENDORSED: S.IN_IMPLEMENTATION},
    MilestoneRescheduled.TYPE: {S.IN_IMPLEMENTATION: S.IN_IMPLEMENTATION},
    # A report may complete the plan; the machine then moves on to implemented.
    MilestoneReported.TYPE: {S.IN_IMPLEMENTATION: S.IN_IMPLEMENTATION},
    ImplementationVerified.TYPE: {S.IMPLEMENTED: S.VERIFIED},
    ImplementationReturned.TYPE: {S.IMPLEMENTED: S.IN_IMPLEMENTATION},
}

LIFECYCLE_EVENT_TYPES = frozenset(TRANSITIONS)
ALLOWED_STATES = frozenset({None, *S})


class TransitionRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _name(status: S | None) -> str:
    return status.value if status else "not yet drafted"


def next_status(current: S | None, event_type: str) -> S:
    allowed = TRANSITIONS.get(event_type)
    if allowed is None:
        raise TransitionRefused(f"{event_type} does not move a recommendation's lifecycle")
    if current not in allowed:
        accepted = ", ".join(_name(s) for s in allowed)
        raise TransitionRefused(f"{event_type} is not allowed while {_name(current)} (only while {accepted})")
    return allowed[current]
