"""Reads the working group's commands share: who may decide, where a recommendation stands, which meeting."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from services.working_group.action_models import Action, Participant
from services.working_group.domain import Standing
from services.working_group.models import Meeting, Member, QueuedRecommendation
from sori.errors import CommandRefused, RefusalKind


async def may_decide(session: AsyncSession, sub: str) -> bool | None:
    """Whether the registered member may decide; None when the person is not a registered member."""
    member = (await session.execute(select(Member).where(Member.sub == sub))).scalar_one_or_none()
    return None if member is None else member.may_decide


async def standing(session: AsyncSession, recommendation_id: UUID) -> Standing | None:
    queued = await session.get(QueuedRecommendation, recommendation_id)
    if queued is None:
        return None
    return Standing(recommendation_id=queued.recommendation_id, status=queued.status, version=queued.version)


async def told_of(session: AsyncSession, recommendation_ids: Sequence[UUID]) -> set[UUID]:
    """Of these recommendations, those the lifecycle topic has told the working group of."""
    wanted = col(QueuedRecommendation.recommendation_id)
    return set((await session.execute(select(wanted).where(wanted.in_(recommendation_ids)))).scalars())


async def meeting(session: AsyncSession, meeting_id: UUID) -> Meeting:
    found = await session.get(Meeting, meeting_id)
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no meeting {meeting_id}")
    return found


async def referenced_meeting(session: AsyncSession, meeting_id: UUID | None) -> UUID | None:
    """A meeting a command names in its body must exist; naming none is fine."""
    if meeting_id is not None and await session.get(Meeting, meeting_id) is None:
        raise CommandRefused(RefusalKind.INVALID, f"no meeting {meeting_id}")
    return meeting_id


async def action(session: AsyncSession, action_id: UUID) -> Action:
    found = await session.get(Action, action_id)
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no action {action_id}")
    return found


async def participants_of(session: AsyncSession, action_id: UUID) -> list[Participant]:
    statement = select(Participant).where(Participant.action_id == action_id).order_by(col(Participant.created_at))
    return list((await session.execute(statement)).scalars())
