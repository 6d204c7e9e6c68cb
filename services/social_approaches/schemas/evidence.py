"""API bodies of evidence: a link to give, and the description of an uploaded file or a link."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.text import FILE_NAME, URL, SingleLine


class EvidenceLink(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"url": "https://kumanovo.gov.mk/day-centre-report-2025.pdf", "name": "Day-centre report"}]
        },
    )

    url: Annotated[str, SingleLine(URL)] = Field(description="an http(s) address")
    name: Annotated[str, SingleLine(FILE_NAME)]


class EvidencePublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "evidence_id": "8d3b7c1e-2f4a-4e8b-9c6d-1a2b3c4d5e6f",
                    "name": "Day-centre opening minutes.pdf",
                    "owner": "MK-KUMANOVO",
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "size": 48213,
                    "content_type": "application/pdf",
                    "url": None,
                    "created_at": "2026-04-01T08:30:00Z",
                }
            ]
        },
    )

    evidence_id: UUID = Field(validation_alias="id")
    name: str
    owner: str = Field(description="the local government it belongs to")
    sha256: str | None
    size: int | None
    content_type: str | None
    url: str | None
    created_at: datetime
