"""Asking a lifecycle where it stood on a past date, and lifecycles that outlive their history."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from contracts.lifecycle import RecommendationStatus, StatusChanged
from tests.polling import eventually
from tests.support import events as e
from tests.workflow.worlds import ForgetfulWorld, LifecycleWorld
from workflows.lifecycle import RecommendationLifecycle
from workflows.messages import DomainEvent, LifecycleInput

pytestmark = pytest.mark.workflow
S = RecommendationStatus


async def test_the_state_on_any_past_date_is_answered_from_the_timeline(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    march_1 = datetime(2026, 3, 1, 9, tzinfo=UTC)
    drafted, submitted = e.drafted(rec.id), e.submitted(rec.id)
    drafted.time, submitted.time = march_1, march_1 + timedelta(days=10)
    await rec.send(drafted, submitted)
    await rec.settles_after(2)

    async def as_of(at: datetime) -> S | None:
        return (await rec.handle.query(RecommendationLifecycle.status_as_of, at)).status

    assert await as_of(march_1 - timedelta(days=1)) is None
    assert await as_of(march_1 + timedelta(days=5)) is S.DRAFTED
    assert await as_of(march_1 + timedelta(days=10)) is S.SUBMITTED
    timeline = await rec.handle.query(RecommendationLifecycle.timeline)
    assert [(t.from_status, t.to_status) for t in timeline] == [(None, S.DRAFTED), (S.DRAFTED, S.SUBMITTED)]


async def test_a_long_history_continues_as_new_keeping_state_and_seen_events(dev_world: LifecycleWorld) -> None:
    world = dev_world
    rec = world.recommendation()
    first = e.drafted(rec.id)
    handle = await world.client.start_workflow(
        RecommendationLifecycle.run,
        LifecycleInput(rec.id, continue_after_events=30),
        id=rec.handle.id,
        task_queue=world.task_queue,
        start_signal="apply",
        start_signal_args=[rec.proven(first)],
    )
    first_run = handle.result_run_id
    revisions = [e.revised(rec.id, version=v) for v in range(2, 22)]
    for revision in revisions:
        await rec.send(revision)
    state = await rec.settles_after(21)
    await rec.send(first, revisions[0], e.submitted(rec.id, version=21))
    state = await rec.settles_after(22)

    described = await rec.handle.describe()
    assert described.run_id != first_run
    assert state.status is S.SUBMITTED
    assert state.version == 21
    assert len(state.timeline) == 22
    published = await eventually(lambda: rec.published(StatusChanged.TYPE), until=lambda p: len(p) == 2)
    assert [c.data.sequence for c in published if isinstance(c.data, StatusChanged)] == [1, 2], "numbering carried on"


async def test_lifecycles_evicted_from_the_workers_memory_go_on_where_they_were(
    forgetful_world: ForgetfulWorld,
) -> None:
    first, second = forgetful_world.recommendation(), forgetful_world.recommendation()
    steps: list[Callable[[UUID], DomainEvent]] = [e.drafted, e.submitted, e.review_started, e.endorsed]
    for applied, step in enumerate(steps, start=1):
        for rec in (first, second):
            await rec.send(step(rec.id))
            await rec.settles_after(applied)
    for rec in (first, second):
        assert (await rec.state()).status is S.ENDORSED
        changes = [c.data for c in await rec.published_exactly(4, StatusChanged.TYPE)]
        assert [(c.to_status, c.sequence) for c in changes if isinstance(c, StatusChanged)] == [
            (S.DRAFTED, 1), (S.SUBMITTED, 2), (S.UNDER_REVIEW, 3), (S.ENDORSED, 4),
        ]  # fmt: skip
    counted = forgetful_world.counted()
    assert counted["temporal_sticky_cache_total_forced_eviction"] > 0, counted
