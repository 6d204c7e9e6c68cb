"""What the working group reacts to: the lifecycle topic fills its review queue, so it never asks another service."""

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.lifecycle import RecommendationStatus, ReviewOverdue, StatusChanged, TransitionRejected
from contracts.topics import topics_of
from services.working_group.domain.reviews import corrects_our_expectation
from services.working_group.models import QueuedRecommendation
from sori.moments import is_newer
from sori.service import Consumer, by_payload, on


async def on_status_changed(session: AsyncSession, event: Envelope[StatusChanged]) -> None:
    fact = event.data
    queued = await session.get(QueuedRecommendation, fact.recommendation_id)
    if queued is None:
        queued = QueuedRecommendation(
            recommendation_id=fact.recommendation_id, status=fact.to_status, updated_at=event.time
        )
    elif not is_newer(queued.updated_at, event.time):
        return
    queued.status = fact.to_status
    queued.updated_at = event.time
    queued.association = fact.association or queued.association
    queued.version = fact.version or queued.version
    if fact.to_status is RecommendationStatus.SUBMITTED:
        # When the association submitted, not when the lifecycle got to it (later by any outage in between).
        queued.submitted_at = fact.cause_time or event.time
        queued.overdue = False
    session.add(queued)


async def on_review_overdue(session: AsyncSession, event: Envelope[ReviewOverdue]) -> None:
    fact = event.data
    queued = await session.get(QueuedRecommendation, fact.recommendation_id)
    if queued is None:
        queued = QueuedRecommendation(
            recommendation_id=fact.recommendation_id,
            status=RecommendationStatus.SUBMITTED,
            association=fact.association,
            updated_at=fact.submitted_at,
        )
    # A resubmission (StatusChanged to submitted) clears the mark again.
    queued.overdue = True
    queued.submitted_at = queued.submitted_at or fact.submitted_at
    session.add(queued)


async def on_transition_rejected(session: AsyncSession, event: Envelope[TransitionRejected]) -> None:
    """The lifecycle refused one of our commands: the queue forgets the status it expected and shows the real one."""
    fact = event.data
    queued = await session.get(QueuedRecommendation, fact.recommendation_id)
    if queued is None or fact.status is None or not corrects_our_expectation(fact.rejected_event_type):
        return
    if is_newer(queued.updated_at, event.time):
        queued.status = fact.status
        queued.updated_at = event.time
        session.add(queued)


HANDLERS = by_payload(
    on(StatusChanged, on_status_changed),
    on(ReviewOverdue, on_review_overdue),
    on(TransitionRejected, on_transition_rejected),
)
CONSUMER = Consumer(group="working_group", topics=topics_of(HANDLERS), handlers=HANDLERS)
