"""Milestones in progress: plans from roadmaps and the lifecycle, reports from social approaches, the clocks."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.lifecycle import MilestoneClock, MilestoneEscalated, MilestoneOverdue, MilestonesPlanned
from contracts.roadmaps import MilestoneRescheduled, PlannedMilestone
from contracts.social_approaches import MilestoneReported
from services.progress.domain import is_newer, latest
from services.progress.models import MilestoneProgress
from sori.service import EventHandler


async def _milestone(session: AsyncSession, milestone_id: UUID, recommendation_id: UUID, lg: str) -> MilestoneProgress:
    row = await session.get(MilestoneProgress, milestone_id)
    if row is None:
        row = MilestoneProgress(milestone_id=milestone_id, recommendation_id=recommendation_id, local_government=lg)
        session.add(row)
    return row


async def plan_milestones(
    session: AsyncSession, event: Envelope, recommendation_id: UUID, association: str, plan: Sequence[PlannedMilestone]
) -> None:
    """A whole plan (an assignment, or the lifecycle's plan after it): each milestone takes the newest plan."""
    for planned in plan:
        row = await _milestone(session, planned.milestone_id, recommendation_id, planned.local_government)
        row.association = association
        if is_newer(row.planned_at, event.time):
            row.local_government, row.title, row.due_date = planned.local_government, planned.title, planned.due_date
            row.planned_at = event.time


async def on_milestones_planned(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, MilestonesPlanned)
    await plan_milestones(session, event, data.recommendation_id, data.association, data.milestones)


async def on_rescheduled(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, MilestoneRescheduled)
    row = await session.get(MilestoneProgress, data.milestone_id)
    # Its assignment precedes it on the same partition; without one there is nothing to move.
    if row is not None and is_newer(row.planned_at, event.time):
        row.due_date, row.planned_at = data.due_date, event.time


async def on_reported(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, MilestoneReported)
    row = await _milestone(session, data.milestone_id, data.recommendation_id, data.local_government)
    row.reports += 1
    row.evidence_count += len(data.evidence)
    if is_newer(row.reported_at, event.time):
        row.report_status, row.reported_at = data.status.value, event.time


async def _clock(session: AsyncSession, clock: MilestoneClock) -> MilestoneProgress:
    """The milestone a clock rang for; a clock heard before any plan brings the plan it knows."""
    row = await session.get(MilestoneProgress, clock.milestone_id)
    if row is None:
        row = await _milestone(session, clock.milestone_id, clock.recommendation_id, clock.local_government)
        row.association, row.title, row.due_date = clock.association, clock.title, clock.due_date
    return row


async def on_overdue(session: AsyncSession, event: Envelope) -> None:
    assert isinstance(event.data, MilestoneOverdue)
    row = await _clock(session, event.data)
    row.overdue_at = latest(row.overdue_at, event.time)


async def on_escalated(session: AsyncSession, event: Envelope) -> None:
    assert isinstance(event.data, MilestoneEscalated)
    row = await _clock(session, event.data)
    row.escalated_at = latest(row.escalated_at, event.time)


HANDLERS: dict[str, EventHandler] = {
    MilestonesPlanned.TYPE: on_milestones_planned,
    MilestoneRescheduled.TYPE: on_rescheduled,
    MilestoneReported.TYPE: on_reported,
    MilestoneOverdue.TYPE: on_overdue,
    MilestoneEscalated.TYPE: on_escalated,
}
