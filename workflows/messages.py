"""The inputs, signals, queries and results of the lifecycle workflow: one small type each."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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
    # The W3C traceparent of the command that caused it: the lifecycle events it causes join that trace.
    trace_context: str | None = None
    # The bridge's proof that it read the event from a SoRi topic (workflows/provenance.py); none, and it is refused.
    proof: str | None = None

    @classmethod
    def from_envelope(cls, envelope: Envelope, trace_context: str | None = None) -> "DomainEvent":
        return cls(
            id=envelope.id,
            type=envelope.type,
            time=envelope.time,
            actor=envelope.actor,
            correlation_id=envelope.correlation_id,
            data=envelope.data.model_dump(mode="json"),
            trace_context=trace_context,
        )


@dataclass
class LifecycleClocks:
    """How long things may take; from settings, overridable per programme."""

    review_due_after: timedelta = timedelta(days=14)
    milestone_reminder_before: timedelta = timedelta(days=7)
    escalation_after: timedelta = timedelta(days=7)
    # Overdue this long after the due day begins (UTC): by default once the due day has passed.
    milestone_overdue_after: timedelta = timedelta(days=1)
    draft_idle_after: timedelta = timedelta(days=30)
    # A final recommendation's workflow stays open this long to answer late events with a refusal.
    final_grace: timedelta = timedelta(days=30)


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
    # What the event said in words (the working group's comments or reasons, a reason, a note).
    comments: list[str] = field(default_factory=list)


@dataclass
class MilestoneReport:
    report_id: UUID
    status: str
    evidence_count: int
    time: datetime


@dataclass
class MilestoneState:
    milestone_id: UUID
    title: str
    due_date: date
    local_government: str
    indicators: list[str] = field(default_factory=list)
    reports: list[MilestoneReport] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return any(r.status == "done" and r.evidence_count > 0 for r in self.reports)


@dataclass
class LifecycleState:
    recommendation_id: UUID
    status: RecommendationStatus | None = None
    version: int = 0
    association: str | None = None
    code: str | None = None
    title: str | None = None
    programme: str | None = None
    correlation_id: UUID | None = None
    drafting_since: datetime | None = None
    submitted_at: datetime | None = None
    final_since: datetime | None = None
    reviewers: list[str] = field(default_factory=list)
    local_governments: list[str] = field(default_factory=list)
    milestones: list[MilestoneState] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    fired_clocks: list[str] = field(default_factory=list)
    seen_event_ids: list[UUID] = field(default_factory=list)
    # The number of the last lifecycle event made: the next takes the one after, across continue-as-new.
    last_sequence: int = 0


@dataclass
class LifecycleInput:
    recommendation_id: UUID
    clocks: LifecycleClocks = field(default_factory=LifecycleClocks)
    carried: LifecycleState | None = None
    # Signals that arrived while continuing as new, applied first by the next run.
    pending: list[DomainEvent] = field(default_factory=list)
    continue_after_events: int = 10_000


@dataclass
class StatusAsOf:
    at: datetime
    status: RecommendationStatus | None
    since: datetime | None


@dataclass
class RecordLifecycleEvents:
    """Lifecycle envelopes, as JSON, for the activity to put in the workflows' outbox, each with its trace."""

    events: list[str]
    trace_contexts: list[str | None] = field(default_factory=list)


@dataclass
class EventToCheck:
    event_id: UUID
    event_type: str
    proof: str | None


@dataclass
class CheckProvenance:
    """Events that arrived at a lifecycle, for the worker to check the bridge's proof of (it holds the key)."""

    recommendation_id: UUID
    events: list[EventToCheck]


@dataclass
class ClosedLifecycle:
    """A lifecycle that has ended: the bridge starts no new one for its recommendation."""

    recommendation_id: UUID
    status: RecommendationStatus
    closed_at: datetime
