"""Asking a lifecycle where it stood on a past date, and lifecycles that outlive their history."""

from datetime import UTC, datetime, timedelta

import pytest

from contracts.lifecycle import RecommendationStatus, StatusChanged
from tests.polling import eventually
from tests.workflow import events as e
from tests.workflow.conftest import LifecycleWorld
from workflows.lifecycle import RecommendationLifecycle
from workflows.messages import LifecycleInput

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
        start_signal_args=[first],
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
    assert len(await eventually(lambda: rec.published(StatusChanged.TYPE), until=lambda p: len(p) == 2)) == 2
