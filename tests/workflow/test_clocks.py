"""The lifecycle's clocks on the time-skipping server: days pass in milliseconds."""

from datetime import UTC, datetime, timedelta

import pytest

from contracts.lifecycle import (
    DraftIdle,
    MilestoneDueSoon,
    MilestoneEscalated,
    MilestoneOverdue,
    ReviewOverdue,
)
from tests.polling import eventually
from tests.support import events as e
from tests.workflow.worlds import LifecycleWorld, Recommendation

pytestmark = pytest.mark.workflow
DAY = timedelta(days=1)


async def count(rec: Recommendation, event_type: str) -> int:
    return len(await rec.published(event_type))


async def passes(world: LifecycleWorld, rec: Recommendation, duration: timedelta) -> None:
    """Let time pass, then let the workflow finish whatever its timers woke it up for."""
    await world.env.sleep(duration)
    await rec.state()


async def test_review_is_overdue_fourteen_days_after_submission(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    await rec.send(e.drafted(rec.id), e.submitted(rec.id))
    await rec.settles_after(2)

    await passes(world, rec, 13 * DAY)
    assert await count(rec, ReviewOverdue.TYPE) == 0
    await passes(world, rec, 2 * DAY)
    [overdue] = await eventually(lambda: rec.published(ReviewOverdue.TYPE))
    assert isinstance(overdue.data, ReviewOverdue)
    assert overdue.data.due_at - overdue.data.submitted_at == 14 * DAY
    await passes(world, rec, 30 * DAY)
    assert await count(rec, ReviewOverdue.TYPE) == 1


async def test_a_decision_in_time_stops_the_review_clock(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.endorsed(rec.id))
    await rec.settles_after(4)
    await passes(world, rec, 20 * DAY)
    assert await count(rec, ReviewOverdue.TYPE) == 0


async def test_a_draft_left_alone_is_reported_idle_once(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    await rec.send(e.drafted(rec.id))
    await rec.settles_after(1)
    await passes(world, rec, 29 * DAY)
    assert await count(rec, DraftIdle.TYPE) == 0
    await passes(world, rec, 2 * DAY)
    assert len(await eventually(lambda: rec.published(DraftIdle.TYPE))) == 1
    await passes(world, rec, 40 * DAY)
    assert await count(rec, DraftIdle.TYPE) == 1


async def test_a_milestone_is_reminded_then_overdue_then_escalated(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    [milestone] = e.plan(1, first_due=datetime.now(UTC).date() + 20 * DAY)
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.endorsed(rec.id))
    await rec.send(e.assigned(rec.id, [milestone]))
    await rec.settles_after(5)

    await passes(world, rec, 10 * DAY)
    assert await count(rec, MilestoneDueSoon.TYPE) == 0
    await passes(world, rec, 5 * DAY)
    [soon] = await eventually(lambda: rec.published(MilestoneDueSoon.TYPE))
    assert isinstance(soon.data, MilestoneDueSoon)
    assert (soon.data.local_government, soon.data.due_date) == (milestone.local_government, milestone.due_date)
    assert await count(rec, MilestoneOverdue.TYPE) == 0

    await passes(world, rec, 7 * DAY)
    assert len(await eventually(lambda: rec.published(MilestoneOverdue.TYPE))) == 1
    assert await count(rec, MilestoneEscalated.TYPE) == 0
    await passes(world, rec, 7 * DAY)
    [escalated] = await eventually(lambda: rec.published(MilestoneEscalated.TYPE))
    assert isinstance(escalated.data, MilestoneEscalated)
    assert escalated.data.escalated_to == ["lga", "nalas"]


async def test_a_done_milestone_runs_no_more_clocks(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    [first, second] = e.plan(2, first_due=datetime.now(UTC).date() + 20 * DAY)
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.endorsed(rec.id))
    await rec.send(e.assigned(rec.id, [first, second]), e.reported(rec.id, first))
    await rec.settles_after(6)
    await passes(world, rec, 25 * DAY)
    overdue = [o.data for o in await rec.published(MilestoneOverdue.TYPE) if isinstance(o.data, MilestoneOverdue)]
    assert [o.milestone_id for o in overdue] == []
    await passes(world, rec, 40 * DAY)
    found = await rec.published_exactly(1, MilestoneOverdue.TYPE)
    overdue = [o.data for o in found if isinstance(o.data, MilestoneOverdue)]
    assert [o.milestone_id for o in overdue] == [second.milestone_id]


async def test_a_rescheduled_due_date_moves_its_clocks(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    [milestone] = e.plan(1, first_due=datetime.now(UTC).date() + 10 * DAY)
    await rec.send(e.drafted(rec.id), e.submitted(rec.id), e.review_started(rec.id), e.endorsed(rec.id))
    await rec.send(e.assigned(rec.id, [milestone]), e.rescheduled(rec.id, milestone, milestone.due_date + 30 * DAY))
    await rec.settles_after(6)

    await passes(world, rec, 15 * DAY)
    assert await count(rec, MilestoneOverdue.TYPE) == 0
    await passes(world, rec, 30 * DAY)
    [overdue] = await eventually(lambda: rec.published(MilestoneOverdue.TYPE))
    assert isinstance(overdue.data, MilestoneOverdue)
    assert overdue.data.due_date == milestone.due_date + 30 * DAY


async def test_clock_durations_come_from_the_lifecycle_input(world: LifecycleWorld) -> None:
    rec = world.recommendation(clocks=e.SHORT_REVIEW_CLOCKS)
    await rec.send(e.drafted(rec.id), e.submitted(rec.id))
    await rec.settles_after(2)
    await passes(world, rec, 2 * DAY)
    assert len(await eventually(lambda: rec.published(ReviewOverdue.TYPE))) == 1
