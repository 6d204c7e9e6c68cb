"""Tables and API schemas of the programme's actions: trainings, courses, visits, conferences, and who took part."""

from datetime import date as Date
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID, uuid4

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from contracts.figures import Figure
from contracts.languages import Language
from contracts.text import CODE, FEW, MANY, NAME, Name, SingleLine, Title
from contracts.working_group import ActionKind, AgeBand, OrganisationType, Sex
from services.working_group.models import EXAMPLE_RECOMMENDATION, WorkingGroupTable, now, with_examples

EXAMPLE_ACTION = "5d2e8f10-1c2b-4a3d-9e8f-000000000007"


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


_TRAINING_CYCLE_EXAMPLE = {
    "kind": "training_cycle",
    "title": "Training cycle for councils for interethnic relations",
    "starts_on": "2027-02-01",
    "ends_on": "2027-05-31",
    "place": "Skopje",
    "online": False,
    "organiser": "NALAS secretariat with ZELS",
    "language": "mk",
    "topics": ["interethnic relations", "LNOB social mapping"],
    "recommendations": [EXAMPLE_RECOMMENDATION],
}


class ActionCreate(ActionBase):
    model_config = with_examples(
        _TRAINING_CYCLE_EXAMPLE,
        {
            "kind": "e_learning_course",
            "title": "Leave no one behind: social mapping for municipalities",
            "starts_on": "2027-01-10",
            "ends_on": "2027-03-10",
            "online": True,
            "organiser": "NALAS e-academy",
            "language": "en",
            "enrolments": 120,
            "completions": 0,
        },
    )

    recommendations: list[UUID] = Field(
        default_factory=list, max_length=MANY, description="recommendations the action supports"
    )


class Action(ActionBase, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    recommendations: list[str] = Field(default_factory=list, sa_type=JSON)
    status: ActionStatus = Field(default=ActionStatus.PLANNED, max_length=20, index=True)
    created_at: datetime = Field(default_factory=now)


class TrainingSessionCreate(SQLModel):
    model_config = with_examples(
        {"date": "2027-02-14", "region": "Polog", "target_body": "councils for interethnic relations"},
        {
            "date": "2027-03-07",
            "region": "Vojvodina",
            "target_body": "national councils of national minorities",
        },
    )

    date: Date
    region: Name
    target_body: Name = Field(description="whom the session trains")


class TrainingSession(TrainingSessionCreate, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    action_id: UUID = Field(foreign_key="action.id", index=True)


class TrainingSessionPublic(TrainingSessionCreate):
    model_config = with_examples(
        {
            "id": "0b5f6b1e-2f4c-4b8a-8c1d-3e9a7f000001",
            "date": "2027-02-14",
            "region": "Polog",
            "target_body": "councils for interethnic relations",
        }
    )

    id: UUID


class ActionPublic(ActionBase):
    model_config = with_examples(
        {
            **_TRAINING_CYCLE_EXAMPLE,
            "id": EXAMPLE_ACTION,
            "status": "planned",
            "enrolments": None,
            "completions": None,
            "sessions": [
                {
                    "id": "0b5f6b1e-2f4c-4b8a-8c1d-3e9a7f000001",
                    "date": "2027-02-14",
                    "region": "Polog",
                    "target_body": "councils for interethnic relations",
                }
            ],
            "created_at": "2026-11-23T10:00:00Z",
        }
    )

    id: UUID
    recommendations: list[UUID]
    status: ActionStatus
    sessions: list[TrainingSessionPublic] = Field(default_factory=list)
    created_at: datetime


class EnrolmentUpdate(SQLModel):
    model_config = with_examples({"enrolments": 140, "completions": 96})

    enrolments: int = Field(ge=0)
    completions: int = Field(ge=0)


class ParticipantBase(SQLModel):
    """One person's part in an action, without their name: only what the programme's figures need."""

    model_config = with_examples(
        {
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
    )

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


class ParticipantCreate(ParticipantBase):
    pass


class Participant(ParticipantBase, WorkingGroupTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    action_id: UUID = Field(foreign_key="action.id", index=True)
    created_at: datetime = Field(default_factory=now)


class ParticipantPublic(ParticipantBase):
    model_config = with_examples(
        {
            "id": "c4d3e2f1-0a9b-4c8d-8e7f-000000000004",
            "action_id": EXAMPLE_ACTION,
            "organisation": "Municipality of Tetovo",
            "organisation_code": "MK-TETOVO",
            "organisation_type": "local_government",
            "role": "member of the council for interethnic relations",
            "sex": "female",
            "age_band": "30-44",
            "attended": True,
            "pre_score": 55,
            "post_score": 80,
            "created_at": "2027-02-14T09:30:00Z",
        }
    )

    id: UUID
    action_id: UUID
    created_at: datetime


COUNTS_EXAMPLE = {
    "participants": 18,
    "attended": 16,
    "participants_by_sex": {"female": 10, "male": 7, "other_undisclosed": 1},
    "participants_by_organisation_type": {
        "lga": 3,
        "local_government": 9,
        "central_government": 2,
        "csp_ngo": 3,
        "international": 1,
        "other": 0,
    },
    "participants_by_age_band": {"under-18": 0, "18-29": 4, "30-44": 8, "45-64": 5, "65+": 1},
    "average_pre_score": 48.5,
    "average_post_score": 71.2,
}
COUNTS_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"application/json": {"example": COUNTS_EXAMPLE}}}}
