"""Social-approaches tables: what is assigned (learned from the lifecycle), mappings, approaches, evidence, reports."""

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel, UniqueConstraint

from contracts.lifecycle import RecommendationStatus
from contracts.social_approaches import ApproachStatus, MilestoneProgress
from services.social_approaches.domain import ApproachType, MappingStatus
from sori.tables import service_registry


def _now() -> datetime:
    return datetime.now(UTC)


class SocialApproachesTable(SQLModel, registry=service_registry("social_approaches")):
    pass


class KnownLocalGovernment(SocialApproachesTable, table=True):
    """A local government's association, as the lifecycle's milestone plans state it."""

    code: str = Field(primary_key=True, max_length=50)
    association: str = Field(max_length=50)


class Recommendation(SocialApproachesTable, table=True):
    """A recommendation as the lifecycle tells it: where it stands and when its plan was made (newest event wins)."""

    id: UUID = Field(primary_key=True)
    association: str = Field(max_length=50)
    status: RecommendationStatus | None = Field(default=None, max_length=30)
    status_at: datetime | None = None
    plan_at: datetime | None = None


class PlannedMilestone(SocialApproachesTable, table=True):
    milestone_id: UUID = Field(primary_key=True)
    recommendation_id: UUID = Field(index=True)
    association: str = Field(max_length=50)
    local_government: str = Field(max_length=50, index=True)
    title: str = Field(max_length=300)
    due_date: date
    indicators: list[str] = Field(default_factory=list, sa_type=JSON)


class Mapping(SocialApproachesTable, table=True):
    __table_args__ = (UniqueConstraint("local_government", "topic"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    local_government: str = Field(max_length=50, index=True)
    association: str | None = Field(default=None, max_length=50, index=True)
    topic: str = Field(max_length=80)
    title: str = Field(max_length=300)
    status: MappingStatus = Field(default=MappingStatus.DRAFT, max_length=20)
    groups: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    data_sources: list[str] = Field(default_factory=list, sa_type=JSON)
    findings: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    gaps: list[str] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
    completed_at: datetime | None = None


class Approach(SocialApproachesTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    local_government: str = Field(max_length=50, index=True)
    association: str | None = Field(default=None, max_length=50, index=True)
    mapping_id: UUID | None = Field(default=None, foreign_key="mapping.id")
    recommendation_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    approach_type: ApproachType = Field(max_length=40)
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=20_000)
    women_and_girls: bool = False
    beneficiaries_planned: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    beneficiaries_reached: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    status: ApproachStatus = Field(default=ApproachStatus.PLANNED, max_length=20)
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class Evidence(SocialApproachesTable, table=True):
    """An uploaded file (kept by its sha256) or a link, owned by the local government that gave it."""

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    owner: str = Field(max_length=50, index=True)
    name: str = Field(max_length=255)
    sha256: str | None = Field(default=None, max_length=64)
    size: int | None = None
    content_type: str | None = Field(default=None, max_length=100)
    url: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=_now)


class MilestoneReport(SocialApproachesTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendation_id: UUID = Field(index=True)
    milestone_id: UUID = Field(index=True)
    local_government: str = Field(max_length=50)
    status: MilestoneProgress = Field(max_length=20)
    narrative: str = Field(default="", max_length=20_000)
    indicators: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    evidence_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    reported_at: datetime = Field(default_factory=_now)
