"""Who took part in the programme's actions, under /working-group/v1: kept here, published only as counts."""

from uuid import UUID

from fastapi import APIRouter, status

from contracts.working_group import ActionKind, ParticipantCounts
from services.working_group import domain, registering, store
from services.working_group.domain import actions as action_rules
from services.working_group.models import Participant
from services.working_group.schemas.participants import COUNTS_RESPONSE, ParticipantCreate, ParticipantPublic
from sori.deps import CurrentActor, DatabaseDep
from sori.idempotency import IdempotentRoute

router = APIRouter(tags=["participants"], route_class=IdempotentRoute)


@router.post(
    "/actions/{action_id}/participants",
    status_code=status.HTTP_201_CREATED,
    response_model=ParticipantPublic,
    summary="Register a participant of an action (no name: organisation, role, sex, age band, scores)",
)
async def register_participant(
    action_id: UUID, body: ParticipantCreate, actor: CurrentActor, db: DatabaseDep
) -> Participant:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        [participant] = await registering.register(session, action_id, [body])
    return participant


@router.get(
    "/actions/{action_id}/participants",
    response_model=list[ParticipantPublic],
    summary="An action's participants: all to NALAS, to others those of their own organisation (the rest: aggregates)",
)
async def list_participants(action_id: UUID, actor: CurrentActor, db: DatabaseDep) -> list[Participant]:
    async with db.reading() as session:
        await store.action(session, action_id)
        participants = await store.participants_of(session, action_id)
    return [p for p in participants if domain.may_read_participant(actor, p.organisation_code)]


@router.get(
    "/actions/{action_id}/aggregates",
    response_model=ParticipantCounts,
    responses=COUNTS_RESPONSE,
    summary="An action's participants as counts: by sex, organisation type and age band, attendance, mean scores",
)
async def action_aggregates(action_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> ParticipantCounts:
    async with db.reading() as session:
        await store.action(session, action_id)
        return action_rules.count(await store.participants_of(session, action_id))


@router.get(
    "/participants/aggregates",
    response_model=ParticipantCounts,
    responses=COUNTS_RESPONSE,
    summary="Participants of every action (or of one kind) as counts",
)
async def programme_aggregates(
    _actor: CurrentActor, db: DatabaseDep, kind: ActionKind | None = None
) -> ParticipantCounts:
    async with db.reading() as session:
        return action_rules.count(await store.participants(session, kind))
