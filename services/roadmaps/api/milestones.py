"""Milestones over HTTP: an endorsed recommendation is assigned to local governments with a milestone plan, whose
milestones the association may reschedule."""

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from fastapi import APIRouter
from sqlmodel import col, select

from contracts.envelope import new_event
from contracts.lifecycle import RecommendationStatus
from contracts.roadmaps import PlannedMilestone
from services.roadmaps import domain, store
from services.roadmaps.api import examples as ex
from services.roadmaps.models import Milestone
from services.roadmaps.schemas import AssignmentCreate, AssignmentPublic, MilestonePublic, RescheduleCommand
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind
from sori.outbox import add_event

router = APIRouter(prefix="/roadmaps/v1/recommendations/{recommendation_id}", tags=["implementation"])


@router.post(
    "/assignment",
    response_model=AssignmentPublic,
    responses=ex.responds(ex.ASSIGNMENT),
    summary="Assign an endorsed recommendation to the association's local governments, with a milestone plan",
)
async def assign_recommendation(
    recommendation_id: UUID, body: AssignmentCreate, actor: CurrentActor, db: DatabaseDep
) -> AssignmentPublic:
    plan = [PlannedMilestone(milestone_id=uuid4(), **m.model_dump()) for m in body.milestones]
    async with db.transaction() as session:
        row = await store.recommendation(session, recommendation_id, for_update=True)
        assigned = domain.assign(
            actor,
            association=row.association,
            recommendation_id=row.id,
            status=row.status,
            local_governments=body.local_governments,
            milestones=plan,
            associations_local_governments=await store.local_governments_of(session, row.association),
            today=_today(),
        )
        milestones = [
            Milestone(id=m.milestone_id, recommendation_id=row.id, **m.model_dump(exclude={"milestone_id"}))
            for m in assigned.milestones
        ]
        session.add_all(milestones)
        row.local_governments = assigned.local_governments
        event = new_event(assigned, subject=str(row.id), actor=actor, source=domain.SERVICE)
        await store.move_ahead(session, row, RecommendationStatus.IN_IMPLEMENTATION, event)
    return AssignmentPublic(
        recommendation_id=row.id,
        local_governments=row.local_governments,
        milestones=[MilestonePublic.model_validate(m, from_attributes=True) for m in milestones],
    )


@router.get(
    "/milestones",
    response_model=list[MilestonePublic],
    responses=ex.responds([ex.MILESTONE]),
    summary="The milestone plan, by due date",
)
async def list_milestones(recommendation_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> list[Milestone]:
    async with db.reading() as session:
        await store.recommendation(session, recommendation_id)
        rows = await session.scalars(
            select(Milestone)
            .where(Milestone.recommendation_id == recommendation_id)
            .order_by(col(Milestone.due_date), col(Milestone.id))
        )
        return list(rows)


@router.post(
    "/milestones/{milestone_id}/reschedule",
    response_model=MilestonePublic,
    responses=ex.responds(ex.MILESTONE),
    summary="Move a milestone's due date, with the reason (while in implementation)",
)
async def reschedule_milestone(
    recommendation_id: UUID, milestone_id: UUID, body: RescheduleCommand, actor: CurrentActor, db: DatabaseDep
) -> Milestone:
    async with db.transaction() as session:
        row = await store.recommendation(session, recommendation_id, for_update=True)
        domain.require_association_staff(actor, row.association)
        milestone = await session.get(Milestone, milestone_id)
        if milestone is None or milestone.recommendation_id != row.id:
            raise CommandRefused(RefusalKind.NOT_FOUND, f"recommendation {row.id} has no milestone {milestone_id}")
        rescheduled = domain.reschedule(
            actor,
            association=row.association,
            recommendation_id=row.id,
            status=row.status,
            milestone_id=milestone.id,
            due_date=body.due_date,
            reason=body.reason,
            today=_today(),
        )
        milestone.due_date = rescheduled.due_date
        milestone.updated_at = datetime.now(UTC)
        session.add(milestone)
        await add_event(session, new_event(rescheduled, subject=str(row.id), actor=actor, source=domain.SERVICE))
    return milestone


def _today() -> date:
    return datetime.now(UTC).date()
