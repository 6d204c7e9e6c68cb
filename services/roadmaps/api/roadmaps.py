"""Roadmaps over HTTP: an association creates and changes its roadmap for a programme, and drafts recommendations
in it."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from services.roadmaps import domain, drafting, store
from services.roadmaps.api import examples as ex
from services.roadmaps.domain.text import RecommendationText
from services.roadmaps.models import Roadmap
from services.roadmaps.schemas import RecommendationPublic, RoadmapCreate, RoadmapPublic, RoadmapUpdate
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import TEXT_BODY_LIMIT, CommandRefused, RefusalKind
from sori.idempotency import IdempotentRoute

router = APIRouter(prefix="/roadmaps/v1", tags=["roadmaps"], route_class=IdempotentRoute)
REQUIRED_ROADMAP_FIELDS = ("title", "priority_topics", "target_groups", "status")


@router.post(
    "/roadmaps",
    status_code=status.HTTP_201_CREATED,
    response_model=RoadmapPublic,
    responses=ex.responds(ex.ROADMAP, 201),
    summary="Create the association's roadmap for a programme (one per association and programme)",
)
async def create_roadmap(
    body: Annotated[RoadmapCreate, ex.example_body(ex.ROADMAP_CREATE)], actor: CurrentActor, db: DatabaseDep
) -> Roadmap:
    association = domain.require_association_staff(actor)
    domain.require_period(body.period_start, body.period_end)
    try:
        async with db.transaction() as session:
            await store.require_known_association(session, association)
            programme = await store.programme(session, body.programme)
            domain.require_running(programme.code, programme.ends_on, datetime.now(UTC).date())
            domain.require_first_roadmap(
                association, programme.code, await store.roadmap_of(session, association, programme.code)
            )
            await store.require_known_codes(session, groups=body.target_groups, topics=body.priority_topics)
            roadmap = Roadmap.model_validate(
                body,
                update={
                    "association": association,
                    "period_start": body.period_start or programme.starts_on,
                    "period_end": body.period_end or programme.ends_on,
                },
            )
            session.add(roadmap)
    except IntegrityError as exc:
        # Two requests raced past the check above; the unique constraint decided.
        raise CommandRefused(
            RefusalKind.CONFLICT,
            f"{association} already has a roadmap for {body.programme}",
            "roadmap_exists",
            {"association": association, "programme": body.programme},
        ) from exc
    return roadmap


@router.get(
    "/roadmaps",
    response_model=list[RoadmapPublic],
    responses=ex.responds([ex.ROADMAP]),
    summary="List roadmaps, by programme and association",
)
async def list_roadmaps(
    _actor: CurrentActor,
    db: DatabaseDep,
    programme: Annotated[str | None, Query(examples=["SoRi 4"])] = None,
    association: Annotated[str | None, Query(examples=["ZELS"])] = None,
) -> list[Roadmap]:
    query = select(Roadmap).order_by(col(Roadmap.programme), col(Roadmap.association))
    if programme:
        query = query.where(Roadmap.programme == programme)
    if association:
        query = query.where(Roadmap.association == association)
    async with db.reading() as session:
        return list(await session.scalars(query))


@router.get(
    "/roadmaps/{roadmap_id}", response_model=RoadmapPublic, responses=ex.responds(ex.ROADMAP), summary="Read a roadmap"
)
async def read_roadmap(roadmap_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> Roadmap:
    async with db.reading() as session:
        return await store.roadmap(session, roadmap_id)


@router.patch(
    "/roadmaps/{roadmap_id}",
    response_model=RoadmapPublic,
    responses=ex.responds(ex.ROADMAP),
    summary="Change a roadmap (its association)",
)
async def update_roadmap(
    roadmap_id: UUID,
    body: Annotated[RoadmapUpdate, ex.example_body(ex.ROADMAP_UPDATE)],
    actor: CurrentActor,
    db: DatabaseDep,
) -> Roadmap:
    changes = body.model_dump(exclude_unset=True)
    async with db.transaction() as session:
        roadmap = await store.roadmap(session, roadmap_id)
        domain.require_association_staff(actor, roadmap.association)
        nulls = [name for name in REQUIRED_ROADMAP_FIELDS if name in changes and changes[name] is None]
        if nulls:
            raise CommandRefused(RefusalKind.INVALID, f"{', '.join(nulls)} cannot be null")
        domain.require_period(
            changes.get("period_start", roadmap.period_start), changes.get("period_end", roadmap.period_end)
        )
        await store.require_known_codes(
            session, groups=changes.get("target_groups") or [], topics=changes.get("priority_topics") or []
        )
        roadmap.sqlmodel_update({**changes, "updated_at": datetime.now(UTC)})
        session.add(roadmap)
    return roadmap


@router.post(
    "/roadmaps/{roadmap_id}/recommendations",
    status_code=status.HTTP_201_CREATED,
    response_model=RecommendationPublic,
    summary="Draft a recommendation in the association's roadmap (its version 1)",
    max_body_size=TEXT_BODY_LIMIT,
)
async def draft_recommendation(
    roadmap_id: UUID, body: RecommendationText, actor: CurrentActor, db: DatabaseDep
) -> RecommendationPublic:
    async with db.transaction() as session:
        columns = await drafting.draft(session, roadmap_id, body, actor)
    return RecommendationPublic.of_columns(columns)
