"""Milestones in progress: plans from roadmaps and the lifecycle, reports from social approaches, the clocks."""

from collections.abc import Sequence
from uuid import UUID

from contracts.envelope import Envelope
from contracts.lifecycle import MilestoneClock, MilestoneEscalated, MilestoneOverdue, MilestonesPlanned
from contracts.roadmaps import MilestoneRescheduled, PlannedMilestone, RecommendationAssigned
from contracts.social_approaches import MilestoneReported
from services.progress.domain import actual_id, is_newer, latest
from services.progress.models import ACTUALS, MILESTONES
from sori.projection import RowKey, concerning, projector
from sori.rows import Row, Rows


def _milestone(rows: Rows, milestone_id: UUID, recommendation_id: UUID, lg: str) -> Row:
    row = rows.get(MILESTONES, milestone_id)
    if row is None:
        row = rows.add(MILESTONES, milestone_id=milestone_id, recommendation_id=recommendation_id, local_government=lg)
    return row


def plan_milestones(
    rows: Rows, event: Envelope, recommendation_id: UUID, association: str, plan: Sequence[PlannedMilestone]
) -> None:
    """A whole plan (an assignment, or the lifecycle's plan after it): each milestone takes the newest plan."""
    for planned in plan:
        row = _milestone(rows, planned.milestone_id, recommendation_id, planned.local_government)
        row["association"] = association
        if is_newer(row["planned_at"], event.time):
            row["local_government"], row["title"] = planned.local_government, planned.title
            row["indicators"] = list(planned.indicators)
            row["due_date"], row["planned_at"] = planned.due_date, event.time


def planned_in(event: Envelope[RecommendationAssigned | MilestonesPlanned]) -> list[RowKey]:
    """The milestones of a plan."""
    return [(MILESTONES, planned.milestone_id) for planned in event.data.milestones]


def on_milestones_planned(rows: Rows, event: Envelope[MilestonesPlanned]) -> None:
    data = event.data
    plan_milestones(rows, event, data.recommendation_id, data.association, data.milestones)


def on_rescheduled(rows: Rows, event: Envelope[MilestoneRescheduled]) -> None:
    data = event.data
    row = rows.get(MILESTONES, data.milestone_id)
    # Its assignment precedes it on the same partition; without one there is nothing to move.
    if row is not None and is_newer(row["planned_at"], event.time):
        row["due_date"], row["planned_at"] = data.due_date, event.time


def on_reported(rows: Rows, event: Envelope[MilestoneReported]) -> None:
    data = event.data
    row = _milestone(rows, data.milestone_id, data.recommendation_id, data.local_government)
    row["reports"] += 1
    row["evidence_count"] += len(data.evidence)
    if is_newer(row["reported_at"], event.time):
        row["report_status"], row["reported_at"] = data.status.value, event.time
    for given in data.indicators:
        rows.record(
            ACTUALS,
            actual_id=actual_id(data.report_id, given.indicator),
            report_id=data.report_id,
            indicator=given.indicator,
            recommendation_id=data.recommendation_id,
            milestone_id=data.milestone_id,
            local_government=data.local_government,
            report_status=data.status.value,
            value=given.value,
            by_sex=dict(given.by_sex),
            reported_at=event.time,
        )


def _clock(rows: Rows, clock: MilestoneClock) -> Row:
    """The milestone a clock rang for; a clock heard before any plan brings the plan it knows."""
    row = rows.get(MILESTONES, clock.milestone_id)
    if row is None:
        row = _milestone(rows, clock.milestone_id, clock.recommendation_id, clock.local_government)
        row["association"], row["title"], row["due_date"] = clock.association, clock.title, clock.due_date
    return row


def on_overdue(rows: Rows, event: Envelope[MilestoneOverdue]) -> None:
    row = _clock(rows, event.data)
    row["overdue_at"] = latest(row["overdue_at"], event.time)


def on_escalated(rows: Rows, event: Envelope[MilestoneEscalated]) -> None:
    row = _clock(rows, event.data)
    row["escalated_at"] = latest(row["escalated_at"], event.time)


_MILESTONE = concerning(MILESTONES, "milestone_id")
PROJECTORS = (
    projector(MilestonesPlanned, on_milestones_planned, planned_in),
    projector(MilestoneRescheduled, on_rescheduled, _MILESTONE),
    projector(MilestoneReported, on_reported, _MILESTONE),
    projector(MilestoneOverdue, on_overdue, _MILESTONE),
    projector(MilestoneEscalated, on_escalated, _MILESTONE),
)
