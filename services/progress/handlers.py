"""What progress reacts to: recommendations' facts from roadmaps and the lifecycle, and every other projection's.

Each handler gives the same end state whatever order the topics interleave in: plain facts are set once, the
latest moment is kept, a field guarded by a time only moves for a newer fact (`is_newer`), and a status only for a
later move of the lifecycle (`moves_later`). Handlers change
plain rows (sori.rows), so that a whole poll, or a replay, is applied in memory and written back in bulk.
"""

from uuid import UUID

from contracts.envelope import Envelope
from contracts.lifecycle import RecommendationStatus, ReviewOverdue, StatusChanged
from contracts.roadmaps import (
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
)
from contracts.topics import LIFECYCLE, ROADMAPS, SOCIAL_APPROACHES, WORKING_GROUP
from services.progress.activity_handlers import PROJECTORS as ACTIVITY_PROJECTORS
from services.progress.domain import STATUS_NOT_YET_KNOWN, is_newer, latest, moves_later
from services.progress.milestone_handlers import PROJECTORS as MILESTONE_PROJECTORS
from services.progress.milestone_handlers import plan_milestones, planned_in
from services.progress.models import RECOMMENDATIONS, STATUS_CHANGES
from services.progress.reference import economy_of
from sori.projection import ProjectionConsumer, Projector, RowKey, concerning
from sori.rows import Row, Rows

# Which moment column each status stamps (the latest time it was entered).
_STAMPED = {
    RecommendationStatus.SUBMITTED: "submitted_at",
    RecommendationStatus.ENDORSED: "decided_at",
    RecommendationStatus.REJECTED: "decided_at",
    RecommendationStatus.CHANGES_REQUESTED: "decided_at",
    RecommendationStatus.IMPLEMENTED: "implemented_at",
    RecommendationStatus.VERIFIED: "verified_at",
}


def recommendation(rows: Rows, recommendation_id: UUID, event: Envelope) -> Row:
    """The recommendation's row, made on the first fact heard of it (its status is then not yet known)."""
    row = rows.get(RECOMMENDATIONS, recommendation_id)
    if row is None:
        row = rows.add(
            RECOMMENDATIONS,
            recommendation_id=recommendation_id,
            status=RecommendationStatus.DRAFTED,
            updated_at=STATUS_NOT_YET_KNOWN,
            last_event_id=event.id,
        )
    return row


def _note_association(row: Row, association: str | None) -> None:
    if association and row["association"] is None:
        row["association"], row["economy"] = association, economy_of(association)


def _note_version(row: Row, version: int | None) -> None:
    if version is not None:
        row["version"] = max(row["version"] or 0, version)


def on_status_changed(rows: Rows, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, StatusChanged)
    row = recommendation(rows, data.recommendation_id, event)
    # The change happened when its cause did, however late the lifecycle got to it (older events lack the time).
    at = data.cause_time or event.time
    if moves_later((row["status_sequence"], row["updated_at"]), (data.sequence, at)):
        row["status"], row["status_sequence"], row["updated_at"] = data.to_status, data.sequence, at
        row["last_event_id"] = event.id
    if stamp := _STAMPED.get(data.to_status):
        row[stamp] = latest(row[stamp], at)
    _note_association(row, data.association)
    _note_version(row, data.version)
    rows.record(
        STATUS_CHANGES,
        event_id=event.id,
        recommendation_id=data.recommendation_id,
        sequence=data.sequence,
        at=at,
        from_status=data.from_status,
        to_status=data.to_status,
        cause_event_type=data.cause_event_type,
        actor_org=event.actor.org,
        actor_role=event.actor.role.value,
        comments=data.comments,
    )


def on_drafted(rows: Rows, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, RecommendationDrafted)
    row = recommendation(rows, data.recommendation_id, event)
    row["code"], row["roadmap_id"], row["programme"] = data.code, data.roadmap_id, data.programme
    row["title"], row["language"] = data.title, data.language.value
    _note_association(row, data.association)
    _note_version(row, data.version)


def on_new_version(rows: Rows, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, RecommendationRevised | RecommendationSubmitted)
    row = recommendation(rows, data.recommendation_id, event)
    _note_association(row, data.association)
    _note_version(row, data.version)


def on_assigned(rows: Rows, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, RecommendationAssigned)
    row = recommendation(rows, data.recommendation_id, event)
    _note_association(row, data.association)
    if is_newer(row["assigned_at"], event.time):
        row["local_governments"], row["assigned_at"] = sorted(set(data.local_governments)), event.time
    plan_milestones(rows, event, data.recommendation_id, data.association, data.milestones)


def _assignment(event: Envelope) -> list[RowKey]:
    assert isinstance(event.data, RecommendationAssigned)
    return [(RECOMMENDATIONS, event.data.recommendation_id), *planned_in(event)]


def on_review_overdue(rows: Rows, event: Envelope) -> None:
    data = event.data
    assert isinstance(data, ReviewOverdue)
    row = recommendation(rows, data.recommendation_id, event)
    _note_association(row, data.association)
    row["review_overdue_at"] = latest(row["review_overdue_at"], event.time)


_RECOMMENDATION = concerning(RECOMMENDATIONS, "recommendation_id")
PROJECTORS: dict[str, Projector] = {
    StatusChanged.TYPE: Projector(on_status_changed, _RECOMMENDATION),
    ReviewOverdue.TYPE: Projector(on_review_overdue, _RECOMMENDATION),
    RecommendationDrafted.TYPE: Projector(on_drafted, _RECOMMENDATION),
    RecommendationRevised.TYPE: Projector(on_new_version, _RECOMMENDATION),
    RecommendationSubmitted.TYPE: Projector(on_new_version, _RECOMMENDATION),
    RecommendationAssigned.TYPE: Projector(on_assigned, _assignment),
    **MILESTONE_PROJECTORS,
    **ACTIVITY_PROJECTORS,
}
TOPICS = (ROADMAPS, WORKING_GROUP, SOCIAL_APPROACHES, LIFECYCLE)
CONSUMER = ProjectionConsumer(group="progress", topics=TOPICS, projectors=PROJECTORS)
