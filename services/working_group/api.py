"""Working-group membership and meetings, under /working-group/v1: only nalas manages, everyone signed in reads."""

from uuid import UUID

from fastapi import APIRouter, status
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from services.working_group import domain, queries
from services.working_group.models import (
    AttendanceUpdate,
    DecisionPublic,
    DecisionRecord,
    Meeting,
    MeetingCreate,
    MeetingPublic,
    Member,
    MemberCreate,
    MemberPublic,
    MinutesUpdate,
)
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind

router = APIRouter(prefix="/working-group/v1", tags=["working-group"])


@router.post(
    "/members",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberPublic,
    summary="Register a member of the working group",
)
async def register_member(body: MemberCreate, actor: CurrentActor, db: DatabaseDep) -> Member:
    domain.require_working_group(actor)
    member = Member.model_validate(body)
    async with db.transaction() as session:
        if await queries.may_decide(session, body.sub) is not None:
            raise CommandRefused(RefusalKind.CONFLICT, f"{body.sub} is already a registered member")
        session.add(member)
    return member


@router.get("/members", response_model=list[MemberPublic], summary="List the working group's members")
async def list_members(_actor: CurrentActor, db: DatabaseDep) -> list[Member]:
    async with db.reading() as session:
        return list((await session.execute(select(Member).order_by(col(Member.created_at)))).scalars())


@router.post(
    "/meetings",
    status_code=status.HTTP_201_CREATED,
    response_model=MeetingPublic,
    summary="Plan a meeting with the recommendations on its agenda",
)
async def plan_meeting(body: MeetingCreate, actor: CurrentActor, db: DatabaseDep) -> MeetingPublic:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        agenda = domain.require_told_of(body.agenda, await queries.told_of(session, body.agenda))
        meeting = Meeting.model_validate(body, update={"agenda": [str(r) for r in agenda]})
        session.add(meeting)
    return _public(meeting, [])


@router.get("/meetings", response_model=list[MeetingPublic], summary="List meetings, the latest first")
async def list_meetings(_actor: CurrentActor, db: DatabaseDep) -> list[MeetingPublic]:
    async with db.reading() as session:
        meetings = (await session.execute(select(Meeting).order_by(col(Meeting.date).desc()))).scalars()
        decisions = list(
            (await session.execute(select(DecisionRecord).order_by(col(DecisionRecord.decided_at)))).scalars()
        )
    return [_public(m, [d for d in decisions if d.meeting_id == m.id]) for m in meetings]


@router.get("/meetings/{meeting_id}", response_model=MeetingPublic, summary="A meeting with the decisions taken in it")
async def read_meeting(meeting_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> MeetingPublic:
    async with db.reading() as session:
        meeting = await queries.meeting(session, meeting_id)
        return _public(meeting, await _decisions_in(session, meeting_id))


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
        meeting = await queries.meeting(session, meeting_id)
        members = (await session.execute(select(Member.sub))).scalars().all()
        meeting.attendance = domain.require_registered(body.present, members)
        session.add(meeting)
        decisions = await _decisions_in(session, meeting_id)
    return _public(meeting, decisions)


@router.put("/meetings/{meeting_id}/minutes", response_model=MeetingPublic, summary="Record a meeting's minutes")
async def record_minutes(meeting_id: UUID, body: MinutesUpdate, actor: CurrentActor, db: DatabaseDep) -> MeetingPublic:
    domain.require_working_group(actor)
    async with db.transaction() as session:
        meeting = await queries.meeting(session, meeting_id)
        meeting.minutes = body.text
        session.add(meeting)
        decisions = await _decisions_in(session, meeting_id)
    return _public(meeting, decisions)


async def _decisions_in(session: AsyncSession, meeting_id: UUID) -> list[DecisionRecord]:
    statement = select(DecisionRecord).where(DecisionRecord.meeting_id == meeting_id)
    return list((await session.execute(statement.order_by(col(DecisionRecord.decided_at)))).scalars())


def _public(meeting: Meeting, decisions: list[DecisionRecord]) -> MeetingPublic:
    return MeetingPublic.model_validate(
        meeting, update={"decisions": [DecisionPublic.model_validate(d) for d in decisions]}
    )
