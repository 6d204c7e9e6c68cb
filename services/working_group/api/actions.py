"""The programme's actions, under /working-group/v1/actions: plan, hold and report them; sessions and enrolment."""

from uuid import UUID

from fastapi import APIRouter, status
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Actor, EventPayload, new_event
from contracts.working_group import ActionHeld, ActionKind, ActionPlanned, ActionReported
from services.working_group import domain, store
from services.working_group.domain import actions as action_rules
from services.working_group.models import Action, ActionStatus, TrainingSession
from services.working_group.schemas.actions import (
    ActionCreate,
    ActionPublic,
    EnrolmentUpdate,
    TrainingSessionCreate,
    TrainingSessionPublic,
)
from sori.deps import CurrentActor, DatabaseDep
from sori.idempotency import IdempotentRoute
from sori.outbox import add_event

router = APIRouter(tags=["actions"], route_class=IdempotentRoute)


@router.post(
    "/actions",
    status_code=status.HTTP_201_CREATED,
    response_model=ActionPublic,
    summary="Plan an action of the programme (emits ActionPlanned)",
)
async def plan_action(body: ActionCreate, actor: CurrentActor, db: DatabaseDep) -> ActionPublic:
    domain.require_working_group(actor)
    action_rules.check_plan(
        body.kind,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        place=body.place,
        online=body.online,
        enrolments=body.enrolments,
        completions=body.completions,
    )
    recommendations = list(dict.fromkeys(body.recommendations))
    action = Action.model_validate(body, update={"recommendations": [str(r) for r in recommendations]})
    planned = ActionPlanned(
        action_id=action.id,
        kind=body.kind,
        title=body.title,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        online=body.online,
        language=body.language,
        topics=body.topics,
        recommendations=recommendations,
    )
    async with db.transaction() as session:
        session.add(action)
        await _emit(session, action, planned, actor)
    return _public(action, [])


@router.get("/actions", response_model=list[ActionPublic], summary="List actions, the earliest first")
async def list_actions(
    _actor: CurrentActor, db: DatabaseDep, kind: ActionKind | None = None, status: ActionStatus | None = None
) -> list[ActionPublic]:
    async with db.reading() as session:
        actions = await store.actions(session, kind, status)
        sessions = await store.sessions(session)
    return [_public(a, [s for s in sessions if s.action_id == a.id]) for a in actions]


@router.get("/actions/{action_id}", response_model=ActionPublic, summary="An action with its sessions")
async def read_action(action_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> ActionPublic:
    async with db.reading() as session:
        action = await store.action(session, action_id)
        return _public(action, await store.sessions(session, action_id))


@router.post(
    "/actions/{action_id}/held",
    response_model=ActionPublic,
    summary="Mark a planned action held (emits ActionHeld with participant counts only)",
)
async def mark_held(action_id: UUID, actor: CurrentActor, db: DatabaseDep) -> ActionPublic:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        action = await store.action(session, action_id)
        action.status = ActionStatus(action_rules.advance(action.status, action_rules.HELD))
        sessions = await store.sessions(session, action_id)
        counts = action_rules.count(await store.participants_of(session, action_id))
        held = ActionHeld(action_id=action.id, kind=action.kind, sessions=len(sessions), counts=counts)
        await _emit(session, action, held, actor)
    return _public(action, sessions)


@router.post(
    "/actions/{action_id}/reported",
    response_model=ActionPublic,
    summary="Mark a held action reported (emits ActionReported with participant counts only)",
)
async def mark_reported(action_id: UUID, actor: CurrentActor, db: DatabaseDep) -> ActionPublic:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        action = await store.action(session, action_id)
        action.status = ActionStatus(action_rules.advance(action.status, action_rules.REPORTED))
        sessions = await store.sessions(session, action_id)
        reported = ActionReported(
            action_id=action.id,
            kind=action.kind,
            sessions=len(sessions),
            counts=action_rules.count(await store.participants_of(session, action_id)),
            enrolments=action.enrolments,
            completions=action.completions,
        )
        await _emit(session, action, reported, actor)
    return _public(action, sessions)


@router.post(
    "/actions/{action_id}/sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=TrainingSessionPublic,
    summary="Add a session to a training cycle",
)
async def add_session(
    action_id: UUID, body: TrainingSessionCreate, actor: CurrentActor, db: DatabaseDep
) -> TrainingSession:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        action = await store.action(session, action_id)
        action_rules.require_training_cycle(action.kind, action.status)
        training_session = TrainingSession.model_validate(body, update={"action_id": action_id})
        session.add(training_session)
    return training_session


@router.put(
    "/actions/{action_id}/enrolment",
    response_model=ActionPublic,
    summary="Update an e-learning course's enrolment and completion counts",
)
async def update_enrolment(
    action_id: UUID, body: EnrolmentUpdate, actor: CurrentActor, db: DatabaseDep
) -> ActionPublic:
    domain.require_working_group(actor)
    action_rules.check_enrolment(body.enrolments, body.completions)
    async with db.transaction() as session:
        action = await store.action(session, action_id)
        action_rules.require_e_learning_course(action.kind, action.status)
        action.enrolments, action.completions = body.enrolments, body.completions
        session.add(action)
    return _public(action, [])


async def _emit(session: AsyncSession, action: Action, payload: EventPayload, actor: Actor) -> None:
    session.add(action)
    await add_event(session, new_event(payload, subject=str(action.id), actor=actor, source=domain.SERVICE))


def _public(action: Action, sessions: list[TrainingSession]) -> ActionPublic:
    return ActionPublic.model_validate(
        action, update={"sessions": [TrainingSessionPublic.model_validate(s) for s in sessions]}
    )
