"""Roadmaps' HTTP commands: parse, authorize through the domain, commit the row and its event together."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from fastapi import APIRouter, status
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import new_event
from contracts.lifecycle import RecommendationStatus
from services.roadmaps import domain
from services.roadmaps.models import (
    CodeSequence,
    Recommendation,
    RecommendationCreate,
    RecommendationPublic,
    Roadmap,
    RoadmapCreate,
    RoadmapPublic,
)
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind
from sori.outbox import add_event
from sori.upsert import dialect_of, insert_ignoring_duplicates

router = APIRouter(prefix="/roadmaps/v1", tags=["roadmaps"])


@router.post("/roadmaps", status_code=status.HTTP_201_CREATED, response_model=RoadmapPublic)
async def create_roadmap(body: RoadmapCreate, actor: CurrentActor, db: DatabaseDep) -> Roadmap:
    association = domain.require_association_staff(actor)
    roadmap = Roadmap.model_validate(body, update={"association": association})
    async with db.transaction() as session:
        session.add(roadmap)
    return roadmap


@router.get("/roadmaps/{roadmap_id}", response_model=RoadmapPublic)
async def read_roadmap(roadmap_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> Roadmap:
    async with db.reading() as session:
        return await _roadmap(session, roadmap_id)


@router.post(
    "/roadmaps/{roadmap_id}/recommendations",
    status_code=status.HTTP_201_CREATED,
    response_model=RecommendationPublic,
)
async def draft_recommendation(
    roadmap_id: UUID, body: RecommendationCreate, actor: CurrentActor, db: DatabaseDep
) -> Recommendation:
    async with db.transaction() as session:
        roadmap = await _roadmap(session, roadmap_id)
        domain.require_association_staff(actor, roadmap.association)
        recommendation_id = uuid4()
        code = await _next_code(session, roadmap.association)
        drafted = domain.draft(
            actor,
            roadmap_association=roadmap.association,
            roadmap_id=roadmap.id,
            recommendation_id=recommendation_id,
            code=code,
            title=body.title,
            language=body.language,
        )
        recommendation = Recommendation.model_validate(
            body,
            update={
                "id": recommendation_id,
                "roadmap_id": roadmap.id,
                "association": roadmap.association,
                "code": code,
            },
        )
        session.add(recommendation)
        await add_event(
            session,
            new_event(drafted, subject=str(recommendation_id), actor=actor, source=domain.SERVICE),
        )
    return recommendation


@router.get("/recommendations/{recommendation_id}", response_model=RecommendationPublic)
async def read_recommendation(recommendation_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> Recommendation:
    async with db.reading() as session:
        return await _recommendation(session, recommendation_id)


@router.post("/recommendations/{recommendation_id}/submit", response_model=RecommendationPublic)
async def submit_recommendation(recommendation_id: UUID, actor: CurrentActor, db: DatabaseDep) -> Recommendation:
    async with db.transaction() as session:
        recommendation = await _recommendation(session, recommendation_id)
        submitted = domain.submit(
            actor,
            association=recommendation.association,
            recommendation_id=recommendation.id,
            status=recommendation.status,
            version=recommendation.version,
        )
        recommendation.status = RecommendationStatus.SUBMITTED
        recommendation.updated_at = datetime.now(UTC)
        session.add(recommendation)
        await add_event(
            session,
            new_event(submitted, subject=str(recommendation_id), actor=actor, source=domain.SERVICE),
        )
    return recommendation


async def _roadmap(session: AsyncSession, roadmap_id: UUID) -> Roadmap:
    roadmap = await session.get(Roadmap, roadmap_id)
    if roadmap is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no roadmap {roadmap_id}")
    return roadmap


async def _recommendation(session: AsyncSession, recommendation_id: UUID) -> Recommendation:
    recommendation = await session.get(Recommendation, recommendation_id)
    if recommendation is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no recommendation {recommendation_id}")
    return recommendation


async def _next_code(session: AsyncSession, association: str) -> str:
    year = datetime.now(UTC).year
    table = CodeSequence.__table__  # type: ignore[attr-defined]
    await session.execute(
        insert_ignoring_duplicates(table, dialect_of(session), {"association": association, "year": year})
    )
    number = await session.scalar(
        update(table)
        .where(table.c.association == association, table.c.year == year)
        .values(last=table.c.last + 1)
        .returning(table.c.last)
    )
    return domain.recommendation_code(association, year, int(number or 0))
