"""API bodies of the programme's actions: trainings, courses, visits, conferences, and their sessions."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from contracts.text import MANY
from services.working_group.models import ActionBase, ActionStatus, TrainingSessionBase, with_examples
from services.working_group.schemas import EXAMPLE_ACTION, EXAMPLE_RECOMMENDATION

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


class TrainingSessionCreate(TrainingSessionBase):
    model_config = with_examples(
        {"date": "2027-02-14", "region": "Polog", "target_body": "councils for interethnic relations"},
        {
            "date": "2027-03-07",
            "region": "Vojvodina",
            "target_body": "national councils of national minorities",
        },
    )


class TrainingSessionPublic(TrainingSessionBase):
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
