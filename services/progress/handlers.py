"""What progress reacts to: every lifecycle status change updates the recommendation's projection."""

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.lifecycle import StatusChanged
from contracts.topics import LIFECYCLE
from services.progress.domain import is_newer
from services.progress.models import RecommendationProgress
from sori.service import Consumer, EventHandler


async def on_status_changed(session: AsyncSession, event: Envelope) -> None:
    assert isinstance(event.data, StatusChanged)
    progress = await session.get(RecommendationProgress, event.data.recommendation_id)
    if progress is None:
        progress = RecommendationProgress(
            recommendation_id=event.data.recommendation_id,
            status=event.data.to_status,
            updated_at=event.time,
            last_event_id=event.id,
        )
    elif is_newer(progress.updated_at, event.time):
        progress.status = event.data.to_status
        progress.updated_at = event.time
        progress.last_event_id = event.id
    session.add(progress)


HANDLERS: dict[str, EventHandler] = {StatusChanged.TYPE: on_status_changed}
CONSUMER = Consumer(group="progress", topics=(LIFECYCLE,), handlers=HANDLERS)
