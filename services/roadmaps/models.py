"""Roadmaps' tables and API schemas: an association's roadmap and the recommendations drafted in it."""

from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel, UniqueConstraint

from contracts.lifecycle import RecommendationStatus
from contracts.text import Code, MultiLine, Title
from services.roadmaps.texts import EXAMPLE, RecommendationText
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


class RoadmapCreate(RoadmapBase):
    programme: Code = Field(schema_extra={"examples": ["SoRi 4"]})


class RoadmapUpdate(SQLModel):
    """Only the fields that change."""

    title: Title | None = None
    priority_topics: list[Code] | None = Field(default=None, max_length=30)
    target_groups: list[Code] | None = Field(default=None, max_length=30)
    period_start: date | None = None
    period_end: date | None = None
    status: RoadmapStatus | None = Field(default=None, schema_extra={"examples": ["adopted"]})


class Roadmap(RoadmapBase, RoadmapsTable, table=True):
    __table_args__ = (UniqueConstraint("association", "programme", name="uq_roadmap_association_programme"),)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    programme: str = Field(max_length=50, index=True)
    association: str = Field(max_length=50, index=True)
    status: RoadmapStatus = Field(default=RoadmapStatus.DRAFT, max_length=20)
    created_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)


class RoadmapPublic(RoadmapBase):
    id: UUID
    programme: str
    association: str
    status: RoadmapStatus
    created_at: datetime
    updated_at: datetime


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


PUBLIC_EXAMPLE = {
    **EXAMPLE,
    "id": "3f1c9a9e-2a47-4d55-9d8e-4b8f0f5e1a01",
    "roadmap_id": "8b0f6c1e-5d0a-4c36-9a55-0f3f1e2a7c10",
    "association": "ZELS",
    "programme": "SoRi 4",
    "code": "ZELS-2024-07",
    "status": "drafted",
    "version": 1,
    "local_governments": [],
    "created_at": "2024-03-01T09:30:00Z",
    "updated_at": "2024-03-01T09:30:00Z",
}


# Beside the text, whose fields the answer spreads out.
PUBLIC_COLUMNS = (
    "id",
    "roadmap_id",
    "association",
    "programme",
    "code",
    "status",
    "version",
    "local_governments",
    "created_at",
    "updated_at",
)


class RecommendationPublic(RecommendationText):
    model_config = ConfigDict(json_schema_extra={"examples": [PUBLIC_EXAMPLE]})

    id: UUID
    roadmap_id: UUID
    association: str
    programme: str
    code: str = Field(schema_extra={"examples": ["ZELS-2024-07"]})
    status: RecommendationStatus
    version: int
    local_governments: list[str] = Field(description="the local governments it is assigned to, once assigned")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Recommendation) -> "RecommendationPublic":
        return cls.of_columns({"text": row.text, **{name: getattr(row, name) for name in PUBLIC_COLUMNS}})

    @classmethod
    def of_columns(cls, columns: Mapping[str, Any]) -> "RecommendationPublic":
        """From a recommendation's columns, e.g. those just inserted."""
        return cls.model_validate({**columns["text"], **{name: columns[name] for name in PUBLIC_COLUMNS}})


class RecommendationPage(BaseModel):
    items: list[RecommendationPublic]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class WithdrawCommand(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "Merged into ZELS-2024-03, which covers the same measures."}]},
    )

    reason: Annotated[str, MultiLine(2_000)]


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
