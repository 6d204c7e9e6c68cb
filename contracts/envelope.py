"""The CloudEvents-shaped envelope that every SoRi event travels in."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import ClassVar, Generic, Protocol
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SerializeAsAny
from typing_extensions import TypeIs, TypeVar


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
    """Base of every payload; a subclass names its versioned event type in TYPE, and its producer's base (one per
    producer) the topic it is published on in TOPIC."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]
    TOPIC: ClassVar[str]


# Covariant: an envelope is frozen, so an Envelope[StatusChanged] is an Envelope[EventPayload]. A bare `Envelope`
# is one of any payload.
P = TypeVar("P", bound=EventPayload, covariant=True, default=EventPayload)


class Envelope(BaseModel, Generic[P]):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: UUID
    type: str = Field(pattern=r"^sori\.[a-z_]+\.[a-z_]+\.[a-z_]+\.v[0-9]+$")
    source: str
    subject: str = Field(min_length=1, max_length=100)
    time: AwareDatetime
    correlation_id: UUID
    causation_id: UUID | None = None
    actor: Actor
    data: SerializeAsAny[P]

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()


class Cause(Protocol):
    """What an event caused by another needs of it: that one's id and the correlation it belongs to."""

    @property
    def id(self) -> UUID: ...

    @property
    def correlation_id(self) -> UUID: ...


Q = TypeVar("Q", bound=EventPayload)


def carries(event: Envelope, payload: type[Q]) -> TypeIs[Envelope[Q]]:
    """Whether the event's payload is exactly of this class (what a handler registered for the class receives)."""
    return type(event.data) is payload


def new_event(
    payload: Q,
    *,
    subject: str,
    actor: Actor,
    source: str,
    caused_by: Cause | None = None,
    event_id: UUID | None = None,
    time: datetime | None = None,
) -> Envelope[Q]:
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
