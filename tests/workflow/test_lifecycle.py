"""A recommendation's lifecycle workflow applies each fact once, refuses what its state does not allow,
and publishes what happened through the workflows' outbox."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy import select

from contracts.envelope import Actor, Envelope, Role
from contracts.lifecycle import RecommendationStatus, StatusChanged, TransitionRejected
from contracts.registry import parse_event
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted
from sori.outbox import outbox_table
from tests.polling import eventually
from tests.workflow.conftest import LifecycleWorld
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import DomainEvent, LifecycleInput, LifecycleState

ZELS = Actor(sub="ana", org="ZELS", role=Role.LGA)


def drafted(rec: UUID) -> DomainEvent:
    data = {
        "recommendation_id": str(rec),
        "roadmap_id": str(uuid4()),
        "association": "ZELS",
        "code": "ZELS-2026-01",
        "title": "Day care",
        "language": "en",
        "version": 1,
    }
    return DomainEvent(uuid4(), RecommendationDrafted.TYPE, datetime.now(UTC), ZELS, uuid4(), data)


def submitted(rec: UUID) -> DomainEvent:
    data = {"recommendation_id": str(rec), "association": "ZELS", "version": 1}
    return DomainEvent(uuid4(), RecommendationSubmitted.TYPE, datetime.now(UTC), ZELS, uuid4(), data)


async def signal(world: LifecycleWorld, rec: UUID, event: DomainEvent) -> None:
    await world.client.start_workflow(
        RecommendationLifecycle.run,
        LifecycleInput(recommendation_id=rec),
        id=workflow_id(rec),
        task_queue=world.task_queue,
        start_signal="apply",
        start_signal_args=[event],
    )


async def state_of(world: LifecycleWorld, rec: UUID) -> LifecycleState:
    handle = world.client.get_workflow_handle_for(RecommendationLifecycle.run, workflow_id(rec))
    return await handle.query(RecommendationLifecycle.state)


async def published(world: LifecycleWorld) -> list[Envelope]:
    async with world.db.reading() as session:
        rows = (await session.execute(select(outbox_table.c.body).order_by(outbox_table.c.seq))).scalars()
        return [parse_event(body) for body in rows]


async def test_drafted_then_submitted_moves_the_recommendation_to_submitted(world: LifecycleWorld) -> None:
    rec = uuid4()
    await signal(world, rec, drafted(rec))
    await signal(world, rec, submitted(rec))

    state = await eventually(lambda: state_of(world, rec), until=lambda s: len(s.timeline) == 2)
    assert state.status is RecommendationStatus.SUBMITTED
    assert [(e.from_status, e.to_status) for e in state.timeline] == [
        (None, RecommendationStatus.DRAFTED),
        (RecommendationStatus.DRAFTED, RecommendationStatus.SUBMITTED),
    ]
    events = await eventually(lambda: published(world), until=lambda e: len(e) == 2)
    assert all(isinstance(e.data, StatusChanged) for e in events)
    assert [e.data.to_status for e in events if isinstance(e.data, StatusChanged)] == ["drafted", "submitted"]
    assert {e.subject for e in events} == {str(rec)}


async def test_a_redelivered_event_is_applied_once(world: LifecycleWorld) -> None:
    rec = uuid4()
    first = drafted(rec)
    again = submitted(rec)
    for event in (first, again, first, again):
        await signal(world, rec, event)
    await eventually(lambda: published(world), until=lambda e: len(e) >= 2)
    state = await state_of(world, rec)
    assert [e.event_id for e in state.timeline] == [first.id, again.id]
    assert len(await published(world)) == 2


async def test_submitting_before_drafting_is_refused_and_published_as_rejected(world: LifecycleWorld) -> None:
    rec = uuid4()
    await signal(world, rec, submitted(rec))
    events = await eventually(lambda: published(world), until=lambda e: len(e) == 1)
    rejection = events[0].data
    assert isinstance(rejection, TransitionRejected)
    assert "not allowed while not yet drafted" in rejection.reason
    state = await state_of(world, rec)
    assert state.status is None
    assert state.timeline[0].applied is False


async def test_lifecycle_events_carry_the_cause_and_its_correlation(world: LifecycleWorld) -> None:
    rec = uuid4()
    cause = drafted(rec)
    await signal(world, rec, cause)
    [event] = await eventually(lambda: published(world), until=lambda e: len(e) == 1)
    assert event.causation_id == cause.id
    assert event.correlation_id == cause.correlation_id
    assert event.actor == ZELS
