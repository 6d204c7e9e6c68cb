"""API bodies of the working group's members."""

from datetime import datetime
from uuid import UUID

from services.working_group.models import MemberBase, with_examples


class MemberCreate(MemberBase):
    pass


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
