"""NALAS decides what the public side shows, item by item, under /working-group/v1/publication: each decision is an
event (PublicationDecided) that progress' public selection applies; the reason never leaves the signed-in side."""

from uuid import UUID

from fastapi import APIRouter, status

from contracts.envelope import new_event
from contracts.working_group import PublicationDecided, PublicItem
from services.working_group import domain
from services.working_group.domain.publication import check_decision
from services.working_group.schemas.publication import PublicationDecision
from sori.deps import CurrentActor, DatabaseDep
from sori.outbox import add_event

router = APIRouter(tags=["publication"])


@router.put(
    "/publication/{item_kind}/{item_id}",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PublicationDecision,
    summary="Hold an item back from the public side, publish a withdrawn or rejected recommendation, or undo either "
    "(emits PublicationDecided)",
)
async def decide_publication(
    item_kind: PublicItem, item_id: UUID, body: PublicationDecision, actor: CurrentActor, db: DatabaseDep
) -> PublicationDecision:
    domain.require_working_group(actor)
    check_decision(item_kind, body.visibility, body.reason)
    decided = PublicationDecided(item_kind=item_kind, item_id=item_id, visibility=body.visibility, reason=body.reason)
    async with db.transaction() as session:
        await add_event(session, new_event(decided, subject=str(item_id), actor=actor, source=domain.SERVICE))
    return body
