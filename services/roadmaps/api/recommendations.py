"""Recommendations over HTTP: lists that page with a cursor, one recommendation, and the commands that move it on:
submit (or resubmit) and withdraw."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from contracts.envelope import new_event
from contracts.lifecycle import RecommendationStatus
from services.roadmaps import domain, store
from services.roadmaps.api import examples as ex
from services.roadmaps.schemas import RecommendationPage, RecommendationPublic, WithdrawCommand
from sori.deps import CurrentActor, DatabaseDep

router = APIRouter(prefix="/roadmaps/v1/recommendations")


@router.get(
    "",
    tags=["roadmaps"],
    response_model=RecommendationPage,
    responses=ex.responds(ex.PAGE),
    summary="List recommendations: filter, search titles (q), page with the cursor the last page gave",
)
async def list_recommendations(
    _actor: CurrentActor,
    db: DatabaseDep,
    programme: Annotated[str | None, Query(examples=["SoRi 4"])] = None,
    association: Annotated[str | None, Query(examples=["ZELS"])] = None,
    status: RecommendationStatus | None = None,
    topic: Annotated[str | None, Query(description="a social-topic code", examples=["social_services"])] = None,
    group: Annotated[str | None, Query(description="a vulnerable-group code", examples=["roma"])] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="part of a title, any case", examples=["day-care"])
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500, description="next_cursor of the previous page")] = None,
) -> RecommendationPage:
    query = store.page_query(
        programme=programme,
        association=association,
        status=status,
        topic=topic,
        group=group,
        q=q,
        cursor=cursor,
        limit=limit,
    )
    async with db.reading() as session:
        rows = list(await session.scalars(query))
    page, more = rows[:limit], len(rows) > limit
    return RecommendationPage(
        items=[RecommendationPublic.of(row) for row in page],
        next_cursor=store.encode_cursor(page[-1]) if more else None,
    )


@router.get(
    "/{recommendation_id}", tags=["roadmaps"], response_model=RecommendationPublic, summary="Read a recommendation"
)
async def read_recommendation(recommendation_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> RecommendationPublic:
    async with db.reading() as session:
        return RecommendationPublic.of(await store.recommendation(session, recommendation_id))


@router.post(
    "/{recommendation_id}/submit",
    tags=["drafting"],
    response_model=RecommendationPublic,
    summary="Submit to the working group, or resubmit the current version after changes were requested",
)
async def submit_recommendation(recommendation_id: UUID, actor: CurrentActor, db: DatabaseDep) -> RecommendationPublic:
    async with db.transaction() as session:
        row = await store.recommendation(session, recommendation_id, for_update=True)
        submitted = domain.submit(
            actor, association=row.association, recommendation_id=row.id, status=row.status, version=row.version
        )
        event = new_event(submitted, subject=str(row.id), actor=actor, source=domain.SERVICE)
        await store.move_ahead(session, row, RecommendationStatus.SUBMITTED, event)
    return RecommendationPublic.of(row)


@router.post(
    "/{recommendation_id}/withdraw",
    tags=["drafting"],
    response_model=RecommendationPublic,
    summary="Withdraw, with the reason (only before endorsement)",
)
async def withdraw_recommendation(
    recommendation_id: UUID, body: WithdrawCommand, actor: CurrentActor, db: DatabaseDep
) -> RecommendationPublic:
    async with db.transaction() as session:
        row = await store.recommendation(session, recommendation_id, for_update=True)
        withdrawn = domain.withdraw(
            actor, association=row.association, recommendation_id=row.id, status=row.status, reason=body.reason
        )
        event = new_event(withdrawn, subject=str(row.id), actor=actor, source=domain.SERVICE)
        await store.move_ahead(session, row, RecommendationStatus.WITHDRAWN, event)
    return RecommendationPublic.of(row)
