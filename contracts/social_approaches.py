"""Events published by the social-approaches service on sori.social-approaches.v1."""

from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import EventPayload
from contracts.figures import Figure


class MilestoneProgress(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DONE = "done"


class IndicatorValue(BaseModel):
    """A reported figure with its disaggregation (each breakdown, where given, sums to the value)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str
    value: Figure
    by_sex: dict[str, Figure] = Field(default_factory=dict)
    by_age_band: dict[str, Figure] = Field(default_factory=dict)


class EvidenceReference(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    evidence_id: UUID
    name: str
    sha256: str | None = Field(default=None, description="for uploaded files")
    url: str | None = Field(default=None, description="for links, or an object-store location")


class MilestoneReported(EventPayload):
    TYPE = "sori.social_approaches.milestone.reported.v1"

    recommendation_id: UUID
    milestone_id: UUID
    report_id: UUID
    local_government: str
    status: MilestoneProgress
    narrative: str = ""
    indicators: list[IndicatorValue] = Field(default_factory=list)
    evidence: list[EvidenceReference] = Field(default_factory=list)


class GroupCount(BaseModel):
    """How many people of a vulnerable group, with their disaggregation; counts only, never persons."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: str
    total: int = Field(ge=0)
    by_sex: dict[str, int] = Field(default_factory=dict)
    by_age_band: dict[str, int] = Field(default_factory=dict)


class MappingCompleted(EventPayload):
    """A local government's LNOB social mapping for one social topic is complete."""

    TYPE = "sori.social_approaches.mapping.completed.v1"

    mapping_id: UUID
    local_government: str
    association: str | None = None
    topic: str
    groups: list[GroupCount] = Field(default_factory=list)
    finding_ids: list[UUID] = Field(default_factory=list, description="findings recommendations may link to")
    data_sources_count: int = Field(ge=0)
    gaps_count: int = Field(ge=0)


class ApproachStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"


class ApproachStatusChanged(EventPayload):
    """A social approach was planned (from_status null) or moved on; reached beneficiaries are counts only."""

    TYPE = "sori.social_approaches.approach.status_changed.v1"

    approach_id: UUID
    local_government: str
    association: str | None = None
    approach_type: str
    women_and_girls: bool
    from_status: ApproachStatus | None
    to_status: ApproachStatus
    mapping_id: UUID | None = None
    recommendation_ids: list[UUID] = Field(default_factory=list)
    beneficiaries_planned: int = Field(ge=0)
    beneficiaries_reached: int = Field(ge=0)


PAYLOADS: tuple[type[EventPayload], ...] = (MilestoneReported, MappingCompleted, ApproachStatusChanged)
