"""Immutable text versions of a recommendation, the comments on them, and what changed between two."""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel

from contracts.envelope import Role
from contracts.text import MultiLine
from services.roadmaps.models import RoadmapsTable
from services.roadmaps.texts import RecommendationText
from sori.columns import UTCDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class RecommendationVersion(RoadmapsTable, table=True):
    """One saved text; written once, never changed."""

    recommendation_id: UUID = Field(foreign_key="recommendation.id", primary_key=True)
    number: int = Field(primary_key=True, ge=1)
    text: dict[str, Any] = Field(sa_type=JSON)
    changed_fields: list[str] = Field(default_factory=list, sa_type=JSON)
    author_org: str = Field(max_length=50)
    created_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)


class VersionPublic(BaseModel):
    number: int
    text: RecommendationText
    changed_fields: list[str]
    author_org: str
    created_at: datetime

    @classmethod
    def of(cls, row: RecommendationVersion) -> "VersionPublic":
        return cls.model_validate(row, from_attributes=True)


class VersionSummary(BaseModel):
    number: int
    title: str
    changed_fields: list[str]
    author_org: str
    created_at: datetime


class FieldChange(BaseModel):
    field: str
    before: Any
    after: Any
    unified_diff: str | None = None


class VersionDiff(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from_version": 1,
                    "to_version": 3,
                    "changes": [
                        {
                            "field": "proposed_measures",
                            "before": "Open two satellite units.",
                            "after": "Open three satellite units.",
                            "unified_diff": "--- proposed_measures v1\n+++ proposed_measures v3\n@@ -1 +1 @@\n"
                            "-Open two satellite units.\n+Open three satellite units.\n",
                        },
                        {"field": "sdg_targets", "before": ["10.2"], "after": ["10.2", "3.8"], "unified_diff": None},
                    ],
                }
            ]
        }
    )

    from_version: int
    to_version: int
    changes: list[FieldChange]


class CommentCreate(SQLModel):
    body: Annotated[str, MultiLine(5_000)] = Field(
        schema_extra={"examples": ["Please give the number of households the mapping found."]},
    )


class VersionComment(CommentCreate, RoadmapsTable, table=True):
    __table_args__ = (Index("ix_versioncomment_recommendation_version", "recommendation_id", "version"),)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendation_id: UUID = Field(foreign_key="recommendation.id")
    version: int
    body: str = Field(sa_type=Text)
    author: str = Field(max_length=200)
    author_org: str = Field(max_length=50)
    author_role: Role = Field(max_length=20)
    created_at: datetime = Field(default_factory=_now, sa_type=UTCDateTime)


class CommentPublic(CommentCreate):
    id: UUID
    recommendation_id: UUID
    version: int
    author: str
    author_org: str
    author_role: Role
    created_at: datetime
