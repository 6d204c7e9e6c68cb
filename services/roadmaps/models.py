"""Roadmaps' tables: an association's roadmap, the recommendations drafted in it, their versions, comments and
milestones, and the counter of their codes. The `…Base` classes are the columns a table shares with its API bodies."""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID, uuid4

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel, UniqueConstraint

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus
from contracts.text import Code, MultiLine, Title
from sori.columns import UTCDateTime
from sori.tables import service_registry


def _now() -> datetime:
    return datetime.now(UTC)


class RoadmapsTable(SQLModel, registry=service_registry("roadmaps")):
    pass


class RoadmapStatus(StrEnum):
    DRAFT = "draft"
    ADOPTED = "adopted"
    CLOSED = "closed"


class RoadmapBase(SQLModel):
    title: Title = Field(schema_extra={"examples": ["ZELS roadmap on social inclusion"]})
    priority_topics: list[Code] = Field(
        default_factory=list,
        sa_type=JSON,
        max_length=30,
        description="social-topic codes from the reference data",
        schema_extra={"examples": [["social_services", "social_mapping"]]},
    )
    target_groups: list[Code] = Field(
        default_factory=list,
        sa_type=JSON,
        max_length=30,
        description="vulnerable-group codes from the reference data",
        schema_extra={"examples": [["persons_with_disabilities", "roma", "women_girls"]]},
    )
    period_start: date | None = Field(default=None, description="default: the programme's start")
    period_end: date | None = Field(default=None, description="default: the programme's end")


class Roadmap(RoadmapBase, RoadmapsTable, table=True):
    __table_args__ = (UniqueConstraint("association", "programme", name="uq_roadmap_association_programme"),)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    programme: str = Field(max_length=50, index=True)
    association: str = Field(max_length=50, index=True)
    status: RoadmapStatus = Field(default=RoadmapStatus.DRAFT, max_length=20)
    created_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)


class Recommendation(RoadmapsTable, table=True):
    """The current state of a recommendation; its text is the latest version's, kept whole in `text`."""

    __table_args__ = (
        Index("ix_recommendation_page", "created_at", "id"),
        Index("ix_recommendation_association_page", "association", "created_at", "id"),
        Index("ix_recommendation_status_page", "status", "created_at", "id"),
    )
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    roadmap_id: UUID = Field(foreign_key="roadmap.id", index=True)
    association: str = Field(max_length=50, index=True)
    programme: str = Field(max_length=50, index=True)
    code: str = Field(max_length=50, unique=True)
    status: RecommendationStatus = Field(default=RecommendationStatus.DRAFTED, max_length=30, index=True)
    version: int = Field(default=1)
    title: str = Field(max_length=300)
    # Every title (own language and translations) in lower case, so that search needs no database collation.
    search_titles: str = Field(default="", sa_type=Text)
    text: dict[str, Any] = Field(sa_type=JSON)
    local_governments: list[str] = Field(default_factory=list, sa_type=JSON)
    # The event of this service's latest command that moved the status ahead of the lifecycle, until it answers.
    awaiting_event_id: UUID | None = None
    created_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)


class TagKind(StrEnum):
    GROUP = "group"
    TOPIC = "topic"


class RecommendationTag(RoadmapsTable, table=True):
    """A vulnerable group or topic of a recommendation's current text, so that lists can filter on it."""

    __table_args__ = (Index("ix_recommendationtag_kind_code", "kind", "code"),)
    recommendation_id: UUID = Field(foreign_key="recommendation.id", primary_key=True)
    kind: TagKind = Field(primary_key=True, max_length=10)
    code: str = Field(primary_key=True, max_length=50)


class CodeSequence(RoadmapsTable, table=True):
    """The next number of an association's recommendation codes in a year (ZELS-2024-07)."""

    __table_args__ = (UniqueConstraint("association", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    association: str = Field(max_length=50)
    year: int
    last: int = Field(default=0)


class RecommendationVersion(RoadmapsTable, table=True):
    """One saved text; written once, never changed."""

    recommendation_id: UUID = Field(foreign_key="recommendation.id", primary_key=True)
    number: int = Field(primary_key=True, ge=1)
    text: dict[str, Any] = Field(sa_type=JSON)
    changed_fields: list[str] = Field(default_factory=list, sa_type=JSON)
    author_org: str = Field(max_length=50)
    created_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)


class CommentBase(SQLModel):
    body: Annotated[str, MultiLine(5_000)] = Field(
        schema_extra={"examples": ["Please give the number of households the mapping found."]},
    )


class VersionComment(CommentBase, RoadmapsTable, table=True):
    __table_args__ = (Index("ix_versioncomment_recommendation_version", "recommendation_id", "version"),)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendation_id: UUID = Field(foreign_key="recommendation.id")
    version: int
    body: str = Field(sa_type=Text)
    author: str = Field(max_length=200)
    author_org: str = Field(max_length=50)
    author_role: Role = Field(max_length=20)
    created_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)


class MilestoneBase(SQLModel):
    title: Title = Field(schema_extra={"examples": ["Satellite day-care unit opens"]})
    due_date: date = Field(schema_extra={"examples": ["2025-06-30"]})
    local_government: Code = Field(schema_extra={"examples": ["MK-KUMANOVO"]})
    indicators: list[Title] = Field(
        default_factory=list,
        sa_type=JSON,
        max_length=20,
        description="indicators a `done` report must give",
        schema_extra={"examples": [["day-care places in rural settlements"]]},
    )


class Milestone(MilestoneBase, RoadmapsTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendation_id: UUID = Field(foreign_key="recommendation.id", index=True)
    created_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)
