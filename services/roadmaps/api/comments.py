"""Comments over HTTP: the owning association and NALAS discuss a recommendation's versions."""

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, status
from sqlmodel import col, select

from contracts.envelope import new_event
from services.roadmaps import domain, store
from services.roadmaps.api import examples as ex
from services.roadmaps.api.versions import VersionNumber
from services.roadmaps.models import VersionComment
from services.roadmaps.schemas import CommentCreate, CommentPublic
from sori.deps import CurrentActor, DatabaseDep
from sori.idempotency import IdempotentRoute
from sori.outbox import add_event

router = APIRouter(
    prefix="/roadmaps/v1/recommendations/{recommendation_id}", tags=["drafting"], route_class=IdempotentRoute
)


@router.post(
    "/versions/{number}/comments",
    status_code=status.HTTP_201_CREATED,
    response_model=CommentPublic,
    responses=ex.responds(ex.COMMENT, 201),
    summary="Comment on a version (the owning association or NALAS)",
)
async def add_comment(
    recommendation_id: UUID,
    number: VersionNumber,
    body: Annotated[CommentCreate, ex.example_body(ex.COMMENT_CREATE)],
    actor: CurrentActor,
    db: DatabaseDep,
) -> VersionComment:
    async with db.transaction() as session:
        row = await store.recommendation(session, recommendation_id)
        domain.require_commenter(actor, row.association)
        await store.version(session, recommendation_id, number)
        comment_id = uuid4()
        added = domain.comment(
            actor, association=row.association, recommendation_id=row.id, version=number, comment_id=comment_id
        )
        comment = VersionComment(
            id=comment_id,
            recommendation_id=row.id,
            version=number,
            body=body.body,
            author=actor.sub,
            author_org=actor.org,
            author_role=actor.role,
        )
        session.add(comment)
        await add_event(session, new_event(added, subject=str(row.id), actor=actor, source=domain.SERVICE))
    return comment


@router.get(
    "/versions/{number}/comments",
    response_model=list[CommentPublic],
    responses=ex.responds([ex.COMMENT]),
    summary="The comments on a version",
)
async def list_comments(
    recommendation_id: UUID, number: VersionNumber, _actor: CurrentActor, db: DatabaseDep
) -> list[VersionComment]:
    async with db.reading() as session:
        await store.version(session, recommendation_id, number)
        rows = await session.scalars(
            select(VersionComment)
            .where(VersionComment.recommendation_id == recommendation_id, VersionComment.version == number)
            .order_by(col(VersionComment.created_at), col(VersionComment.id))
        )
        return list(rows)
