"""The envelope every SoRi event travels in, and its wire form: a CloudEvent 1.0 in the JSON event format.

In Python the envelope keeps its own names (`correlation_id`, an `Actor`); on the wire they are CloudEvents
attributes: extension attributes are lowercase letters and digits only, and their values are strings, so the actor
is three of them. `contracts/wire.py` reads this form and the one written before it.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Final, Generic, Literal, NotRequired, Protocol
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SerializeAsAny, TypeAdapter
from typing_extensions import TypedDict, TypeIs, TypeVar

SPECVERSION: Final = "1.0"
# The Kafka protocol binding's structured mode: a record's value is the whole event, its content-type header says so.
CONTENT_TYPE = "application/cloudevents+json"
DATA_CONTENT_TYPE: Final = "application/json"
# A header naming the event's type, so that a consumer skips an event it does not handle without parsing it. Not
# `ce_type`: a `ce_` header marks a record as the binding's binary mode, whose value would be the data alone.
TYPE_HEADER = "sori-type"
# `dataschema`: a stable name, not a place; `urn:sori:schema:T` is the file contracts/schemas/T.json.
SCHEMA_URN = "urn:sori:schema:"


def source_of(service: str) -> str:
    """The CloudEvents `source` of what a service (or the lifecycle) sends: a URI reference naming it."""
    return f"/sori/{service}"


def is_cloudevent(body: bytes) -> bool:
    """Whether SoRi wrote this body as a CloudEvent: `to_json` begins with the specversion, the envelope before it
    with the id."""
    return body.startswith(b'{"specversion":"1.0"')


def schema_of(event_type: str) -> str:
    return SCHEMA_URN + event_type


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
    source: str = Field(min_length=1, max_length=200)
    subject: str = Field(min_length=1, max_length=100)
    time: AwareDatetime
    correlation_id: UUID
    causation_id: UUID | None = None
    actor: Actor
    data: SerializeAsAny[P]

    def to_json(self) -> bytes:
        """The event as a structured-mode CloudEvent (JSON event format)."""
        event: CloudEvent = {
            "specversion": SPECVERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time,
            "datacontenttype": DATA_CONTENT_TYPE,
            "dataschema": schema_of(self.type),
            "correlationid": self.correlation_id,
            "actorsub": self.actor.sub,
            "actororg": self.actor.org,
            "actorrole": self.actor.role,
            "data": self.data,
        }
        if self.causation_id:
            event["causationid"] = self.causation_id
        return CLOUD_EVENT.dump_json(event)


# A typed dict, not a model: `to_json` fills it and dumps it in a third of the time a model would take to be built.
class CloudEvent(TypedDict):
    """A SoRi event as it travels: a CloudEvent 1.0 in the JSON event format (Kafka structured mode).
    `Envelope.to_json` writes it; `contracts/wire.py` reads it."""

    specversion: Literal["1.0"]
    id: UUID
    source: Annotated[str, Field(max_length=200, description="the sending service, e.g. `/sori/roadmaps`")]
    type: Annotated[str, Field(description="the versioned event type; names the payload in `data`")]
    subject: Annotated[str, Field(max_length=100, description="what the event is about, e.g. a recommendation's id")]
    time: AwareDatetime
    datacontenttype: Literal["application/json"]
    dataschema: Annotated[
        str, Field(description=f"`{SCHEMA_URN}<type>`: the JSON Schema contracts/schemas/<type>.json")
    ]
    correlationid: Annotated[UUID, Field(description="the id of the first event of the chain this one belongs to")]
    causationid: NotRequired[Annotated[UUID, Field(description="the id of the event that caused this one, if any")]]
    actorsub: Annotated[str, Field(max_length=200, description="who caused it: the person's (or lifecycle's) subject")]
    actororg: Annotated[str, Field(max_length=50, description="the code of that actor's organisation")]
    actorrole: Annotated[Role, Field(description="that actor's role")]
    data: SerializeAsAny[EventPayload]


CLOUD_EVENT = TypeAdapter(CloudEvent)


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
    """Wrap a payload sent by the service named `source`; an event caused by another one inherits its correlation
    id."""
    own_id = event_id or uuid4()
    return Envelope(
        id=own_id,
        type=payload.TYPE,
        source=source_of(source),
        subject=subject,
        time=time or datetime.now(UTC),
        correlation_id=caused_by.correlation_id if caused_by else own_id,
        causation_id=caused_by.id if caused_by else None,
        actor=actor,
        data=payload,
    )
