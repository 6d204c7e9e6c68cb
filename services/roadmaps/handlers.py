"""What roadmaps reacts to: the lifecycle tells it where each recommendation stands."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.lifecycle import StatusChanged
from contracts.topics import LIFECYCLE
from services.roadmaps.models import Recommendation
from sori.service import Consumer, EventHandler


async def on_status_changed(session: AsyncSession, event: Envelope) -> None:
    assert isinstance(event.data, StatusChanged)
    recommendation = await session.get(Recommendation, event.data.recommendation_id)
    if recommendation is not None:
        recommendation.status = event.data.to_status
        recommendation.updated_at = datetime.now(UTC)


HANDLERS: dict[str, EventHandler] = {StatusChanged.TYPE: on_status_changed}
CONSUMER = Consumer(group="roadmaps", topics=(LIFECYCLE,), handlers=HANDLERS)
