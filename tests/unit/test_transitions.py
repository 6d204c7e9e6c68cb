"""The lifecycle's state table: which event moves a recommendation from which state to which."""

import pytest

from contracts.lifecycle import RecommendationStatus as S
from contracts.lifecycle import StatusChanged
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
from workflows.transitions import LIFECYCLE_EVENT_TYPES, TransitionRefused, next_status

pytestmark = pytest.mark.unit

DRAFTED = RecommendationDrafted.TYPE
SUBMITTED = RecommendationSubmitted.TYPE
REVISED = RecommendationRevised.TYPE
WITHDRAWN = RecommendationWithdrawn.TYPE
REVIEW_STARTED = ReviewStarted.TYPE
CHANGES = ChangesRequested.TYPE
ENDORSED = RecommendationEndorsed.TYPE
REJECTED = RecommendationRejected.TYPE
ASSIGNED = RecommendationAssigned.TYPE
RESCHEDULED = MilestoneRescheduled.TYPE
REPORTED = MilestoneReported.TYPE
VERIFIED = ImplementationVerified.TYPE
RETURNED = ImplementationReturned.TYPE


def test_a_drafted_event_on_a_recommendation_not_yet_drafted_gives_drafted() -> None:
    assert next_status(None, DRAFTED) is S.DRAFTED


@pytest.mark.parametrize("current", [S.DRAFTED, S.CHANGES_REQUESTED])
def test_a_submitted_event_from_drafted_or_changes_requested_gives_submitted(current: S) -> None:
    assert next_status(current, SUBMITTED) is S.SUBMITTED


def test_a_submitted_event_before_drafting_is_refused_saying_not_yet_drafted() -> None:
    with pytest.raises(TransitionRefused) as refused:
        next_status(None, SUBMITTED)

    assert "while not yet drafted" in refused.value.reason
    assert str(refused.value) == refused.value.reason


def test_a_second_submitted_event_is_refused_naming_the_current_state() -> None:
    with pytest.raises(TransitionRefused) as refused:
        next_status(S.SUBMITTED, SUBMITTED)

    assert "while submitted" in refused.value.reason
    assert "drafted" in refused.value.reason
    assert "changes_requested" in refused.value.reason


@pytest.mark.parametrize("current", [s for s in S if s not in (S.DRAFTED, S.CHANGES_REQUESTED)])
def test_a_submitted_event_from_any_other_state_is_refused_naming_it(current: S) -> None:
    with pytest.raises(TransitionRefused) as refused:
        next_status(current, SUBMITTED)

    assert f"while {current.value}" in refused.value.reason


@pytest.mark.parametrize("current", list(S))
def test_a_drafted_event_on_a_recommendation_already_in_any_state_is_refused(current: S) -> None:
    with pytest.raises(TransitionRefused) as refused:
        next_status(current, DRAFTED)

    assert f"while {current.value}" in refused.value.reason


@pytest.mark.parametrize("event_type", [StatusChanged.TYPE, "sori.roadmaps.recommendation.renamed.v1"])
def test_an_event_type_not_in_the_table_is_refused_naming_it(event_type: str) -> None:
    with pytest.raises(TransitionRefused) as refused:
        next_status(S.DRAFTED, event_type)

    assert event_type in refused.value.reason
    assert "does not move" in refused.value.reason


# DESIGN.md §5, written out by hand so that the table in workflows/transitions.py is checked against it.
EXPECTED: dict[tuple[S | None, str], S] = {
    (None, DRAFTED): S.DRAFTED,
    (S.DRAFTED, REVISED): S.DRAFTED,
    (S.CHANGES_REQUESTED, REVISED): S.CHANGES_REQUESTED,
    (S.DRAFTED, SUBMITTED): S.SUBMITTED,
    (S.CHANGES_REQUESTED, SUBMITTED): S.SUBMITTED,
    (S.DRAFTED, WITHDRAWN): S.WITHDRAWN,
    (S.SUBMITTED, WITHDRAWN): S.WITHDRAWN,
    (S.UNDER_REVIEW, WITHDRAWN): S.WITHDRAWN,
    (S.CHANGES_REQUESTED, WITHDRAWN): S.WITHDRAWN,
    (S.SUBMITTED, REVIEW_STARTED): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, CHANGES): S.CHANGES_REQUESTED,
    (S.UNDER_REVIEW, ENDORSED): S.ENDORSED,
    (S.UNDER_REVIEW, REJECTED): S.REJECTED,
    (S.ENDORSED, ASSIGNED): S.IN_IMPLEMENTATION,
    (S.IN_IMPLEMENTATION, RESCHEDULED): S.IN_IMPLEMENTATION,
    (S.IN_IMPLEMENTATION, REPORTED): S.IN_IMPLEMENTATION,
    (S.IMPLEMENTED, VERIFIED): S.VERIFIED,
    (S.IMPLEMENTED, RETURNED): S.IN_IMPLEMENTATION,
}
EVENTS = [
    DRAFTED,
    REVISED,
    SUBMITTED,
    WITHDRAWN,
    REVIEW_STARTED,
    CHANGES,
    ENDORSED,
    REJECTED,
    ASSIGNED,
    RESCHEDULED,
    REPORTED,
    VERIFIED,
    RETURNED,
]
STATES: list[S | None] = [None, *S]


def test_the_lifecycle_listens_to_exactly_the_events_of_the_state_table() -> None:
    assert frozenset(EVENTS) == LIFECYCLE_EVENT_TYPES


@pytest.mark.parametrize(("current", "event_type"), [(s, e) for s in STATES for e in EVENTS])
def test_every_pair_of_state_and_event_moves_as_the_design_says_or_is_refused(
    current: S | None, event_type: str
) -> None:
    expected = EXPECTED.get((current, event_type))
    if expected is not None:
        assert next_status(current, event_type) is expected
    else:
        with pytest.raises(TransitionRefused, match="is not allowed while"):
            next_status(current, event_type)


@pytest.mark.parametrize("final", [S.REJECTED, S.VERIFIED, S.WITHDRAWN])
def test_nothing_moves_a_final_recommendation(final: S) -> None:
    assert all((final, e) not in EXPECTED for e in EVENTS)
