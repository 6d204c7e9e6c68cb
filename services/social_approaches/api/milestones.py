"""Milestones: what is expected of a local government, and its reports on them with figures and evidence."""

from collections.abc import Sequence
from uuid import UUID

from fastapi import APIRouter, status
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Actor, new_event
from contracts.social_approaches import EvidenceReference, MilestoneReported
from services.social_approaches import domain, store
from services.social_approaches.models import Evidence, MilestoneReport, PlannedMilestone
from services.social_approaches.schemas.milestones import ExpectedMilestone, ReportCreate, ReportPublic
from sori.deps import CurrentActor, DatabaseDep
from sori.idempotency import IdempotentRoute
from sori.outbox import add_event
from sori.scopes import reading_scope

router = APIRouter(tags=["milestones"], route_class=IdempotentRoute)


@router.get(
    "/milestones",
    response_model=list[ExpectedMilestone],
    summary="What is expected of a local government: due dates, required indicators, latest report status",
)
async def list_expected_milestones(
    actor: CurrentActor, db: DatabaseDep, local_government: str | None = None
) -> list[ExpectedMilestone]:
    async with db.reading() as session:
        if local_government is not None:
            domain.require_reader(actor, local_government, await store.association_of(session, local_government))
        planned = await store.planned_milestones(session, reading_scope(actor), local_government)
        return [await _expected(session, milestone) for milestone in planned]


@router.post(
    "/recommendations/{recommendation_id}/milestones/{milestone_id}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportPublic,
    summary="Report a milestone assigned to your local government (emits milestone.reported)",
)
async def report_milestone(
    recommendation_id: UUID, milestone_id: UUID, body: ReportCreate, actor: CurrentActor, db: DatabaseDep
) -> MilestoneReport:
    async with db.transaction() as session:
        milestone = await store.milestone(session, recommendation_id, milestone_id)
        domain.require_assigned(actor, milestone.local_government, milestone_id)
        recommendation = await store.recommendation(session, recommendation_id)
        domain.require_reportable(recommendation.status if recommendation else None)
        evidence = await _own_evidence(session, actor, body.evidence_ids)
        domain.check_report(body.status, body.indicators, milestone.indicators, len(evidence))
        report = MilestoneReport(
            recommendation_id=recommendation_id,
            milestone_id=milestone_id,
            local_government=milestone.local_government,
            status=body.status,
            narrative=body.narrative,
            indicators=[i.model_dump(mode="json") for i in body.indicators],
            evidence_ids=[str(e.id) for e in evidence],
        )
        session.add(report)
        reported = MilestoneReported(
            recommendation_id=recommendation_id,
            milestone_id=milestone_id,
            report_id=report.id,
            local_government=milestone.local_government,
            status=body.status,
            narrative=body.narrative,
            indicators=body.indicators,
            evidence=[EvidenceReference(evidence_id=e.id, name=e.name, sha256=e.sha256, url=e.url) for e in evidence],
        )
        await add_event(
            session, new_event(reported, subject=str(recommendation_id), actor=actor, source=domain.SERVICE)
        )
    return report


@router.get(
    "/recommendations/{recommendation_id}/milestones/{milestone_id}/reports",
    response_model=list[ReportPublic],
    summary="The reports on a milestone, oldest first",
)
async def list_reports(
    recommendation_id: UUID, milestone_id: UUID, actor: CurrentActor, db: DatabaseDep
) -> Sequence[MilestoneReport]:
    async with db.reading() as session:
        milestone = await store.milestone(session, recommendation_id, milestone_id)
        domain.require_reader(actor, milestone.local_government, milestone.association)
        return await store.reports(session, milestone_id)


async def _own_evidence(session: AsyncSession, actor: Actor, evidence_ids: list[UUID]) -> list[Evidence]:
    found: list[Evidence] = []
    for evidence_id in dict.fromkeys(evidence_ids):
        evidence = await store.evidence(session, evidence_id)
        domain.require_own_evidence(actor.org, evidence_id, evidence.owner if evidence else None)
        if evidence is not None:
            found.append(evidence)
    return found


async def _expected(session: AsyncSession, milestone: PlannedMilestone) -> ExpectedMilestone:
    recommendation = await store.recommendation(session, milestone.recommendation_id)
    reports = await store.reports(session, milestone.milestone_id)
    latest = reports[-1] if reports else None
    return ExpectedMilestone(
        milestone_id=milestone.milestone_id,
        recommendation_id=milestone.recommendation_id,
        recommendation_status=recommendation.status if recommendation else None,
        association=milestone.association,
        local_government=milestone.local_government,
        title=milestone.title,
        due_date=milestone.due_date,
        indicators=milestone.indicators,
        latest_report_status=latest.status if latest else None,
        latest_report_at=latest.reported_at if latest else None,
    )
