"""API bodies of who took part in an action, and of participants as counts."""

from datetime import datetime
from typing import Any
from uuid import UUID

from services.working_group.models import PARTICIPANT_EXAMPLE, ParticipantBase, with_examples
from services.working_group.schemas import EXAMPLE_ACTION


class ParticipantCreate(ParticipantBase):
    pass


class ParticipantPublic(ParticipantBase):
    model_config = with_examples(
        {
            "id": "c4d3e2f1-0a9b-4c8d-8e7f-000000000004",
            "action_id": EXAMPLE_ACTION,
            **PARTICIPANT_EXAMPLE,
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
