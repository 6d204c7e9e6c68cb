"""The CloudEvents-shaped envelope that every SoRi event travels in."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import ClassVar, Protocol
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SerializeAsAny


class Role(StrEnum):
    NALAS = "nalas"
    LGA = "lga"
    LG = "lg"
    OBSERVER = "observer"


class Actor(BaseModel):
    """Who caused an event: the signed-in person, their organisation's code and their role."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sub: str = Field(min_length=1, max_length=200)
    org: str = Field(min_length=1, max_length=50)
    role: Role


class EventPayload(BaseModel):
    """Base of every payload; a subclass names its versioned event type in TYPE."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: UUID
    type: str = Field(pattern=r"^sori\.[a-z_]+\.[a-z_]+\.[a-z_]+\.v[0-9]+$")
    source: str
    subject: str = Field(min_length=1, max_length=100)
    time: AwareDatetime
    correlation_id: UUID
    causation_id: UUID | None = None
    actor: Actor
    data: SerializeAsAny[EventPayload]

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()


class Cause(Protocol):
    """What an event caused by another needs of it: that one's id and the correlation it belongs to."""

    @property
    def id(self) -> UUID: ...

    @property
    def correlation_id(self) -> UUID: ...


def new_event(
    payload: EventPayload,
    *,
    subject: str,
    actor: Actor,
    source: str,
    caused_by: Cause | None = None,
    event_id: UUID | None = None,
    time: datetime | None = None,
) -> Envelope:
    """Wrap a payload; an event caused by another one inherits its correlation id."""
    own_id = event_id or uuid4()
    return Envelope(
        id=own_id,
        type=payload.TYPE,
        source=source,
        subject=subject,
        time=time or datetime.now(UTC),
        correlation_id=caused_by.correlation_id if caused_by else own_id,
        causation_id=caused_by.id if caused_by else None,
        actor=actor,
        data=payload,
    )
