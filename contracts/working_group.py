"""Events published by the working-group service on sori.working-group.v1."""

from uuid import UUID

from pydantic import Field

from contracts.envelope import EventPayload


class ReviewStarted(EventPayload):
    TYPE = "sori.working_group.recommendation.review_started.v1"

    recommendation_id: UUID
    version: int = Field(ge=1, description="the text version under review")
    reviewers: list[str] = Field(default_factory=list, description="who reviews (subjects of WG members)")
    meeting_id: UUID | None = None


class Decision(EventPayload):
    """What every decision carries: which version was decided, by whom, in which meeting."""

    recommendation_id: UUID
    version: int = Field(ge=1)
    decided_by: str
    meeting_id: UUID | None = None


class RecommendationEndorsed(Decision):
    TYPE = "sori.working_group.recommendation.endorsed.v1"


class ChangesRequested(Decision):
    TYPE = "sori.working_group.recommendation.changes_requested.v1"

    comments: list[str] = Field(min_length=1)


class RecommendationRejected(Decision):
    TYPE = "sori.working_group.recommendation.rejected.v1"

    reason: str = Field(min_length=1)


class ImplementationVerified(EventPayload):
    TYPE = "sori.working_group.recommendation.verified.v1"

    recommendation_id: UUID
    verified_by: str
    note: str = ""


class ImplementationReturned(EventPayload):
    """Verification found the implementation incomplete: back to in_implementation, with reasons."""

    TYPE = "sori.working_group.recommendation.returned.v1"

    recommendation_id: UUID
    returned_by: str
    reasons: list[str] = Field(min_length=1)


PAYLOADS: tuple[type[EventPayload], ...] = (
    ReviewStarted,
    RecommendationEndorsed,
    ChangesRequested,
    RecommendationRejected,
    ImplementationVerified,
    ImplementationReturned,
)
