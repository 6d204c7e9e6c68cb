"""Working-group tables: members, meetings, the review queue, review comments and decisions, actions and who took
part in them."""

from datetime import UTC, datetime
from datetime import date as Date
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import ConfigDict
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel, UniqueConstraint

from contracts.figures import Figure
from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from contracts.text import CODE, FEW, NAME, Code, Name, Note, SingleLine, Title
from contracts.working_group import ActionKind, AgeBand, OrganisationType, Sex
from sori.tables import service_registry


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


class Member(MemberBase, WorkingGroupTable, table=True):
    __table_args__ = (UniqueConstraint("sub"),)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    created_at: datetime = Field(default_factory=now)


class MeetingBase(SQLModel):
    date: Date
    title: Title


class Meeting(MeetingBase, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    agenda: list[str] = Field(default_factory=list, sa_type=JSON)
    attendance: list[str] = Field(default_factory=list, sa_type=JSON)
    minutes: str = Field(default="")
    created_at: datetime = Field(default_factory=now)


class QueuedRecommendation(WorkingGroupTable, table=True):
    """What the lifecycle topic said about a recommendation: enough to review it without asking anyone."""

    recommendation_id: UUID = Field(primary_key=True)
    status: RecommendationStatus = Field(max_length=30, index=True)
    association: str | None = Field(default=None, max_length=50)
    version: int = Field(default=1, description="the latest text version the lifecycle named")
    submitted_at: datetime | None = None
    overdue: bool = Field(default=False)
    updated_at: datetime = Field(description="time of the fact behind the status, so a late older fact never wins")


class ReviewCommentBase(SQLModel):
    model_config = with_examples({"version": 2, "text": "Name the municipalities that will pilot it."})

    version: int = Field(ge=1, description="the text version the comment is about")
    text: Note


class ReviewComment(ReviewCommentBase, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendation_id: UUID = Field(index=True)
    author: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=now)


class DecisionRecord(WorkingGroupTable, table=True):
    """Every decision and verification taken, with the meeting it was taken in."""

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendation_id: UUID = Field(index=True)
    event_type: str = Field(max_length=150)
    version: int | None = None
    decided_by: str = Field(max_length=200)
    meeting_id: UUID | None = Field(default=None, index=True)
    decided_at: datetime = Field(default_factory=now)


class ActionStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    REPORTED = "reported"


class ActionBase(SQLModel):
    kind: ActionKind = Field(max_length=40, index=True)
    title: Title
    starts_on: Date
    ends_on: Date
    place: Name | None = Field(default=None, description="where it is held; none when only online")
    online: bool = False
    organiser: Name
    language: Language = Field(default=Language.ENGLISH, max_length=10)
    topics: list[Name] = Field(
        default_factory=list, sa_type=JSON, max_length=FEW, description="programme topics it serves"
    )
    enrolments: int | None = Field(default=None, ge=0, description="e-learning courses only")
    completions: int | None = Field(default=None, ge=0, description="e-learning courses only")


class Action(ActionBase, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendations: list[str] = Field(default_factory=list, sa_type=JSON)
    status: ActionStatus = Field(default=ActionStatus.PLANNED, max_length=20, index=True)
    created_at: datetime = Field(default_factory=now)


class TrainingSessionBase(SQLModel):
    date: Date
    region: Name
    target_body: Name = Field(description="whom the session trains")


class TrainingSession(TrainingSessionBase, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    action_id: UUID = Field(foreign_key="action.id", index=True)


PARTICIPANT_EXAMPLE: dict[str, Any] = {
    "organisation": "Municipality of Tetovo",
    "organisation_code": "MK-TETOVO",
    "organisation_type": "local_government",
    "role": "member of the council for interethnic relations",
    "sex": "female",
    "age_band": "30-44",
    "attended": True,
    "pre_score": 55,
    "post_score": 80,
}


class ParticipantBase(SQLModel):
    """One person's part in an action, without their name: only what the programme's figures need."""

    model_config = with_examples(PARTICIPANT_EXAMPLE)

    organisation: Name
    organisation_code: Annotated[str, SingleLine(CODE)] | None = Field(
        default=None,
        description="the organisation's SoRi code (an association or local government), if it has one: its people "
        "read this record; others read only counts",
    )
    organisation_type: OrganisationType = Field(max_length=30)
    role: Annotated[str, SingleLine(NAME, min_length=0)] = ""
    sex: Sex = Field(max_length=20)
    age_band: AgeBand = Field(max_length=10)
    attended: bool = True
    pre_score: Figure | None = Field(default=None, ge=0, le=100, description="assessment before, 0-100")
    post_score: Figure | None = Field(default=None, ge=0, le=100, description="assessment after, 0-100")


class Participant(ParticipantBase, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    action_id: UUID = Field(foreign_key="action.id", index=True)
    created_at: datetime = Field(default_factory=now)
