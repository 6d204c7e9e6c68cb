"""API bodies of milestone reports with figures and evidence, and of what is expected of a local government."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.lifecycle import RecommendationStatus
from contracts.social_approaches import IndicatorValue, MilestoneProgress
from contracts.text import FEW, NARRATIVE, MultiLine, Title


class IndicatorReport(IndicatorValue):
    """An indicator's figure as a person gives it: the indicator's name under the rules of every text they type."""

    indicator: Title


class ReportCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "status": "done",
                    "narrative": "The day centre opened in March; 42 people attend weekly.",
                    "indicators": [
                        {
                            "indicator": "people attending weekly",
                            "value": 42,
                            "by_sex": {"female": 25, "male": 17},
                            "by_age_band": {"18-64": 30, "65+": 12},
                        }
                    ],
                    "evidence_ids": ["8d3b7c1e-2f4a-4e8b-9c6d-1a2b3c4d5e6f"],
                }
            ]
        },
    )

    status: MilestoneProgress
    narrative: Annotated[str, MultiLine(NARRATIVE, min_length=0)] = ""
    indicators: list[IndicatorReport] = Field(default_factory=list, max_length=FEW)
    evidence_ids: list[UUID] = Field(default_factory=list, max_length=FEW)


class ReportPublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                    "recommendation_id": "7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b",
                    "milestone_id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
                    "local_government": "MK-KUMANOVO",
                    "status": "done",
                    "narrative": "The day centre opened in March; 42 people attend weekly.",
                    "indicators": [
                        {"indicator": "people attending weekly", "value": 42, "by_sex": {"female": 25, "male": 17}}
                    ],
                    "evidence_ids": ["8d3b7c1e-2f4a-4e8b-9c6d-1a2b3c4d5e6f"],
                    "reported_at": "2026-04-01T09:00:00Z",
                }
            ]
        },
    )

    id: UUID
    recommendation_id: UUID
    milestone_id: UUID
    local_government: str
    status: MilestoneProgress
    narrative: str
    indicators: list[IndicatorValue]
    evidence_ids: list[UUID]
    reported_at: datetime


class ExpectedMilestone(BaseModel):
    """What a local government is expected to deliver, and how its latest report put it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "milestone_id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
                    "recommendation_id": "7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b",
                    "recommendation_status": "in_implementation",
                    "association": "ZELS",
                    "local_government": "MK-KUMANOVO",
                    "title": "Day centre opened",
                    "due_date": "2026-06-30",
                    "indicators": ["people attending weekly"],
                    "latest_report_status": "on_track",
                    "latest_report_at": "2026-04-01T09:00:00Z",
                }
            ]
        }
    )

    milestone_id: UUID
    recommendation_id: UUID
    recommendation_status: RecommendationStatus | None
    association: str
    local_government: str
    title: str
    due_date: date
    indicators: list[str]
    latest_report_status: MilestoneProgress | None
    latest_report_at: datetime | None
