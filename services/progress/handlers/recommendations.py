"""Recommendations in progress: their facts from roadmaps and their status from the lifecycle."""

from uuid import UUID

from contracts.envelope import Envelope
from contracts.lifecycle import RecommendationStatus, ReviewOverdue, StatusChanged
from contracts.roadmaps import (
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
)
from services.progress.domain import STATUS_NOT_YET_KNOWN, is_newer, latest, moves_later
from services.progress.handlers.economies import consulting, economy_of
from services.progress.handlers.milestones import plan_milestones, planned_in
from services.progress.models import RECOMMENDATIONS, STATUS_CHANGES
from sori.projection import Touch, projector
from sori.rows import Row, Rows

RecommendationFact = RecommendationDrafted | RecommendationRevised | RecommendationSubmitted | RecommendationAssigned

# Which moment column each status stamps (the latest time it was entered).
_STAMPED = {
    RecommendationStatus.SUBMITTED: "submitted_at",
    RecommendationStatus.ENDORSED: "decided_at",
    RecommendationStatus.REJECTED: "decided_at",
    RecommendationStatus.CHANGES_REQUESTED: "decided_at",
    RecommendationStatus.IMPLEMENTED: "implemented_at",
    RecommendationStatus.VERIFIED: "verified_at",
}


# A revision of these fields leaves the drafted title (all the events tell of the text) no longer the current one.
_RETITLING = frozenset({"title", "language"})


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


def _note_association(rows: Rows, row: Row, association: str | None) -> None:
    if association and row["association"] is None:
        row["association"], row["economy"] = association, economy_of(rows, association)


def _note_version(row: Row, version: int | None) -> None:
    if version is not None:
        row["version"] = max(row["version"] or 0, version)


def on_status_changed(rows: Rows, event: Envelope[StatusChanged]) -> None:
    data = event.data
    row = recommendation(rows, data.recommendation_id, event)
    # The change happened when its cause did, however late the lifecycle got to it (older events lack the time).
    at = data.cause_time or event.time
    if moves_later((row["status_sequence"], row["updated_at"]), (data.sequence, at)):
        row["status"], row["status_sequence"], row["updated_at"] = data.to_status, data.sequence, at
        row["last_event_id"] = event.id
    if stamp := _STAMPED.get(data.to_status):
        row[stamp] = latest(row[stamp], at)
    if data.to_status is RecommendationStatus.ENDORSED and data.version is not None:
        row["endorsed_version"] = max(row["endorsed_version"] or 0, data.version)
    _note_association(rows, row, data.association)
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


def on_drafted(rows: Rows, event: Envelope[RecommendationDrafted]) -> None:
    data = event.data
    row = recommendation(rows, data.recommendation_id, event)
    row["code"], row["roadmap_id"], row["programme"] = data.code, data.roadmap_id, data.programme
    row["title"], row["language"] = data.title, data.language.value
    _note_association(rows, row, data.association)
    _note_version(row, data.version)


def on_new_version(rows: Rows, event: Envelope[RecommendationRevised | RecommendationSubmitted]) -> None:
    data = event.data
    row = recommendation(rows, data.recommendation_id, event)
    _note_association(rows, row, data.association)
    _note_version(row, data.version)
    if isinstance(data, RecommendationRevised) and _RETITLING.intersection(data.changed_fields):
        row["title_revised"] = True


def on_assigned(rows: Rows, event: Envelope[RecommendationAssigned]) -> None:
    data = event.data
    row = recommendation(rows, data.recommendation_id, event)
    _note_association(rows, row, data.association)
    if is_newer(row["assigned_at"], event.time):
        row["local_governments"], row["assigned_at"] = sorted(set(data.local_governments)), event.time
    plan_milestones(rows, event, data.recommendation_id, data.association, data.milestones)


def on_review_overdue(rows: Rows, event: Envelope[ReviewOverdue]) -> None:
    data = event.data
    row = recommendation(rows, data.recommendation_id, event)
    _note_association(rows, row, data.association)
    row["review_overdue_at"] = latest(row["review_overdue_at"], event.time)


def _recommendation(event: Envelope[StatusChanged | RecommendationFact | ReviewOverdue]) -> list[Touch]:
    """The recommendation's row, and what its association's economy needs."""
    return [(RECOMMENDATIONS, event.data.recommendation_id), *consulting(event.data.association)]


def _assignment(event: Envelope[RecommendationAssigned]) -> list[Touch]:
    return [*_recommendation(event), *planned_in(event)]


PROJECTORS = (
    projector(StatusChanged, on_status_changed, _recommendation),
    projector(ReviewOverdue, on_review_overdue, _recommendation),
    projector(RecommendationDrafted, on_drafted, _recommendation),
    projector(RecommendationRevised, on_new_version, _recommendation),
    projector(RecommendationSubmitted, on_new_version, _recommendation),
    projector(RecommendationAssigned, on_assigned, _assignment),
)
