"""Notifications' API bodies: people, the inbox, webhook subscriptions and their deliveries, the local maildir."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AnyHttpUrl, UrlConstraints
from sqlmodel import Field, SQLModel

from contracts.text import Code, SingleLine
from services.notifications.models import DeliveryStatus, PersonBase


def refused(description: str) -> dict[str, Any]:
    """A 404 that a path without parameters can answer, documented as the refusal it is."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}},
    }


class PersonCreate(PersonBase):
    pass


class PersonPublic(PersonBase):
    id: UUID
    created_at: datetime


class NoticePublic(SQLModel):
    id: UUID
    event_type: str
    recommendation_id: UUID
    kind: str
    language: str
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None


class Inbox(SQLModel):
    unread: int
    notices: list[NoticePublic]


# As long as the column that keeps it.
WebhookUrl = Annotated[AnyHttpUrl, UrlConstraints(max_length=2000)]
EventTypeName = Annotated[str, SingleLine(100)]
EVENT_TYPES = 100  # more than SoRi publishes


class WebhookCreate(SQLModel):
    url: WebhookUrl
    event_types: list[EventTypeName] = Field(
        min_length=1, max_length=EVENT_TYPES, description='event types to deliver, or ["*"] for all'
    )
    organisation: Code | None = Field(default=None, description="only events concerning this org")


class WebhookChange(SQLModel):
    """What nalas changes in a subscription; a field left out stays as it is (organisation null: every org)."""

    url: WebhookUrl | None = None
    event_types: list[EventTypeName] | None = Field(default=None, min_length=1, max_length=EVENT_TYPES)
    organisation: Code | None = None
    enabled: bool | None = Field(default=None, description="true re-enables a disabled webhook, false pauses it")


class WebhookPublic(SQLModel):
    id: UUID
    url: str
    event_types: list[str]
    organisation: str | None
    enabled: bool
    consecutive_failures: int
    disabled_reason: str | None
    created_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str = Field(description="shown this once: the Standard Webhooks secret (whsec_…) that signs every delivery")


class DeliveryPublic(SQLModel):
    id: UUID
    event_id: UUID
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class LocalMail(SQLModel):
    """A mail as it lies in the local maildir (a run without SMTP_URL), for the portal to show."""

    key: str = Field(description="the message's name in the maildir")
    mail_id: UUID | None = Field(description="the mail's id in the notifications service (X-Sori-Mail-Id)")
    to: str
    subject: str
    date: datetime | None
    body: str
