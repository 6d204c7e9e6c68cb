"""Reading and writing the working group's rows inside the caller's transaction; a missing row is a 404 with its id."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from contracts.working_group import ActionKind
from services.working_group.domain.reviews import IN_REVIEW_QUEUE, Standing, unknown_recommendation
from services.working_group.models import (
    Action,
    ActionStatus,
    DecisionRecord,
    Meeting,
    Member,
    Participant,
    QueuedRecommendation,
    ReviewComment,
    TrainingSession,
)
from sori.errors import CommandRefused, RefusalKind


async def may_decide(session: AsyncSession, sub: str) -> bool | None:
    """Whether the registered member may decide; None when the person is not a registered member."""
    member = (await session.execute(select(Member).where(Member.sub == sub))).scalar_one_or_none()
    return None if member is None else member.may_decide


async def members(session: AsyncSession) -> list[Member]:
    return list((await session.execute(select(Member).order_by(col(Member.created_at)))).scalars())


async def member_subs(session: AsyncSession) -> Sequence[str]:
    return (await session.execute(select(Member.sub))).scalars().all()


async def standing(session: AsyncSession, recommendation_id: UUID) -> Standing | None:
    queued = await session.get(QueuedRecommendation, recommendation_id)
    if queued is None:
        return None
    return Standing(recommendation_id=queued.recommendation_id, status=queued.status, version=queued.version)


async def queued(session: AsyncSession, recommendation_id: UUID) -> QueuedRecommendation:
    found = await session.get(QueuedRecommendation, recommendation_id)
    if found is None:
        raise unknown_recommendation(recommendation_id)
    return found


async def review_queue(session: AsyncSession) -> list[QueuedRecommendation]:
    """The recommendations waiting for the working group, in no particular order."""
    waiting = select(QueuedRecommendation).where(col(QueuedRecommendation.status).in_(IN_REVIEW_QUEUE))
    return list((await session.execute(waiting)).scalars())


async def told_of(session: AsyncSession, recommendation_ids: Sequence[UUID]) -> set[UUID]:
    """Of these recommendations, those the lifecycle topic has told the working group of."""
    wanted = col(QueuedRecommendation.recommendation_id)
    return set((await session.execute(select(wanted).where(wanted.in_(recommendation_ids)))).scalars())


async def comments(session: AsyncSession, recommendation_id: UUID, version: int | None) -> list[ReviewComment]:
    """Review comments on a recommendation by version, then as written (one version's only, if given)."""
    statement = select(ReviewComment).where(ReviewComment.recommendation_id == recommendation_id)
    if version is not None:
        statement = statement.where(ReviewComment.version == version)
    order = (col(ReviewComment.version), col(ReviewComment.created_at))
    return list((await session.execute(statement.order_by(*order))).scalars())


async def meeting(session: AsyncSession, meeting_id: UUID) -> Meeting:
    found = await session.get(Meeting, meeting_id)
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no meeting {meeting_id}")
    return found


async def meetings(session: AsyncSession) -> list[Meeting]:
    """Every meeting, the latest first."""
    return list((await session.execute(select(Meeting).order_by(col(Meeting.date).desc()))).scalars())


async def referenced_meeting(session: AsyncSession, meeting_id: UUID | None) -> UUID | None:
    """A meeting a command names in its body must exist; naming none is fine."""
    if meeting_id is not None and await session.get(Meeting, meeting_id) is None:
        raise CommandRefused(RefusalKind.INVALID, f"no meeting {meeting_id}")
    return meeting_id


async def decisions(session: AsyncSession, meeting_id: UUID | None = None) -> list[DecisionRecord]:
    """The decisions taken (in one meeting, if given), the earliest first."""
    statement = select(DecisionRecord)
    if meeting_id is not None:
        statement = statement.where(DecisionRecord.meeting_id == meeting_id)
    return list((await session.execute(statement.order_by(col(DecisionRecord.decided_at)))).scalars())


async def action(session: AsyncSession, action_id: UUID) -> Action:
    found = await session.get(Action, action_id)
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no action {action_id}")
    return found


async def actions(session: AsyncSession, kind: ActionKind | None, status: ActionStatus | None) -> list[Action]:
    """The actions (of one kind, in one status, if given), the earliest first."""
    statement = select(Action).order_by(col(Action.starts_on), col(Action.created_at))
    if kind is not None:
        statement = statement.where(Action.kind == kind)
    if status is not None:
        statement = statement.where(Action.status == status)
    return list((await session.execute(statement)).scalars())


async def sessions(session: AsyncSession, action_id: UUID | None = None) -> list[TrainingSession]:
    """The training sessions (of one action, if given), the earliest first."""
    statement = select(TrainingSession)
    if action_id is not None:
        statement = statement.where(TrainingSession.action_id == action_id)
    return list((await session.execute(statement.order_by(col(TrainingSession.date)))).scalars())


async def participants_of(session: AsyncSession, action_id: UUID) -> list[Participant]:
    statement = select(Participant).where(Participant.action_id == action_id).order_by(col(Participant.created_at))
    return list((await session.execute(statement)).scalars())


async def participants(session: AsyncSession, kind: ActionKind | None) -> list[Participant]:
    """Participants of every action (of one kind, if given), in the order registered."""
    statement = select(Participant).order_by(col(Participant.created_at))
    if kind is not None:
        statement = statement.join(Action).where(Action.kind == kind)
    return list((await session.execute(statement)).scalars())
