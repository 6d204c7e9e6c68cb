"""Roadmaps' API bodies: what a request carries and what an answer shows, with the examples the OpenAPI page gives."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict
from sqlmodel import Field, SQLModel

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus
from contracts.text import Code, MultiLine, Title
from services.roadmaps.domain.changes import FieldChange
from services.roadmaps.domain.text import EXAMPLE, RecommendationText
from services.roadmaps.models import (
    CommentBase,
    MilestoneBase,
    Recommendation,
    RecommendationVersion,
    RoadmapBase,
    RoadmapStatus,
)


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


class RoadmapPublic(RoadmapBase):
    id: UUID
    programme: str
    association: str
    status: RoadmapStatus
    created_at: datetime
    updated_at: datetime


RECOMMENDATION_EXAMPLE = {
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
    model_config = ConfigDict(json_schema_extra={"examples": [RECOMMENDATION_EXAMPLE]})

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


class CommentCreate(CommentBase):
    pass


class CommentPublic(CommentBase):
    id: UUID
    recommendation_id: UUID
    version: int
    author: str
    author_org: str
    author_role: Role
    created_at: datetime


class MilestonePublic(MilestoneBase):
    id: UUID
    recommendation_id: UUID


class AssignmentCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "local_governments": ["MK-KUMANOVO", "MK-STRUMICA"],
                    "milestones": [
                        {
                            "title": "Satellite day-care unit opens",
                            "due_date": "2025-06-30",
                            "local_government": "MK-KUMANOVO",
                            "indicators": ["day-care places in rural settlements"],
                        },
                        {
                            "title": "Transport service runs",
                            "due_date": "2025-09-30",
                            "local_government": "MK-STRUMICA",
                        },
                    ],
                }
            ]
        },
    )

    local_governments: list[Code] = Field(min_length=1, max_length=50)
    milestones: list[MilestoneBase] = Field(min_length=1, max_length=100)


class AssignmentPublic(BaseModel):
    recommendation_id: UUID
    local_governments: list[str]
    milestones: list[MilestonePublic]


class RescheduleCommand(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"due_date": "2025-10-31", "reason": "The building permit came late."}]},
    )

    due_date: date
    reason: Annotated[str, MultiLine(2_000)]
