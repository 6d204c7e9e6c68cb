"""Events published by the working-group service on sori.working-group.v1."""

from datetime import date
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import EventPayload
from contracts.figures import Figure
from contracts.languages import Language
from contracts.text import FEW, MANY, NAME, NOTE, REASON, TITLE
from contracts.topics import WORKING_GROUP

# What a decision may say in words (the API refuses more): every event that carries them keeps within these bounds.
COMMENTS_MAX = FEW
COMMENT_MAX_LENGTH = NOTE


class WorkingGroupEvent(EventPayload):
    TOPIC = WORKING_GROUP


class ReviewStarted(WorkingGroupEvent):
    TYPE = "sori.working_group.recommendation.review_started.v1"

    recommendation_id: UUID
    version: int = Field(ge=1, description="the text version under review")
    reviewers: list[Annotated[str, Field(max_length=NAME)]] = Field(
        default_factory=list, max_length=FEW, description="who reviews (subjects of WG members)"
    )
    meeting_id: UUID | None = None


class Decision(WorkingGroupEvent):
    """What every decision carries: which version was decided, by whom, in which meeting."""

    recommendation_id: UUID
    version: int = Field(ge=1)
    decided_by: str = Field(max_length=NAME)
    meeting_id: UUID | None = None


class RecommendationEndorsed(Decision):
    TYPE = "sori.working_group.recommendation.endorsed.v1"


class ChangesRequested(Decision):
    TYPE = "sori.working_group.recommendation.changes_requested.v1"

    comments: list[Annotated[str, Field(max_length=REASON)]] = Field(min_length=1, max_length=FEW)


class RecommendationRejected(Decision):
    TYPE = "sori.working_group.recommendation.rejected.v1"

    reason: str = Field(min_length=1, max_length=NOTE)


class ImplementationVerified(WorkingGroupEvent):
    TYPE = "sori.working_group.recommendation.verified.v1"

    recommendation_id: UUID
    verified_by: str = Field(max_length=NAME)
    note: str = Field(default="", max_length=NOTE)


class ImplementationReturned(WorkingGroupEvent):
    """Verification found the implementation incomplete: back to in_implementation, with reasons."""

    TYPE = "sori.working_group.recommendation.returned.v1"

    recommendation_id: UUID
    returned_by: str = Field(max_length=NAME)
    reasons: list[Annotated[str, Field(max_length=REASON)]] = Field(min_length=1, max_length=FEW)


class ActionKind(StrEnum):
    TRAINING_CYCLE = "training_cycle"
    E_LEARNING_COURSE = "e_learning_course"
    TRAINING_LEARNING_CLUSTER = "training_learning_cluster"
    STUDY_VISIT = "study_visit"
    REGIONAL_CONFERENCE = "regional_conference"
    WG_MEETING = "wg_meeting"


class OrganisationType(StrEnum):
    LGA = "lga"
    LOCAL_GOVERNMENT = "local_government"
    CENTRAL_GOVERNMENT = "central_government"
    CSP_NGO = "csp_ngo"
    INTERNATIONAL = "international"
    OTHER = "other"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER_UNDISCLOSED = "other_undisclosed"


class AgeBand(StrEnum):
    UNDER_18 = "under-18"
    FROM_18_TO_29 = "18-29"
    FROM_30_TO_44 = "30-44"
    FROM_45_TO_64 = "45-64"
    FROM_65 = "65+"


class ParticipantCounts(BaseModel):
    """An action's participants as counts only: no record of any one person leaves the working group."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    participants: int = Field(ge=0)
    attended: int = Field(ge=0)
    participants_by_sex: dict[Sex, int] = Field(default_factory=dict)
    participants_by_organisation_type: dict[OrganisationType, int] = Field(default_factory=dict)
    participants_by_age_band: dict[AgeBand, int] = Field(default_factory=dict)
    average_pre_score: Figure | None = Field(default=None, ge=0, le=100)
    average_post_score: Figure | None = Field(default=None, ge=0, le=100)


class ActionPlanned(WorkingGroupEvent):
    """A capacity-building action of the programme is planned (a training cycle, a course, a study visit, …)."""

    TYPE = "sori.working_group.action.planned.v1"

    action_id: UUID
    kind: ActionKind
    title: str = Field(max_length=TITLE)
    starts_on: date
    ends_on: date
    online: bool
    language: Language
    topics: list[Annotated[str, Field(max_length=NAME)]] = Field(default_factory=list, max_length=FEW)
    recommendations: list[UUID] = Field(default_factory=list, max_length=MANY)


class ActionHeld(WorkingGroupEvent):
    TYPE = "sori.working_group.action.held.v1"

    action_id: UUID
    kind: ActionKind
    sessions: int = Field(ge=0, description="sessions of a training cycle; 0 for other kinds")
    counts: ParticipantCounts


class ActionReported(WorkingGroupEvent):
    TYPE = "sori.working_group.action.reported.v1"

    action_id: UUID
    kind: ActionKind
    sessions: int = Field(ge=0)
    counts: ParticipantCounts
    enrolments: int | None = Field(default=None, ge=0, description="e-learning courses only")
    completions: int | None = Field(default=None, ge=0, description="e-learning courses only")


class PublicItem(StrEnum):
    """What the public side shows that NALAS may decide on, item by item."""

    RECOMMENDATION = "recommendation"
    MILESTONE = "milestone"
    ACTION = "action"
    SOCIAL_APPROACH = "social_approach"


class Visibility(StrEnum):
    WITHHELD = "withheld"
    PUBLISHED = "published"
    AS_THE_RULES_SAY = "as_the_rules_say"


class PublicationDecided(WorkingGroupEvent):
    """NALAS holds an item back from the public side (`withheld`), publishes a withdrawn or rejected recommendation
    the rules would keep back (`published`), or undoes either (`as_the_rules_say`). The reason stays internal."""

    TYPE = "sori.working_group.publication.decided.v1"

    item_kind: PublicItem
    item_id: UUID
    visibility: Visibility
    reason: str = Field(default="", max_length=NOTE, description="why; required to withhold or to publish")


PAYLOADS: tuple[type[WorkingGroupEvent], ...] = (
    ReviewStarted,
    RecommendationEndorsed,
    ChangesRequested,
    RecommendationRejected,
    ImplementationVerified,
    ImplementationReturned,
    ActionPlanned,
    ActionHeld,
    ActionReported,
    PublicationDecided,
)
