"""A recommendation's lifecycle applies each fact once, in the order the state table allows, refuses the rest
with a reason, and publishes what happened through the workflows' outbox."""

import pytest

from contracts.lifecycle import MilestonesPlanned, RecommendationStatus, StatusChanged, TransitionRejected
from contracts.social_approaches import MilestoneProgress
from contracts.working_group import ReviewStarted
from tests.support import events as e
from tests.workflow.worlds import LifecycleWorld

pytestmark = pytest.mark.workflow
S = RecommendationStatus


async def test_a_recommendation_travels_from_draft_to_verified_with_one_round_of_changes(
    world: LifecycleWorld,
) -> None:
    rec = world.recommendation()
    milestones = e.plan(2)
    await rec.send(
        e.drafted(rec.id),
        e.submitted(rec.id),
        e.review_started(rec.id),
        e.changes_requested(rec.id),
        e.revised(rec.id, version=2),
        e.submitted(rec.id, version=2),
        e.review_started(rec.id, version=2),
        e.endorsed(rec.id, version=2),
        e.assigned(rec.id, milestones),
        e.reported(rec.id, milestones[0]),
        e.reported(rec.id, milestones[1]),
        e.verified(rec.id),
    )
    state = await rec.settles_after(12)

    assert state.status is S.VERIFIED
    assert state.version == 2
    assert all(entry.applied for entry in state.timeline)
    changes = [c.data for c in await rec.published_exactly(10, StatusChanged.TYPE) if isinstance(c.data, StatusChanged)]
    assert [c.to_status for c in changes] == [
        S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.SUBMITTED, S.UNDER_REVIEW, S.ENDORSED,
        S.IN_IMPLEMENTATION, S.IMPLEMENTED, S.VERIFIED,
    ]  # fmt: skip
    assert changes[4].version == 2
    assert {c.association for c in changes} == {"ZELS"}
    assert [c.comments for c in changes if c.comments] == [["Add data"]]  # what the working group asked
    assert [entry.comments for entry in state.timeline if entry.comments] == [["Add data"]]
    [planned] = await rec.published_exactly(1, MilestonesPlanned.TYPE)
    assert isinstance(planned.data, MilestonesPlanned)
    assert [m.milestone_id for m in planned.data.milestones] == [m.milestone_id for m in milestones]


async def test_verification_can_return_the_recommendation_to_implementation(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    [milestone] = e.plan(1)
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.endorsed(rec.id))
    await rec.send(e.assigned(rec.id, [milestone]), e.reported(rec.id, milestone), e.returned(rec.id))
    assert (await rec.settles_after(7)).status is S.IN_IMPLEMENTATION

    await rec.send(e.reported(rec.id, milestone), e.verified(rec.id))
    assert (await rec.settles_after(9)).status is S.VERIFIED


@pytest.mark.parametrize("reached", [S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED])
async def test_a_recommendation_can_be_withdrawn_before_endorsement(world: LifecycleWorld, reached: S) -> None:
    rec = world.recommendation()
    path = [e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.changes_requested(rec.id)]
    steps = [S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED].index(reached) + 1
    await rec.send(*path[:steps], e.withdrawn(rec.id))
    assert (await rec.settles_after(steps + 1)).status is S.WITHDRAWN


async def test_withdrawal_after_endorsement_is_refused_and_published_with_the_reason(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.endorsed(rec.id))
    await rec.send(e.withdrawn(rec.id))
    state = await rec.settles_after(5)

    assert state.status is S.ENDORSED
    assert state.timeline[-1].applied is False
    [rejection] = await rec.published_exactly(1, TransitionRejected.TYPE)
    assert isinstance(rejection.data, TransitionRejected)
    assert "not allowed while endorsed" in rejection.data.reason
    assert rejection.causation_id == state.timeline[-1].event_id


async def test_a_rejected_recommendation_is_final(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.rejected(rec.id))
    await rec.send(e.revised(rec.id, version=2), e.submitted(rec.id, version=2))
    state = await rec.settles_after(6)

    assert state.status is S.REJECTED
    assert [entry.applied for entry in state.timeline[-2:]] == [False, False]


async def test_submitting_before_drafting_is_refused_and_published_as_rejected(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    await rec.send(e.submitted(rec.id))
    state = await rec.settles_after(1)

    assert state.status is None
    [rejection] = await rec.published_exactly(1, TransitionRejected.TYPE)
    assert isinstance(rejection.data, TransitionRejected)
    assert "not allowed while not yet drafted" in rejection.data.reason


async def test_a_redelivered_event_is_applied_once(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    first, second = e.drafted(rec.id), e.submitted(rec.id)
    await rec.send(first, second, first, second, first)
    await rec.send(e.review_started(rec.id))
    state = await rec.settles_after(3)

    assert [entry.event_type for entry in state.timeline] == [first.type, second.type, ReviewStarted.TYPE]
    assert len(await rec.published_exactly(3, StatusChanged.TYPE)) == 3


async def test_milestone_reports_arriving_in_any_order_all_count(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    milestones = e.plan(3)
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.endorsed(rec.id))
    await rec.send(e.assigned(rec.id, milestones))
    await rec.send(*(e.reported(rec.id, m) for m in reversed(milestones)))
    state = await rec.settles_after(8)

    assert state.status is S.IMPLEMENTED
    assert all(m.done for m in state.milestones)


async def test_done_without_evidence_or_not_done_does_not_complete_the_plan(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    [first, second] = e.plan(2)
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.endorsed(rec.id))
    await rec.send(
        e.assigned(rec.id, [first, second]),
        e.reported(rec.id, first),
        e.reported(rec.id, second, evidence=0),
        e.reported(rec.id, second, status=MilestoneProgress.AT_RISK),
    )
    state = await rec.settles_after(8)

    assert state.status is S.IN_IMPLEMENTATION
    assert [m.done for m in state.milestones] == [True, False]


async def test_a_report_on_a_milestone_not_in_the_plan_or_by_another_lg_is_refused(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    [milestone] = e.plan(1)
    stranger = e.plan(1)[0]
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.endorsed(rec.id))
    await rec.send(
        e.assigned(rec.id, [milestone]),
        e.reported(rec.id, stranger),
        e.reported(
            rec.id,
            milestone,
            local_government="MK-STRUMICA" if milestone.local_government != "MK-STRUMICA" else "MK-KUMANOVO",
        ),
    )
    state = await rec.settles_after(7)

    assert state.status is S.IN_IMPLEMENTATION
    rejections = await rec.published_exactly(2, TransitionRejected.TYPE)
    reasons = [r.data.reason for r in rejections if isinstance(r.data, TransitionRejected)]
    assert reasons[0] == f"milestone {stranger.milestone_id} is not in the plan"
    assert reasons[1].startswith(f"milestone {milestone.milestone_id} is assigned to {milestone.local_government}")


async def test_lifecycle_events_carry_the_cause_and_its_correlation(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    cause = e.drafted(rec.id)
    await rec.send(cause)
    await rec.settles_after(1)
    [changed] = await rec.published_exactly(1)
    assert changed.causation_id == cause.id
    assert changed.correlation_id == cause.correlation_id
    assert changed.actor == e.ZELS
    assert changed.source == "/sori/lifecycle"


async def test_a_recommendation_never_seen_has_no_lifecycle(world: LifecycleWorld) -> None:
    from temporalio.service import RPCError

    with pytest.raises(RPCError):
        await world.recommendation().state()
