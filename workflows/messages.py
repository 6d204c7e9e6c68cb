"""The inputs, signals and results of the lifecycle workflow: one small type each."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from contracts.envelope import Actor, Envelope
from contracts.lifecycle import RecommendationStatus


@dataclass
class DomainEvent:
    """A fact from a domain service that concerns one recommendation's lifecycle."""

    id: UUID
    type: str
    time: datetime
    actor: Actor
    correlation_id: UUID
    data: dict[str, Any]

    @classmethod
    def from_envelope(cls, envelope: Envelope) -> "DomainEvent":
        return cls(
            id=envelope.id,
            type=envelope.type,
            time=envelope.time,
            actor=envelope.actor,
            correlation_id=envelope.correlation_id,
            data=envelope.data.model_dump(mode="json"),
        )


@dataclass
class TimelineEntry:
    event_id: UUID
    event_type: str
    time: datetime
    actor: Actor
    from_status: RecommendationStatus | None
    to_status: RecommendationStatus | None
    applied: bool
    reason: str | None = None


@dataclass
class LifecycleState:
    recommendation_id: UUID
    status: RecommendationStatus | None = None
    version: int = 0
    timeline: list[TimelineEntry] = field(default_factory=list)


@dataclass
class LifecycleInput:
    recommendation_id: UUID


@dataclass
class RecordLifecycleEvents:
    """Lifecycle envelopes, as JSON, for the activity to put in the workflows' outbox."""

    events: list[str]
