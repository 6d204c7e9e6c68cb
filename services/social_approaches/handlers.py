"""What social approaches reacts to: the lifecycle's milestone plans and status changes tell it what is assigned,
and the reference data which local governments there are."""

from uuid import UUID

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from contracts.envelope import Envelope
from contracts.lifecycle import MilestonesPlanned, StatusChanged
from contracts.roadmaps import ReferenceEntryChanged
from contracts.topics import topics_of
from services.social_approaches.models import (
    Approach,
    KnownLocalGovernment,
    Mapping,
    PlannedMilestone,
    Recommendation,
)
from sori.moments import is_newer
from sori.service import Consumer, by_payload, on


async def _recommendation(session: AsyncSession, recommendation_id: UUID, association: str) -> Recommendation:
    recommendation = await session.get(Recommendation, recommendation_id)
    if recommendation is None:
        recommendation = Recommendation(id=recommendation_id, association=association)
        session.add(recommendation)
    return recommendation


async def on_milestones_planned(session: AsyncSession, event: Envelope[MilestonesPlanned]) -> None:
    """The event carries the whole plan, so it replaces what was planned before unless an older plan arrives late."""
    plan = event.data
    recommendation = await _recommendation(session, plan.recommendation_id, plan.association)
    if not is_newer(recommendation.plan_at, event.time):
        return
    recommendation.plan_at = event.time
    await session.execute(
        delete(PlannedMilestone).where(col(PlannedMilestone.recommendation_id) == plan.recommendation_id)
    )
    for milestone in plan.milestones:
        session.add(
            PlannedMilestone(
                milestone_id=milestone.milestone_id,
                recommendation_id=plan.recommendation_id,
                association=plan.association,
                local_government=milestone.local_government,
                title=milestone.title,
                due_date=milestone.due_date,
                indicators=list(milestone.indicators),
            )
        )
    for local_government in {m.local_government for m in plan.milestones}:
        await _learn_association(session, local_government, plan.association)


async def _learn_association(session: AsyncSession, local_government: str, association: str) -> None:
    """Records made before the association was known become readable by it now."""
    await session.merge(KnownLocalGovernment(code=local_government, association=association))
    for model in (Mapping, Approach):
        await session.execute(
            update(model)
            .where(col(model.local_government) == local_government, col(model.association).is_(None))
            .values(association=association)
        )


async def on_status_changed(session: AsyncSession, event: Envelope[StatusChanged]) -> None:
    changed = event.data
    recommendation = await _recommendation(session, changed.recommendation_id, changed.association or "")
    if is_newer(recommendation.status_at, event.time):
        recommendation.status = changed.to_status
        recommendation.status_at = event.time
        if changed.association:
            recommendation.association = changed.association


async def on_reference_changed(session: AsyncSession, event: Envelope[ReferenceEntryChanged]) -> None:
    """A local government NALAS adds may write from now on (writers are checked against what is known)."""
    entry = event.data
    if entry.kind == "local-governments" and entry.association:
        await _learn_association(session, entry.code, entry.association)


HANDLERS = by_payload(
    on(MilestonesPlanned, on_milestones_planned),
    on(StatusChanged, on_status_changed),
    on(ReferenceEntryChanged, on_reference_changed),
)
CONSUMER = Consumer(group="social_approaches", topics=topics_of(HANDLERS), handlers=HANDLERS)
