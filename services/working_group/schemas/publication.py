"""API body of a publication decision: what the public side shows of one item."""

from typing import Annotated

from sqlmodel import Field, SQLModel

from contracts.text import NOTE, MultiLine
from contracts.working_group import Visibility
from services.working_group.models import with_examples


class PublicationDecision(SQLModel):
    model_config = with_examples(
        {"visibility": "withheld", "reason": "The municipality asked us to wait for its council's vote."},
        {"visibility": "as_the_rules_say"},
    )

    visibility: Visibility
    reason: Annotated[str, MultiLine(NOTE, min_length=0)] = Field(
        default="", description="why (internal, never shown publicly); required to withhold or to publish"
    )
