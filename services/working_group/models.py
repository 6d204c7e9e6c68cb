"""Working-group tables and API schemas: members, meetings, the review queue, review comments and decisions."""

from datetime import UTC, datetime
from datetime import date as Date
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import ConfigDict
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel, UniqueConstraint

from contracts.lifecycle import RecommendationStatus
from contracts.text import FEW, MANY, NOTE, Code, MultiLine, Name, Note, Reason, Title
from sori.tables import service_registry

MEMBERS = 200  # more than a working group ever has

EXAMPLE_RECOMMENDATION = "3f0c1a52-8a43-4e0b-9d55-7d6c0f2a9e11"
EXAMPLE_MEETING = "a1b2c3d4-0000-4000-8000-000000000001"
EXAMPLE_DECISION = {
    "recommendation_id": EXAMPLE_RECOMMENDATION,
    "event_type": "sori.working_group.recommendation.endorsed.v1",
    "version": 2,
    "decided_by": "jana@zels",
    "meeting_id": EXAMPLE_MEETING,
    "decided_at": "2026-12-03T11:30:00Z",
}


def with_examples(*examples: dict[str, Any]) -> Any:
    """A schema's config with its OpenAPI examples (typed Any: SQLModel's own config type is private)."""
    return ConfigDict(json_schema_extra={"examples": list(examples)})


def now() -> datetime:
    return datetime.now(UTC)


class WorkingGroupTable(SQLModel, registry=service_registry("working_group")):
    pass


class Position(StrEnum):
    MEMBER = "member"
    CHAIR = "chair"
    SECRETARIAT = "secretariat"


class MemberBase(SQLModel):
    model_config = with_examples(
        {"sub": "jana@zels", "name": "Jana P.", "association": "ZELS", "position": "chair", "may_decide": True}
    )

    sub: Name = Field(description="the subject in the member's tokens")
    name: Name
    association: Code = Field(description="code of the member's association")
    position: Position = Field(default=Position.MEMBER, max_length=20)
    may_decide: bool = Field(default=True, description="whether the member may start reviews, decide and verify")


class MemberCreate(MemberBase):
    pass


class Member(MemberBase, WorkingGroupTable, table=True):
    __table_args__ = (UniqueConstraint("sub"),)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    created_at: datetime = Field(default_factory=now)


class MemberPublic(MemberBase):
    model_config = with_examples(
        {
            "id": "9e1d2c3b-4a5f-4e6d-8c7b-000000000002",
            "sub": "jana@zels",
            "name": "Jana P.",
            "association": "ZELS",
            "position": "chair",
            "may_decide": True,
            "created_at": "2026-11-20T09:00:00Z",
        }
    )

    id: UUID
    created_at: datetime


class MeetingBase(SQLModel):
    date: Date
    title: Title


class MeetingCreate(MeetingBase):
    model_config = with_examples(
        {"date": "2026-12-03", "title": "WG meeting, Skopje", "agenda": [EXAMPLE_RECOMMENDATION]}
    )

    agenda: list[UUID] = Field(default_factory=list, max_length=MANY, description="recommendations to review")


class Meeting(MeetingBase, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    agenda: list[str] = Field(default_factory=list, sa_type=JSON)
    attendance: list[str] = Field(default_factory=list, sa_type=JSON)
    minutes: str = Field(default="")
    created_at: datetime = Field(default_factory=now)


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
    decisions: list["DecisionPublic"] = Field(default_factory=list, description="decisions taken in the meeting")
    created_at: datetime


class AttendanceUpdate(SQLModel):
    model_config = with_examples({"present": ["jana@zels", "goran@skgo"]})

    present: list[Name] = Field(max_length=MEMBERS, description="subjects of the registered members who attended")


class MinutesUpdate(SQLModel):
    model_config = with_examples({"text": "Endorsed the day-care recommendation."})

    text: Annotated[str, MultiLine(50_000)]


class QueuedRecommendation(WorkingGroupTable, table=True):
    """What the lifecycle topic said about a recommendation: enough to review it without asking anyone."""

    recommendation_id: UUID = Field(primary_key=True)
    status: RecommendationStatus = Field(max_length=30, index=True)
    association: str | None = Field(default=None, max_length=50)
    version: int = Field(default=1, description="the latest text version the lifecycle named")
    submitted_at: datetime | None = None
    overdue: bool = Field(default=False)
    updated_at: datetime = Field(description="time of the fact behind the status, so a late older fact never wins")


class QueuedRecommendationPublic(SQLModel):
    model_config = with_examples(
        {
            "recommendation_id": EXAMPLE_RECOMMENDATION,
            "status": "submitted",
            "association": "ZELS",
            "version": 2,
            "submitted_at": "2026-11-02T10:15:00Z",
            "overdue": True,
        }
    )

    recommendation_id: UUID
    status: RecommendationStatus
    association: str | None
    version: int
    submitted_at: datetime | None
    overdue: bool


class ReviewCommentCreate(SQLModel):
    model_config = with_examples({"version": 2, "text": "Name the municipalities that will pilot it."})

    version: int = Field(ge=1, description="the text version the comment is about")
    text: Note


class ReviewComment(ReviewCommentCreate, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendation_id: UUID = Field(index=True)
    author: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=now)


class ReviewCommentPublic(ReviewCommentCreate):
    model_config = with_examples(
        {
            "id": "7c6b5a49-3827-4e16-9d05-000000000003",
            "recommendation_id": EXAMPLE_RECOMMENDATION,
            "version": 2,
            "text": "Name the municipalities that will pilot it.",
            "author": "jana@zels",
            "created_at": "2026-11-21T14:05:00Z",
        }
    )

    id: UUID
    recommendation_id: UUID
    author: str
    created_at: datetime


class DecisionRecord(WorkingGroupTable, table=True):
    """Every decision and verification taken, with the meeting it was taken in."""

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendation_id: UUID = Field(index=True)
    event_type: str = Field(max_length=150)
    version: int | None = None
    decided_by: str = Field(max_length=200)
    meeting_id: UUID | None = Field(default=None, index=True)
    decided_at: datetime = Field(default_factory=now)


class DecisionPublic(SQLModel):
    recommendation_id: UUID
    event_type: str
    version: int | None
    decided_by: str
    meeting_id: UUID | None
    decided_at: datetime


class DecisionKind(StrEnum):
    ENDORSE = "endorse"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


class VerificationOutcome(StrEnum):
    VERIFY = "verify"
    RETURN = "return"


class ReviewStart(SQLModel):
    model_config = with_examples({"reviewers": ["jana@zels"], "meeting_id": None})

    reviewers: list[Name] = Field(
        default_factory=list, max_length=FEW, description="subjects of the members who review"
    )
    meeting_id: UUID | None = None


class DecisionCreate(SQLModel):
    model_config = with_examples(
        {"decision": "endorse", "comments": [], "reason": "", "meeting_id": EXAMPLE_MEETING},
        {"decision": "request_changes", "comments": ["Add a budget line per municipality."], "reason": ""},
        {"decision": "reject", "comments": [], "reason": "Outside the programme's scope."},
    )

    decision: DecisionKind
    comments: list[Reason] = Field(default_factory=list, max_length=FEW)
    reason: Annotated[str, MultiLine(NOTE, min_length=0)] = ""
    meeting_id: UUID | None = None


class VerificationCreate(SQLModel):
    model_config = with_examples(
        {"outcome": "verify", "note": "Evidence checked on site.", "reasons": []},
        {"outcome": "return", "note": "", "reasons": ["The evaluation report is missing."]},
    )

    outcome: VerificationOutcome
    note: Annotated[str, MultiLine(NOTE, min_length=0)] = ""
    reasons: list[Reason] = Field(default_factory=list, max_length=FEW)
