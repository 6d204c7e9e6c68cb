"""API bodies of social approaches: the plan, its status and beneficiaries, what a reader out of scope sees, and
the summary."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.social_approaches import ApproachStatus, GroupCount
from contracts.text import MANY, NARRATIVE, MultiLine, Title
from services.social_approaches.domain import ApproachType
from services.social_approaches.schemas import ROMA_WOMEN, GroupFigures


class ApproachCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "approach_type": "mobile_outreach_team",
                    "title": "Mobile outreach to Roma women in rural settlements",
                    "description": "A social worker and a Roma mediator visit three settlements weekly.",
                    "women_and_girls": True,
                    "mapping_id": "3f1c2a7e-9b1d-4c55-8a0e-2b7f6d1e4a90",
                    "recommendation_ids": [],
                    "beneficiaries_planned": [ROMA_WOMEN],
                }
            ]
        },
    )

    approach_type: ApproachType
    title: Title
    description: Annotated[str, MultiLine(NARRATIVE, min_length=0)] = ""
    women_and_girls: bool = Field(default=False, description="the approach focuses on women and girls")
    mapping_id: UUID | None = Field(default=None, description="the social mapping it answers")
    recommendation_ids: list[UUID] = Field(
        default_factory=list, max_length=MANY, description="recommendations it implements"
    )
    beneficiaries_planned: list[GroupFigures] = Field(default_factory=list, max_length=MANY)


class ApproachStatusChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "status": "in_progress",
                    "beneficiaries_reached": [
                        {"group": "roma", "total": 30, "by_sex": {"female": 30}, "by_age_band": {"18-64": 30}}
                    ],
                }
            ]
        },
    )

    status: ApproachStatus
    beneficiaries_reached: list[GroupFigures] | None = Field(
        default=None, max_length=MANY, description="who has been reached so far (replaces the previous figures)"
    )


class ApproachPublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "6a2d9f1b-3c4e-4d5f-8a7b-9c0d1e2f3a4b",
                    "local_government": "MK-KUMANOVO",
                    "association": "ZELS",
                    "approach_type": "mobile_outreach_team",
                    "title": "Mobile outreach to Roma women in rural settlements",
                    "description": "A social worker and a Roma mediator visit three settlements weekly.",
                    "women_and_girls": True,
                    "mapping_id": "3f1c2a7e-9b1d-4c55-8a0e-2b7f6d1e4a90",
                    "recommendation_ids": [],
                    "beneficiaries_planned": [ROMA_WOMEN],
                    "beneficiaries_reached": [],
                    "beneficiaries_planned_total": 120,
                    "beneficiaries_reached_total": 0,
                    "status": "planned",
                    "created_at": "2026-03-09T10:00:00Z",
                    "updated_at": "2026-03-09T10:00:00Z",
                }
            ]
        },
    )

    id: UUID
    local_government: str
    association: str | None
    approach_type: ApproachType
    title: str | None = Field(description="null when withheld")
    description: str | None = Field(description="null when withheld")
    women_and_girls: bool
    mapping_id: UUID | None
    recommendation_ids: list[UUID] = Field(description="empty when withheld")
    beneficiaries_planned: list[GroupCount] = Field(description="by group; empty when withheld")
    beneficiaries_reached: list[GroupCount] = Field(description="by group; empty when withheld")
    beneficiaries_planned_total: int = 0
    beneficiaries_reached_total: int = 0
    status: ApproachStatus
    created_at: datetime
    updated_at: datetime
    withheld: bool = Field(
        default=False,
        description="outside your reading scope: only the public fields (type, marker, status, totals) are shown",
    )


# What an approach shows outside the reader's scope in place of its own (README *Security*, who reads what).
WITHHELD_APPROACH: dict[str, Any] = {
    "title": None,
    "description": None,
    "mapping_id": None,
    "recommendation_ids": [],
    "beneficiaries_planned": [],
    "beneficiaries_reached": [],
    "withheld": True,
}


class ApproachSummary(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "total": 10,
                    "women_and_girls": 2,
                    "by_status": {"planned": 8, "in_progress": 2},
                    "by_type": {"mobile_outreach_team": 3, "day_care_centre": 2, "social_dialogue_forum": 2},
                    "by_local_government": {"MK-KUMANOVO": 1, "AL-SHKODER": 1},
                    "beneficiaries_planned": 1430,
                    "beneficiaries_reached": 0,
                }
            ]
        }
    )

    total: int
    women_and_girls: int = Field(description="approaches that carry the women-and-girls marker")
    by_status: dict[str, int]
    by_type: dict[str, int]
    by_local_government: dict[str, int]
    beneficiaries_planned: int
    beneficiaries_reached: int
