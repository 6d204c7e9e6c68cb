"""The milestone plan of an assigned recommendation: what each local government delivers, and by when."""

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from contracts.text import Code, MultiLine, Title
from services.roadmaps.models import RoadmapsTable
from sori.columns import UTCDateTime


def _now() -> datetime:
    return datetime.now(UTC)


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
