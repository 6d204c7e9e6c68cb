"""API bodies of meetings: agenda, attendance, minutes and the decisions taken in them."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from sqlmodel import Field, SQLModel

from contracts.text import MANY, MultiLine, Name
from services.working_group.models import MeetingBase, with_examples
from services.working_group.schemas import EXAMPLE_MEETING, EXAMPLE_RECOMMENDATION

MEMBERS = 200  # more than a working group ever has
EXAMPLE_DECISION = {
    "recommendation_id": EXAMPLE_RECOMMENDATION,
    "event_type": "sori.working_group.recommendation.endorsed.v1",
    "version": 2,
    "decided_by": "jana@zels",
    "meeting_id": EXAMPLE_MEETING,
    "decided_at": "2026-12-03T11:30:00Z",
}


class MeetingCreate(MeetingBase):
    model_config = with_examples(
        {"date": "2026-12-03", "title": "WG meeting, Skopje", "agenda": [EXAMPLE_RECOMMENDATION]}
    )

    agenda: list[UUID] = Field(default_factory=list, max_length=MANY, description="recommendations to review")


class DecisionPublic(SQLModel):
    recommendation_id: UUID
    event_type: str
    version: int | None
    decided_by: str
    meeting_id: UUID | None
    decided_at: datetime


class MeetingPublic(MeetingBase):
    model_config = with_examples(
        {
            "id": EXAMPLE_MEETING,
            "date": "2026-12-03",
            "title": "WG meeting, Skopje",
            "agenda": [EXAMPLE_RECOMMENDATION],
            "attendance": ["jana@zels"],
            "minutes": "Endorsed the day-care recommendation.",
            "decisions": [EXAMPLE_DECISION],
            "created_at": "2026-11-20T09:00:00Z",
        }
    )

    id: UUID
    agenda: list[UUID]
    attendance: list[str]
    minutes: str
    decisions: list[DecisionPublic] = Field(default_factory=list, description="decisions taken in the meeting")
    created_at: datetime


class AttendanceUpdate(SQLModel):
    model_config = with_examples({"present": ["jana@zels", "goran@skgo"]})

    present: list[Name] = Field(max_length=MEMBERS, description="subjects of the registered members who attended")


class MinutesUpdate(SQLModel):
    model_config = with_examples({"text": "Endorsed the day-care recommendation."})

    text: Annotated[str, MultiLine(50_000)]
