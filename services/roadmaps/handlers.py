"""What roadmaps reacts to: the lifecycle tells it where each recommendation stands.

This service moves a recommendation's status ahead on its own commands (submit, withdraw, assign). Until the
lifecycle answers that command, older lifecycle news would move the status back, so it waits for the answer."""

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.lifecycle import RecommendationStatus, StatusChanged, TransitionRejected
from contracts.topics import topics_of
from services.roadmaps.store import RECOMMENDATIONS
from sori.service import Consumer, by_payload, on


async def on_status_changed(session: AsyncSession, event: Envelope[StatusChanged]) -> None:
    await _settle(session, event.data.recommendation_id, event.data.to_status, answers=event.data.cause_event_id)


async def on_transition_rejected(session: AsyncSession, event: Envelope[TransitionRejected]) -> None:
    """The lifecycle refused an event: the recommendation stands where the lifecycle says."""
    await _settle(session, event.data.recommendation_id, event.data.status, answers=event.data.rejected_event_id)


async def _settle(
    session: AsyncSession, recommendation_id: UUID, status: RecommendationStatus | None, *, answers: UUID
) -> None:
    # One UPDATE, no read first: the lifecycle answers every command, so this runs about once per draft.
    settled = (
        update(RECOMMENDATIONS)
        .where(
            RECOMMENDATIONS.c.id == recommendation_id,
            or_(RECOMMENDATIONS.c.awaiting_event_id.is_(None), RECOMMENDATIONS.c.awaiting_event_id == answers),
        )
        .values(awaiting_event_id=None, updated_at=datetime.now(UTC))
    )
    if status is not None:
        settled = settled.values(status=status)
    await session.execute(settled)


HANDLERS = by_payload(on(StatusChanged, on_status_changed), on(TransitionRejected, on_transition_rejected))
CONSUMER = Consumer(group="roadmaps", topics=topics_of(HANDLERS), handlers=HANDLERS)
