"""Events published by the social-approaches service on sori.social-approaches.v1."""

from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import EventPayload


class MilestoneProgress(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DONE = "done"


class IndicatorValue(BaseModel):
    """A reported figure with its disaggregation (each breakdown, where given, sums to the value)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str
    value: float
    by_sex: dict[str, float] = Field(default_factory=dict)
    by_age_band: dict[str, float] = Field(default_factory=dict)


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


PAYLOADS: tuple[type[EventPayload], ...] = (MilestoneReported,)
