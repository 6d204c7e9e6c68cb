"""Events published by the roadmaps service on sori.roadmaps.v1."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import EventPayload, Role
from contracts.languages import Language
from contracts.text import CODE, FEW, MANY, NOTE, TITLE
from contracts.topics import ROADMAPS


class RoadmapsEvent(EventPayload):
    TOPIC = ROADMAPS


class RecommendationDrafted(RoadmapsEvent):
    TYPE = "sori.roadmaps.recommendation.drafted.v1"

    recommendation_id: UUID
    roadmap_id: UUID
    association: str = Field(max_length=CODE, description="code of the LGA that owns the roadmap")
    code: str = Field(max_length=CODE, description="human code, e.g. ZELS-2024-07")
    title: str = Field(max_length=TITLE)
    language: Language
    version: int = Field(ge=1)
    programme: str | None = Field(default=None, max_length=CODE, description="the programme whose clocks apply")


class RecommendationRevised(RoadmapsEvent):
    """A new immutable text version, saved while drafted or changes_requested."""

    TYPE = "sori.roadmaps.recommendation.revised.v1"

    recommendation_id: UUID
    association: str = Field(max_length=CODE)
    version: int = Field(ge=2)
    changed_fields: list[Annotated[str, Field(max_length=CODE)]] = Field(max_length=MANY)


class RecommendationSubmitted(RoadmapsEvent):
    """First submission, or resubmission after changes were requested (then with the new text version)."""

    TYPE = "sori.roadmaps.recommendation.submitted.v1"

    recommendation_id: UUID
    association: str = Field(max_length=CODE)
    version: int = Field(ge=1)


class RecommendationWithdrawn(RoadmapsEvent):
    TYPE = "sori.roadmaps.recommendation.withdrawn.v1"

    recommendation_id: UUID
    association: str = Field(max_length=CODE)
    reason: str = Field(min_length=1, max_length=NOTE)


class PlannedMilestone(BaseModel):
    """One milestone of an endorsed recommendation's implementation plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    milestone_id: UUID
    title: str = Field(min_length=1, max_length=300)
    due_date: date
    local_government: str = Field(max_length=CODE, description="code of the local government that carries it out")
    indicators: list[Annotated[str, Field(max_length=TITLE)]] = Field(
        default_factory=list, max_length=FEW, description="indicators a `done` report must give"
    )


class RecommendationAssigned(RoadmapsEvent):
    """The association assigns an endorsed recommendation to local governments with a milestone plan."""

    TYPE = "sori.roadmaps.recommendation.assigned.v1"

    recommendation_id: UUID
    association: str = Field(max_length=CODE)
    local_governments: list[Annotated[str, Field(max_length=CODE)]] = Field(min_length=1, max_length=MANY)
    milestones: list[PlannedMilestone] = Field(min_length=1, max_length=MANY)


class MilestoneRescheduled(RoadmapsEvent):
    TYPE = "sori.roadmaps.milestone.rescheduled.v1"

    recommendation_id: UUID
    milestone_id: UUID
    due_date: date
    reason: str = Field(min_length=1, max_length=NOTE)


class CommentAdded(RoadmapsEvent):
    """A comment on one text version, by the owning association or NALAS; the text stays in the service."""

    TYPE = "sori.roadmaps.comment.added.v1"

    recommendation_id: UUID
    association: str = Field(max_length=CODE)
    version: int = Field(ge=1)
    comment_id: UUID
    author_org: str = Field(max_length=CODE)
    author_role: Role


class ReferenceEntryChanged(RoadmapsEvent):
    """An entry of the reference data was loaded from the published file, or NALAS added or changed it."""

    # v2: an association's economy (v1 events are read through contracts/upcasting.py).
    TYPE = "sori.roadmaps.reference.changed.v2"

    kind: str = Field(
        max_length=CODE, description="programmes, economies, associations, local-governments, groups or topics"
    )
    code: str = Field(max_length=CODE)
    association: str | None = Field(
        default=None, max_length=CODE, description="for a local government: its association"
    )
    economy: str | None = Field(default=None, max_length=CODE, description="for an association: its economy")


PAYLOADS: tuple[type[RoadmapsEvent], ...] = (
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
    RecommendationWithdrawn,
    RecommendationAssigned,
    MilestoneRescheduled,
    CommentAdded,
    ReferenceEntryChanged,
)
