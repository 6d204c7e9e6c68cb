"""Working-group meetings, under /working-group/v1: only nalas plans and records them, everyone signed in reads."""

from uuid import UUID

from fastapi import APIRouter, status

from services.working_group import domain, store
from services.working_group.domain import reviews as review_rules
from services.working_group.models import DecisionRecord, Meeting
from services.working_group.schemas.meetings import (
    AttendanceUpdate,
    DecisionPublic,
    MeetingCreate,
    MeetingPublic,
    MinutesUpdate,
)
from sori.deps import CurrentActor, DatabaseDep
from sori.idempotency import IdempotentRoute

router = APIRouter(tags=["working-group"], route_class=IdempotentRoute)


@router.post(
    "/meetings",
    status_code=status.HTTP_201_CREATED,
    response_model=MeetingPublic,
    summary="Plan a meeting with the recommendations on its agenda",
)
async def plan_meeting(body: MeetingCreate, actor: CurrentActor, db: DatabaseDep) -> MeetingPublic:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        agenda = review_rules.require_told_of(body.agenda, await store.told_of(session, body.agenda))
        meeting = Meeting.model_validate(body, update={"agenda": [str(r) for r in agenda]})
        session.add(meeting)
    return _public(meeting, [])


@router.get("/meetings", response_model=list[MeetingPublic], summary="List meetings, the latest first")
async def list_meetings(_actor: CurrentActor, db: DatabaseDep) -> list[MeetingPublic]:
    async with db.reading() as session:
        meetings = await store.meetings(session)
        decisions = await store.decisions(session)
    return [_public(m, [d for d in decisions if d.meeting_id == m.id]) for m in meetings]


@router.get("/meetings/{meeting_id}", response_model=MeetingPublic, summary="A meeting with the decisions taken in it")
async def read_meeting(meeting_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> MeetingPublic:
    async with db.reading() as session:
        meeting = await store.meeting(session, meeting_id)
        return _public(meeting, await store.decisions(session, meeting_id))


@router.put(
    "/meetings/{meeting_id}/attendance",
    response_model=MeetingPublic,
    summary="Record which registered members attended",
)
async def record_attendance(
    meeting_id: UUID, body: AttendanceUpdate, actor: CurrentActor, db: DatabaseDep
) -> MeetingPublic:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        meeting = await store.meeting(session, meeting_id)
        meeting.attendance = review_rules.require_registered(body.present, await store.member_subs(session))
        session.add(meeting)
        decisions = await store.decisions(session, meeting_id)
    return _public(meeting, decisions)


@router.put("/meetings/{meeting_id}/minutes", response_model=MeetingPublic, summary="Record a meeting's minutes")
async def record_minutes(meeting_id: UUID, body: MinutesUpdate, actor: CurrentActor, db: DatabaseDep) -> MeetingPublic:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        meeting = await store.meeting(session, meeting_id)
        meeting.minutes = body.text
        session.add(meeting)
        decisions = await store.decisions(session, meeting_id)
    return _public(meeting, decisions)


def _public(meeting: Meeting, decisions: list[DecisionRecord]) -> MeetingPublic:
    return MeetingPublic.model_validate(
        meeting, update={"decisions": [DecisionPublic.model_validate(d) for d in decisions]}
    )
