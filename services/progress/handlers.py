"""What progress reacts to: recommendations' facts from roadmaps and the lifecycle, and every other projection's.

Each handler gives the same end state whatever order the topics interleave in: plain facts are set once, the
latest moment is kept, and a field guarded by a time only moves for a newer fact (`is_newer`).
"""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.lifecycle import RecommendationStatus, ReviewOverdue, StatusChanged
from contracts.roadmaps import (
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
)
from contracts.topics import LIFECYCLE, ROADMAPS, SOCIAL_APPROACHES, WORKING_GROUP
from services.progress.activity_handlers import HANDLERS as ACTIVITY_HANDLERS
from services.progress.domain import STATUS_NOT_YET_KNOWN, is_newer, latest
from services.progress.milestone_handlers import HANDLERS as MILESTONE_HANDLERS
from services.progress.milestone_handlers import plan_milestones
from services.progress.models import RecommendationProgress, StatusChange
from services.progress.reference import economy_of
from sori.service import Consumer, EventHandler

# Which moment column each status stamps (the latest time it was entered).
_STAMPED = {
    RecommendationStatus.SUBMITTED: "submitted_at",
    RecommendationStatus.ENDORSED: "decided_at",
    RecommendationStatus.REJECTED: "decided_at",
    RecommendationStatus.CHANGES_REQUESTED: "decided_at",
    RecommendationStatus.IMPLEMENTED: "implemented_at",
    RecommendationStatus.VERIFIED: "verified_at",
}


async def recommendation(session: AsyncSession, recommendation_id: UUID, event: Envelope) -> RecommendationProgress:
    """The recommendation's row, made on the first fact heard of it (its status is then not yet known)."""
    row = await session.get(RecommendationProgress, recommendation_id)
    if row is None:
        row = RecommendationProgress(
            recommendation_id=recommendation_id,
            status=RecommendationStatus.DRAFTED,
            updated_at=STATUS_NOT_YET_KNOWN,
            last_event_id=event.id,
        )
        session.add(row)
    return row


def _note_association(row: RecommendationProgress, association: str | None) -> None:
    if association and row.association is None:
        row.association = association
        row.economy = economy_of(association)


def _note_version(row: RecommendationProgress, version: int | None) -> None:
    if version is not None:
        row.version = max(row.version or 0, version)


async def on_status_changed(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, StatusChanged)
    row = await recommendation(session, data.recommendation_id, event)
    if is_newer(row.updated_at, event.time):
        row.status, row.updated_at, row.last_event_id = data.to_status, event.time, event.id
    if stamp := _STAMPED.get(data.to_status):
        setattr(row, stamp, latest(getattr(row, stamp), event.time))
    _note_association(row, data.association)
    _note_version(row, data.version)
    session.add(
        StatusChange(
            event_id=event.id,
            recommendation_id=data.recommendation_id,
            at=event.time,
            from_status=data.from_status,
            to_status=data.to_status,
            cause_event_type=data.cause_event_type,
            actor_org=event.actor.org,
            actor_role=event.actor.role.value,
        )
    )


async def on_drafted(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, RecommendationDrafted)
    row = await recommendation(session, data.recommendation_id, event)
    row.code, row.roadmap_id, row.programme = data.code, data.roadmap_id, data.programme
    row.title, row.language = data.title, data.language.value
    _note_association(row, data.association)
    _note_version(row, data.version)


async def on_new_version(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, RecommendationRevised | RecommendationSubmitted)
    row = await recommendation(session, data.recommendation_id, event)
    _note_association(row, data.association)
    _note_version(row, data.version)


async def on_assigned(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, RecommendationAssigned)
    row = await recommendation(session, data.recommendation_id, event)
    _note_association(row, data.association)
    if is_newer(row.assigned_at, event.time):
        row.local_governments, row.assigned_at = sorted(set(data.local_governments)), event.time
    await plan_milestones(session, event, data.recommendation_id, data.association, data.milestones)


async def on_review_overdue(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, ReviewOverdue)
    row = await recommendation(session, data.recommendation_id, event)
    _note_association(row, data.association)
    row.review_overdue_at = latest(row.review_overdue_at, event.time)


HANDLERS: dict[str, EventHandler] = {
    StatusChanged.TYPE: on_status_changed,
    ReviewOverdue.TYPE: on_review_overdue,
    RecommendationDrafted.TYPE: on_drafted,
    RecommendationRevised.TYPE: on_new_version,
    RecommendationSubmitted.TYPE: on_new_version,
    RecommendationAssigned.TYPE: on_assigned,
    **MILESTONE_HANDLERS,
    **ACTIVITY_HANDLERS,
}
TOPICS = (ROADMAPS, WORKING_GROUP, SOCIAL_APPROACHES, LIFECYCLE)
CONSUMER = Consumer(group="progress", topics=TOPICS, handlers=HANDLERS)
