"""Notification tables: people and their preferences (which the API takes as they are), notices, mails to send,
webhooks and their deliveries."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID, uuid4

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


class Person(PersonBase, NotificationsTable, table=True):
    __table_args__ = (UniqueConstraint("sub"),)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    created_at: datetime = Moment(default_factory=now)


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
