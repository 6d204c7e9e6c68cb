"""Events published by the social-approaches service on sori.social-approaches.v1."""

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import EventPayload
from contracts.figures import Figure
from contracts.text import CODE, FEW, FILE_NAME, MANY, NARRATIVE, TITLE, URL
from contracts.topics import SOCIAL_APPROACHES

# A breakdown's key: a sex or an age band, each a short code.
Key = Annotated[str, Field(max_length=CODE)]


class SocialApproachesEvent(EventPayload):
    TOPIC = SOCIAL_APPROACHES


class MilestoneProgress(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DONE = "done"


class IndicatorValue(BaseModel):
    """A reported figure with its disaggregation (each breakdown, where given, sums to the value)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str = Field(max_length=TITLE)
    value: Figure
    by_sex: dict[Key, Figure] = Field(default_factory=dict, max_length=FEW)
    by_age_band: dict[Key, Figure] = Field(default_factory=dict, max_length=FEW)


class EvidenceReference(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    evidence_id: UUID
    name: str = Field(max_length=FILE_NAME)
    sha256: str | None = Field(default=None, max_length=64, description="for uploaded files")
    url: str | None = Field(default=None, max_length=URL, description="for links, or an object-store location")


class MilestoneReported(SocialApproachesEvent):
    TYPE = "sori.social_approaches.milestone.reported.v1"

    recommendation_id: UUID
    milestone_id: UUID
    report_id: UUID
    local_government: str = Field(max_length=CODE)
    status: MilestoneProgress
    narrative: str = Field(default="", max_length=NARRATIVE)
    indicators: list[IndicatorValue] = Field(default_factory=list, max_length=FEW)
    evidence: list[EvidenceReference] = Field(default_factory=list, max_length=FEW)


class GroupCount(BaseModel):
    """How many people of a vulnerable group, with their disaggregation; counts only, never persons."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: str = Field(max_length=CODE)
    total: int = Field(ge=0)
    by_sex: dict[Key, int] = Field(default_factory=dict, max_length=FEW)
    by_age_band: dict[Key, int] = Field(default_factory=dict, max_length=FEW)


class MappingCompleted(SocialApproachesEvent):
    """A local government's LNOB social mapping for one social topic is complete."""

    TYPE = "sori.social_approaches.mapping.completed.v1"

    mapping_id: UUID
    local_government: str = Field(max_length=CODE)
    association: str | None = Field(default=None, max_length=CODE)
    topic: str = Field(max_length=80)  # as the API has always taken it
    groups: list[GroupCount] = Field(default_factory=list, max_length=MANY)
    finding_ids: list[UUID] = Field(
        default_factory=list, max_length=MANY, description="findings recommendations may link to"
    )
    data_sources_count: int = Field(ge=0)
    gaps_count: int = Field(ge=0)


class ApproachStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"


class ApproachStatusChanged(SocialApproachesEvent):
    """A social approach was planned (from_status null) or moved on; reached beneficiaries are counts only."""

    TYPE = "sori.social_approaches.approach.status_changed.v1"

    approach_id: UUID
    local_government: str = Field(max_length=CODE)
    association: str | None = Field(default=None, max_length=CODE)
    approach_type: str = Field(max_length=CODE)
    women_and_girls: bool
    from_status: ApproachStatus | None
    to_status: ApproachStatus
    mapping_id: UUID | None = None
    recommendation_ids: list[UUID] = Field(default_factory=list, max_length=MANY)
    beneficiaries_planned: int = Field(ge=0)
    beneficiaries_reached: int = Field(ge=0)


PAYLOADS: tuple[type[SocialApproachesEvent], ...] = (MilestoneReported, MappingCompleted, ApproachStatusChanged)
