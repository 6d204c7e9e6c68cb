"""Notification tables and API schemas: people and their preferences, notices, mails to send, webhooks."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import AnyHttpUrl, UrlConstraints
from sqlalchemy import JSON, LargeBinary
from sqlmodel import Field, SQLModel, UniqueConstraint

from contracts.envelope import Role
from contracts.languages import Language
from contracts.text import Code, Name, SingleLine
from sori.columns import UTCDateTime
from sori.tables import service_registry


def now() -> datetime:
    return datetime.now(UTC)


def Moment(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class NotificationsTable(SQLModel, registry=service_registry("notifications")):
    pass


class Channel(StrEnum):
    EMAIL = "email"
    PORTAL = "portal"


class Frequency(StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"


class Preferences(SQLModel):
    language: Language = Field(default=Language.ENGLISH, max_length=10)
    channel: Channel = Field(default=Channel.EMAIL, max_length=10, description="email: mail and inbox; portal: inbox")
    frequency: Frequency = Field(default=Frequency.IMMEDIATE, max_length=10, description="daily: one digest a day")


class PersonBase(Preferences):
    sub: Name = Field(description="the subject in the person's tokens")
    name: Name
    # The address's shape is what the OpenAPI shows; the control characters a mail header must not hold go too.
    email: Annotated[str, SingleLine(320, min_length=3, pattern=r"^[^@\s]+@[^@\s]+$")]
    organisation: Code = Field(index=True, description="code: NALAS, ZELS, an LG …")
    role: Role = Field(max_length=20)


class PersonCreate(PersonBase):
    pass


class Person(PersonBase, NotificationsTable, table=True):
    __table_args__ = (UniqueConstraint("sub"),)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    created_at: datetime = Moment(default_factory=now)


class PersonPublic(PersonBase):
    id: UUID
    created_at: datetime


class Assignment(NotificationsTable, table=True):
    """The local governments assigned to a recommendation, from its latest milestone plan."""

    recommendation_id: UUID = Field(primary_key=True)
    local_government: str = Field(primary_key=True, max_length=50)


class Notice(NotificationsTable, table=True):
    """One notice for one person about one event: their inbox entry, and what their mail or digest says."""

    __table_args__ = (UniqueConstraint("event_id", "person_id"),)
    id: UUID = Field(primary_key=True)
    event_id: UUID
    event_type: str = Field(max_length=150)
    person_id: UUID = Field(index=True)
    recommendation_id: UUID
    kind: str = Field(max_length=40)
    language: str = Field(max_length=10)
    subject: str
    body: str
    created_at: datetime = Moment(default_factory=now, index=True)
    read_at: datetime | None = Moment(default=None)
    awaits_digest: bool = Field(default=False, index=True)
    digest_id: UUID | None = None


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


class Mail(NotificationsTable, table=True):
    """A mail to send (one notice, or one person's digest of a day): kept until the SMTP server has taken it, or
    abandoned when it can never go (it cannot be composed), with the reason in last_error."""

    id: UUID = Field(primary_key=True)
    person_id: UUID
    recipient: str = Field(max_length=320)
    subject: str
    body: str
    created_at: datetime = Moment(default_factory=now)
    attempts: int = 0
    next_attempt_at: datetime = Moment(default_factory=now, index=True)
    sent_at: datetime | None = Moment(default=None, index=True)
    abandoned_at: datetime | None = Moment(default=None)
    last_error: str | None = None


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


class Webhook(NotificationsTable, table=True):
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    url: str = Field(max_length=2000)
    event_types: list[str] = Field(default_factory=list, sa_type=JSON)
    organisation: str | None = Field(default=None, max_length=50)
    secret: str = Field(max_length=100)
    enabled: bool = True
    consecutive_failures: int = 0
    disabled_reason: str | None = None
    created_at: datetime = Moment(default_factory=now)


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
    secret: str = Field(description="shown this once: the key of the HMAC-SHA256 signature of every delivery")


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    ABANDONED = "abandoned"


class Delivery(NotificationsTable, table=True):
    """One event for one webhook, with how its attempts went."""

    __table_args__ = (UniqueConstraint("webhook_id", "event_id"),)
    id: UUID = Field(primary_key=True)
    webhook_id: UUID = Field(index=True)
    event_id: UUID
    event_type: str = Field(max_length=150)
    body: bytes = Field(sa_type=LargeBinary)
    status: DeliveryStatus = Field(default=DeliveryStatus.PENDING, max_length=20, index=True)
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = None
    created_at: datetime = Moment(default_factory=now)
    next_attempt_at: datetime = Moment(default_factory=now)
    delivered_at: datetime | None = Moment(default=None)


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
