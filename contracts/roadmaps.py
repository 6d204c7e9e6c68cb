"""Events published by the roadmaps service on sori.roadmaps.v1."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import EventPayload
from contracts.languages import Language


class RecommendationDrafted(EventPayload):
    TYPE = "sori.roadmaps.recommendation.drafted.v1"

    recommendation_id: UUID
    roadmap_id: UUID
    association: str = Field(description="code of the LGA that owns the roadmap")
    code: str = Field(description="human code, e.g. ZELS-2024-07")
    title: str
    language: Language
    version: int = Field(ge=1)
    programme: str | None = Field(default=None, description="the programme whose clocks apply")


class RecommendationRevised(EventPayload):
    """A new immutable text version, saved while drafted or changes_requested."""

    TYPE = "sori.roadmaps.recommendation.revised.v1"

    recommendation_id: UUID
    association: str
    version: int = Field(ge=2)
    changed_fields: list[str]


class RecommendationSubmitted(EventPayload):
    """First submission, or resubmission after changes were requested (then with the new text version)."""

    TYPE = "sori.roadmaps.recommendation.submitted.v1"

    recommendation_id: UUID
    association: str
    version: int = Field(ge=1)


class RecommendationWithdrawn(EventPayload):
    TYPE = "sori.roadmaps.recommendation.withdrawn.v1"

    recommendation_id: UUID
    association: str
    reason: str = Field(min_length=1)


class PlannedMilestone(BaseModel):
    """One milestone of an endorsed recommendation's implementation plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    milestone_id: UUID
    title: str = Field(min_length=1, max_length=300)
    due_date: date
    local_government: str = Field(description="code of the local government that carries it out")
    indicators: list[str] = Field(default_factory=list, description="indicators a `done` report must give")


class RecommendationAssigned(EventPayload):
    """The association assigns an endorsed recommendation to local governments with a milestone plan."""

    TYPE = "sori.roadmaps.recommendation.assigned.v1"

    recommendation_id: UUID
    association: str
    local_governments: list[str] = Field(min_length=1)
    milestones: list[PlannedMilestone] = Field(min_length=1)


class MilestoneRescheduled(EventPayload):
    TYPE = "sori.roadmaps.milestone.rescheduled.v1"

    recommendation_id: UUID
    milestone_id: UUID
    due_date: date
    reason: str = Field(min_length=1)


PAYLOADS: tuple[type[EventPayload], ...] = (
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
    RecommendationWithdrawn,
    RecommendationAssigned,
    MilestoneRescheduled,
)
