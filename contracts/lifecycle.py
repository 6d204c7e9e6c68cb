"""Events published by the recommendation lifecycle workflow on sori.lifecycle.v1."""

from enum import StrEnum
from uuid import UUID

from contracts.envelope import EventPayload


class RecommendationStatus(StrEnum):
    DRAFTED = "drafted"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CHANGES_REQUESTED = "changes_requested"
    ENDORSED = "endorsed"
    REJECTED = "rejected"
    IN_IMPLEMENTATION = "in_implementation"
    IMPLEMENTED = "implemented"
    VERIFIED = "verified"
    WITHDRAWN = "withdrawn"


class StatusChanged(EventPayload):
    TYPE = "sori.lifecycle.recommendation.status_changed.v1"

    recommendation_id: UUID
    from_status: RecommendationStatus | None
    to_status: RecommendationStatus
    cause_event_id: UUID
    cause_event_type: str


class TransitionRejected(EventPayload):
    TYPE = "sori.lifecycle.recommendation.transition_rejected.v1"

    recommendation_id: UUID
    status: RecommendationStatus | None
    rejected_event_id: UUID
    rejected_event_type: str
    reason: str
