"""The lifecycle's state table: which event moves a recommendation from which state to which."""

import pytest

from contracts.lifecycle import RecommendationStatus as S
from contracts.lifecycle import StatusChanged
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted
from workflows.transitions import LIFECYCLE_EVENT_TYPES, TransitionRefused, next_status

pytestmark = pytest.mark.unit

DRAFTED = RecommendationDrafted.TYPE
SUBMITTED = RecommendationSubmitted.TYPE


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


def test_the_lifecycle_listens_to_exactly_the_drafted_and_submitted_events() -> None:
    assert frozenset({DRAFTED, SUBMITTED}) == LIFECYCLE_EVENT_TYPES
