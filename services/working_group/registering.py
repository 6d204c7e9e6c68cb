"""Registering an action's participants inside the caller's transaction: the one path of the API's command and of
the attendance-sheet import."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.working_group import store
from services.working_group.domain import actions as action_rules
from services.working_group.models import Participant
from services.working_group.schemas.participants import ParticipantCreate


async def register(session: AsyncSession, action_id: UUID, people: Sequence[ParticipantCreate]) -> list[Participant]:
    """The participants of an action that is not reported yet (its figures are then final)."""
    action = await store.action(session, action_id)
    action_rules.require_not_reported(action.status)
    participants = [Participant.model_validate(body, update={"action_id": action_id}) for body in people]
    session.add_all(participants)
    return participants
