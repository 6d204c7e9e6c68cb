"""API bodies of LNOB social mappings: vulnerable groups with counts, data sources, findings and gaps."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.social_approaches import GroupCount
from contracts.text import MANY, Code, MultiLine, Reason, SingleLine, Title
from services.social_approaches.domain import MappingStatus
from services.social_approaches.schemas import ROMA_WOMEN, GroupFigures


class Finding(BaseModel):
    """A finding of a mapping; give its id to keep it across edits (recommendations link to it), or get a new one."""

    finding_id: UUID | None = None
    text: Annotated[str, MultiLine(5_000)]
    groups: list[Code] = Field(default_factory=list, max_length=MANY, description="groups the finding concerns")


class FindingPublic(Finding):
    finding_id: UUID


class MappingWrite(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "topic": "access-to-social-services",
                    "title": "LNOB mapping: access to social services",
                    "groups": [ROMA_WOMEN],
                    "data_sources": ["municipal social-welfare register 2024", "focus groups with Roma women"],
                    "findings": [{"text": "Roma women in rural settlements rarely reach the day centre"}],
                    "gaps": ["no data on persons with disabilities above 65"],
                }
            ]
        },
    )

    topic: Annotated[str, SingleLine(80)] = Field(description="the priority social topic (a reference code)")
    title: Title
    groups: list[GroupFigures] = Field(
        default_factory=list, max_length=MANY, description="vulnerable groups mapped, with counts"
    )
    data_sources: list[Title] = Field(default_factory=list, max_length=MANY)
    findings: list[Finding] = Field(default_factory=list, max_length=MANY)
    gaps: list[Reason] = Field(default_factory=list, max_length=MANY)


class MappingPublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "3f1c2a7e-9b1d-4c55-8a0e-2b7f6d1e4a90",
                    "local_government": "MK-KUMANOVO",
                    "association": "ZELS",
                    "topic": "access-to-social-services",
                    "title": "LNOB mapping: access to social services",
                    "status": "draft",
                    "groups": [ROMA_WOMEN],
                    "data_sources": ["municipal social-welfare register 2024"],
                    "findings": [
                        {
                            "finding_id": "0b9e7d4c-5a3f-4e21-9c8b-7a6d5e4f3a21",
                            "text": "Roma women in rural settlements rarely reach the day centre",
                            "groups": ["roma"],
                        }
                    ],
                    "gaps": ["no data on persons with disabilities above 65"],
                    "created_at": "2026-03-02T09:15:00Z",
                    "updated_at": "2026-03-02T09:15:00Z",
                    "completed_at": None,
                }
            ]
        },
    )

    id: UUID
    local_government: str
    association: str | None
    topic: str
    title: str
    status: MappingStatus
    groups: list[GroupCount]
    data_sources: list[str]
    findings: list[FindingPublic]
    gaps: list[str]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
