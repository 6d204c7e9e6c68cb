"""Events published by the recommendation lifecycle workflow on sori.lifecycle.v1."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.envelope import EventPayload
from contracts.roadmaps import PlannedMilestone
from contracts.text import CODE, FEW, MANY, NOTE, TITLE
from contracts.topics import LIFECYCLE
from contracts.working_group import COMMENT_MAX_LENGTH, COMMENTS_MAX

EVENT_TYPE = 100  # sori.<producer>.<aggregate>.<fact>.v<n>


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


# A lifecycle numbers far fewer events than this; the bound keeps the number in a 32-bit column.
LAST_SEQUENCE = 2**31 - 1


class LifecycleEvent(EventPayload):
    """What every lifecycle event says besides its own facts: its place among its recommendation's events."""

    TOPIC = LIFECYCLE

    sequence: int | None = Field(
        default=None,
        ge=1,
        le=LAST_SEQUENCE,
        description=(
            "1, 2, 3… in the order the recommendation's lifecycle published its events: the order to read them in, "
            "since events of one moment share their time. Absent on events published before lifecycles numbered "
            "them, which come before every numbered one."
        ),
    )


class StatusChanged(LifecycleEvent):
    TYPE = "sori.lifecycle.recommendation.status_changed.v1"

    recommendation_id: UUID
    from_status: RecommendationStatus | None
    to_status: RecommendationStatus
    cause_event_id: UUID
    cause_event_type: str = Field(max_length=EVENT_TYPE)
    association: str | None = Field(default=None, max_length=CODE)
    version: int | None = None
    cause_time: AwareDatetime | None = Field(
        default=None,
        description=(
            "When the cause happened (its envelope's time): the moment of the change, however late the lifecycle "
            "applied it. Absent on older events; their envelope's time stands in."
        ),
    )
    comments: list[Annotated[str, Field(max_length=COMMENT_MAX_LENGTH)]] = Field(
        default_factory=list,
        max_length=COMMENTS_MAX,
        description="what its cause said in words: the working group's comments when it requested changes, its "
        "reasons when it returned an implementation, a rejection's reason, a verification's note, a withdrawal's "
        "reason; empty for a cause that says none",
    )


class TransitionRejected(LifecycleEvent):
    TYPE = "sori.lifecycle.recommendation.transition_rejected.v1"

    recommendation_id: UUID
    status: RecommendationStatus | None
    rejected_event_id: UUID
    rejected_event_type: str = Field(max_length=EVENT_TYPE)
    reason: str = Field(max_length=NOTE)


class MilestonesPlanned(LifecycleEvent):
    """The recommendation's whole milestone plan, as it stands after an assignment or a rescheduling."""

    TYPE = "sori.lifecycle.recommendation.milestones_planned.v1"

    recommendation_id: UUID
    association: str = Field(max_length=CODE)
    milestones: list[PlannedMilestone] = Field(max_length=MANY)


class ReviewOverdue(LifecycleEvent):
    TYPE = "sori.lifecycle.recommendation.review_overdue.v1"

    recommendation_id: UUID
    association: str = Field(max_length=CODE)
    submitted_at: datetime
    due_at: datetime


class DraftIdle(LifecycleEvent):
    TYPE = "sori.lifecycle.recommendation.draft_idle.v1"

    recommendation_id: UUID
    association: str = Field(max_length=CODE)
    idle_since: datetime


class MilestoneClock(LifecycleEvent):
    """What every milestone clock says: which milestone, whose, and when it is due."""

    recommendation_id: UUID
    milestone_id: UUID
    association: str = Field(max_length=CODE)
    local_government: str = Field(max_length=CODE)
    title: str = Field(max_length=TITLE)
    due_date: date


class MilestoneDueSoon(MilestoneClock):
    TYPE = "sori.lifecycle.milestone.due_soon.v1"


class MilestoneOverdue(MilestoneClock):
    TYPE = "sori.lifecycle.milestone.overdue.v1"


class MilestoneEscalated(MilestoneClock):
    """Still not done a further period after its due date: the LGA and NALAS are told."""

    TYPE = "sori.lifecycle.milestone.escalated.v1"

    escalated_to: list[Annotated[str, Field(max_length=CODE)]] = Field(
        default_factory=lambda: ["lga", "nalas"], max_length=FEW
    )


PAYLOADS: tuple[type[LifecycleEvent], ...] = (
    StatusChanged,
    TransitionRejected,
    MilestonesPlanned,
    ReviewOverdue,
    DraftIdle,
    MilestoneDueSoon,
    MilestoneOverdue,
    MilestoneEscalated,
)
