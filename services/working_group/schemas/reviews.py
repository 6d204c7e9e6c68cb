"""API bodies of the review queue, review comments, decisions and verification."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from sqlmodel import Field, SQLModel

from contracts.lifecycle import RecommendationStatus
from contracts.text import FEW, NOTE, MultiLine, Name, Reason
from services.working_group.models import ReviewCommentBase, with_examples
from services.working_group.schemas import EXAMPLE_MEETING, EXAMPLE_RECOMMENDATION


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


class ReviewCommentCreate(ReviewCommentBase):
    pass


class ReviewCommentPublic(ReviewCommentBase):
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
