"""Social approaches: what a local government does for the groups its mapping found, planned → implemented."""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Actor, new_event
from contracts.social_approaches import ApproachStatus, ApproachStatusChanged, GroupCount
from services.social_approaches import domain, store
from services.social_approaches.domain import ApproachType
from services.social_approaches.models import Approach, Mapping
from services.social_approaches.schemas.approaches import (
    WITHHELD_APPROACH,
    ApproachCreate,
    ApproachPublic,
    ApproachStatusChange,
    ApproachSummary,
)
from sori.deps import CurrentActor, DatabaseDep
from sori.idempotency import IdempotentRoute
from sori.outbox import add_event

router = APIRouter(tags=["social approaches"], route_class=IdempotentRoute)


@router.post(
    "/approaches",
    status_code=status.HTTP_201_CREATED,
    response_model=ApproachPublic,
    summary="Plan a social approach of your local government (emits approach.status_changed)",
)
async def create_approach(body: ApproachCreate, actor: CurrentActor, db: DatabaseDep) -> Approach:
    local_government = domain.require_local_government(actor)
    domain.check_group_counts(body.beneficiaries_planned, "beneficiaries_planned")
    async with db.transaction() as session:
        if body.mapping_id is not None:
            mapping = await store.get_or_404(session, Mapping, body.mapping_id, "mapping")
            domain.require_mapping_of(local_government, mapping.local_government)
        approach = Approach(
            local_government=local_government,
            association=await store.association_of_writer(session, local_government),
            mapping_id=body.mapping_id,
            recommendation_ids=[str(r) for r in body.recommendation_ids],
            approach_type=body.approach_type,
            title=body.title,
            description=body.description,
            women_and_girls=body.women_and_girls,
            beneficiaries_planned=_stored(body.beneficiaries_planned),
        )
        session.add(approach)
        await _record(session, approach, None, actor)
    return approach


@router.get("/approaches", response_model=list[ApproachPublic], summary="Social approaches you may read")
async def list_approaches(
    actor: CurrentActor,
    db: DatabaseDep,
    local_government: str | None = None,
    approach_status: Annotated[ApproachStatus | None, Query(alias="status")] = None,
    approach_type: ApproachType | None = None,
    women_and_girls: bool | None = None,
) -> list[ApproachPublic]:
    async with db.reading() as session:
        approaches = await store.approaches(session, local_government, approach_status, approach_type, women_and_girls)
    return [_shown(approach, actor) for approach in approaches]


@router.get(
    "/approaches/summary",
    response_model=ApproachSummary,
    summary="Counts of every approach (their figures are public), incl. how many carry the women-and-girls marker",
)
async def summarize_approaches(
    _actor: CurrentActor, db: DatabaseDep, local_government: str | None = None
) -> ApproachSummary:
    async with db.reading() as session:
        approaches = await store.approaches(session, local_government)
    return ApproachSummary(
        total=len(approaches),
        women_and_girls=sum(a.women_and_girls for a in approaches),
        by_status=dict(Counter(a.status.value for a in approaches)),
        by_type=dict(Counter(a.approach_type.value for a in approaches)),
        by_local_government=dict(Counter(a.local_government for a in approaches)),
        beneficiaries_planned=sum(_total(a.beneficiaries_planned) for a in approaches),
        beneficiaries_reached=sum(_total(a.beneficiaries_reached) for a in approaches),
    )


@router.get("/approaches/{approach_id}", response_model=ApproachPublic, summary="One social approach")
async def read_approach(approach_id: UUID, actor: CurrentActor, db: DatabaseDep) -> ApproachPublic:
    async with db.reading() as session:
        approach = await store.get_or_404(session, Approach, approach_id, "approach")
    return _shown(approach, actor)


@router.post(
    "/approaches/{approach_id}/status",
    response_model=ApproachPublic,
    summary="Move an approach on (planned → in_progress → implemented), with beneficiaries reached so far",
)
async def change_approach_status(
    approach_id: UUID, body: ApproachStatusChange, actor: CurrentActor, db: DatabaseDep
) -> Approach:
    async with db.transaction() as session:
        approach = await store.get_or_404(session, Approach, approach_id, "approach")
        domain.require_local_government(actor, approach.local_government)
        before = approach.status
        approach.status = domain.next_approach_status(before, body.status)
        if body.beneficiaries_reached is not None:
            domain.check_group_counts(body.beneficiaries_reached, "beneficiaries_reached")
            approach.beneficiaries_reached = _stored(body.beneficiaries_reached)
        approach.updated_at = datetime.now(UTC)
        session.add(approach)
        await _record(session, approach, before, actor)
    return approach


def _shown(approach: Approach, actor: Actor) -> ApproachPublic:
    """The whole approach to a reader whose scope covers it; to others, only its public fields."""
    totals = {
        "beneficiaries_planned_total": _total(approach.beneficiaries_planned),
        "beneficiaries_reached_total": _total(approach.beneficiaries_reached),
    }
    shown = ApproachPublic.model_validate(approach).model_copy(update=totals)
    if domain.may_read(actor, approach.local_government, approach.association):
        return shown
    return shown.model_copy(update=WITHHELD_APPROACH)


async def _record(session: AsyncSession, approach: Approach, before: ApproachStatus | None, actor: Actor) -> None:
    changed = ApproachStatusChanged(
        approach_id=approach.id,
        local_government=approach.local_government,
        association=approach.association,
        approach_type=approach.approach_type.value,
        women_and_girls=approach.women_and_girls,
        from_status=before,
        to_status=approach.status,
        mapping_id=approach.mapping_id,
        recommendation_ids=[UUID(r) for r in approach.recommendation_ids],
        beneficiaries_planned=_total(approach.beneficiaries_planned),
        beneficiaries_reached=_total(approach.beneficiaries_reached),
    )
    await add_event(session, new_event(changed, subject=str(approach.id), actor=actor, source=domain.SERVICE))


def _stored(groups: Sequence[GroupCount]) -> list[dict[str, Any]]:
    return [g.model_dump(mode="json") for g in groups]


def _total(groups: list[dict[str, Any]]) -> int:
    return sum(int(g["total"]) for g in groups)
