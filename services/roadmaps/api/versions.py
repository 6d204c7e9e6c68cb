"""Versions over HTTP: revise (a new immutable version of the text), the versions, one version, and what changed
between two."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, status
from sqlmodel import col, select

from services.roadmaps import drafting, store
from services.roadmaps.api import examples as ex
from services.roadmaps.domain.changes import field_changes
from services.roadmaps.domain.text import RecommendationRevision
from services.roadmaps.models import RecommendationVersion
from services.roadmaps.schemas import VersionDiff, VersionPublic, VersionSummary
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import TEXT_BODY_LIMIT, CommandRefused, RefusalKind
from sori.idempotency import IdempotentRoute

router = APIRouter(
    prefix="/roadmaps/v1/recommendations/{recommendation_id}", tags=["drafting"], route_class=IdempotentRoute
)
# The bound keeps a number within every database's integer, so that an absurd one is a 422, not a 500.
MAX_VERSION = 2**31 - 1
VersionNumber = Annotated[
    int, Path(ge=1, le=MAX_VERSION, description="a version number, 1 being the draft", examples=[2])
]


@router.post(
    "/versions",
    status_code=status.HTTP_201_CREATED,
    response_model=VersionPublic,
    responses=ex.responds(ex.VERSION, 201),
    summary="Revise: save the changed fields as a new version (while drafted or changes_requested)",
    max_body_size=TEXT_BODY_LIMIT,
)
async def revise_recommendation(
    recommendation_id: UUID, body: RecommendationRevision, actor: CurrentActor, db: DatabaseDep
) -> VersionPublic:
    changes = body.changes()
    if not changes:
        raise CommandRefused(RefusalKind.INVALID, "a revision names at least one field to change")
    async with db.transaction() as session:
        version = await drafting.revise(session, recommendation_id, changes, actor)
    return VersionPublic.of(version)


@router.get(
    "/versions",
    response_model=list[VersionSummary],
    responses=ex.responds(ex.VERSIONS),
    summary="List a recommendation's versions",
)
async def list_versions(recommendation_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> list[VersionSummary]:
    async with db.reading() as session:
        await store.recommendation(session, recommendation_id)
        rows = await session.scalars(
            select(RecommendationVersion)
            .where(RecommendationVersion.recommendation_id == recommendation_id)
            .order_by(col(RecommendationVersion.number))
        )
        return [
            VersionSummary(
                number=v.number,
                title=v.text["title"],
                changed_fields=v.changed_fields,
                author_org=v.author_org,
                created_at=v.created_at,
            )
            for v in rows
        ]


@router.get("/versions/diff", response_model=VersionDiff, summary="What changed between two versions, field by field")
async def diff_versions(
    recommendation_id: UUID,
    _actor: CurrentActor,
    db: DatabaseDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=MAX_VERSION, examples=[1])],
    to_version: Annotated[int, Query(alias="to", ge=1, le=MAX_VERSION, examples=[3])],
) -> VersionDiff:
    async with db.reading() as session:
        before = await store.version(session, recommendation_id, from_version)
        after = await store.version(session, recommendation_id, to_version)
    return VersionDiff(
        from_version=from_version,
        to_version=to_version,
        changes=field_changes(before.text, after.text, from_version, to_version),
    )


@router.get(
    "/versions/{number}",
    response_model=VersionPublic,
    responses=ex.responds(ex.VERSION),
    summary="Read one version's text",
)
async def read_version(
    recommendation_id: UUID, number: VersionNumber, _actor: CurrentActor, db: DatabaseDep
) -> VersionPublic:
    async with db.reading() as session:
        return VersionPublic.of(await store.version(session, recommendation_id, number))
