"""Whatever order facts arrive in, however often: the lifecycle stays in a state the table allows, repeats change
nothing, and its timeline explains where it stands."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.lifecycle import LifecycleEvent, StatusChanged
from contracts.lifecycle import RecommendationStatus as S
from contracts.social_approaches import MilestoneProgress, MilestoneReported
from tests.support import events as e
from workflows.machine import LifecycleMachine
from workflows.messages import DomainEvent, LifecycleClocks, LifecycleState
from workflows.transitions import TRANSITIONS

pytestmark = pytest.mark.unit
REC = uuid4()
PLAN = e.plan(2)
NOW = datetime(2026, 6, 1, tzinfo=UTC)

POOL: list[DomainEvent] = [
    e.drafted(REC),
    e.revised(REC, version=2),
    e.submitted(REC),
    e.submitted(REC, version=2),
    e.withdrawn(REC),
    e.review_started(REC),
    e.changes_requested(REC),
    e.endorsed(REC),
    e.rejected(REC),
    e.assigned(REC, PLAN),
    e.rescheduled(REC, PLAN[0], PLAN[0].due_date + timedelta(days=9)),
    e.reported(REC, PLAN[0]),
    e.reported(REC, PLAN[1]),
    e.reported(REC, PLAN[1], evidence=0),
    e.reported(REC, PLAN[0], status=MilestoneProgress.AT_RISK),
    e.reported(REC, PLAN[0], local_government="MK-ELSEWHERE"),
    e.verified(REC),
    e.returned(REC),
]
# Drafting, review and endorsement first often enough that the later states are reached too.
HAPPY_START = [0, 2, 5, 7, 9]


def run(indices: list[int]) -> LifecycleMachine:
    machine = LifecycleMachine(LifecycleState(recommendation_id=REC), LifecycleClocks())
    for i in indices:
        machine.apply(POOL[i], NOW)
    return machine


sequences = st.one_of(
    st.lists(st.integers(0, len(POOL) - 1), max_size=40),
    st.lists(st.integers(0, len(POOL) - 1), max_size=30).map(lambda rest: HAPPY_START + rest),
)


@settings(max_examples=300, deadline=None)
@given(sequences)
def test_the_state_is_always_one_the_table_allows(indices: list[int]) -> None:
    assert run(indices).state.status in {None, *S}


@settings(max_examples=300, deadline=None)
@given(sequences)
def test_delivering_everything_again_changes_nothing(indices: list[int]) -> None:
    machine = run(indices)
    before = (machine.state.status, len(machine.state.timeline), machine.state.version)
    outputs = [out for i in indices for out in machine.apply(POOL[i], NOW + timedelta(days=1))]
    assert outputs == []
    assert (machine.state.status, len(machine.state.timeline), machine.state.version) == before
    assert len(machine.state.timeline) == len(set(indices))


@settings(max_examples=300, deadline=None)
@given(sequences)
def test_the_timeline_explains_the_state(indices: list[int]) -> None:
    state = run(indices).state
    status: S | None = None
    for entry in state.timeline:
        assert entry.from_status is status
        if not entry.applied:
            assert entry.to_status is None
            assert entry.reason
            continue
        assert entry.to_status is not None
        table_says = TRANSITIONS[entry.event_type][status]
        completes_plan = entry.event_type == MilestoneReported.TYPE and entry.to_status is S.IMPLEMENTED
        assert entry.to_status is table_says or completes_plan
        status = entry.to_status
    assert status is state.status


@settings(max_examples=300, deadline=None)
@given(sequences)
def test_every_event_the_lifecycle_makes_is_numbered_in_the_order_it_was_made(indices: list[int]) -> None:
    machine = LifecycleMachine(LifecycleState(recommendation_id=REC), LifecycleClocks())
    made = [out for i in indices for out in machine.apply(POOL[i], NOW)]
    made += machine.fire_due_clocks(NOW + timedelta(days=400))
    assert [out.sequence for out in made if isinstance(out, LifecycleEvent)] == list(range(1, len(made) + 1))
    assert machine.state.last_sequence == len(made)


@settings(max_examples=200, deadline=None)
@given(st.permutations([11, 12]))
def test_two_milestone_reports_in_either_order_both_count(order: list[int]) -> None:
    machine = run([*HAPPY_START, *order])
    assert machine.state.status is S.IMPLEMENTED


def _status_changes_of(machine: LifecycleMachine, *events: DomainEvent) -> list[StatusChanged]:
    return [out for event in events for out in machine.apply(event, NOW) if isinstance(out, StatusChanged)]


def test_what_the_working_group_wrote_travels_with_the_status_change_and_stays_in_the_timeline() -> None:
    machine = run(HAPPY_START[:3])  # drafted, submitted, under review
    [requested] = _status_changes_of(machine, e.changes_requested(REC))
    assert requested.comments == ["Add data"]
    assert machine.state.timeline[-1].comments == ["Add data"]

    machine = run([*HAPPY_START, 11, 12])  # assigned, both milestones done: implemented
    [returned] = _status_changes_of(machine, e.returned(REC))
    assert (returned.from_status, returned.to_status) == (S.IMPLEMENTED, S.IN_IMPLEMENTATION)
    assert returned.comments == ["no photos"]
    assert machine.state.timeline[-1].comments == ["no photos"]


def test_a_rejection_and_a_withdrawal_carry_their_reason_and_a_silent_change_carries_nothing() -> None:
    [rejected] = _status_changes_of(run(HAPPY_START[:3]), e.rejected(REC))
    assert rejected.comments == ["out of scope"]
    [withdrawn] = _status_changes_of(run(HAPPY_START[:2]), e.withdrawn(REC))
    assert withdrawn.comments == ["merged"]
    [endorsed] = _status_changes_of(run(HAPPY_START[:3]), e.endorsed(REC))
    assert endorsed.comments == []
