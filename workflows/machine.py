"""The lifecycle as a pure state machine: what an event or a clock does to a recommendation, and what it says.

The Temporal workflow is a thin shell around this: it feeds events and the time in, and publishes what comes out.
"""

from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from contracts.envelope import EventPayload
from contracts.lifecycle import (
    DraftIdle,
    MilestoneDueSoon,
    MilestoneEscalated,
    MilestoneOverdue,
    MilestonesPlanned,
    RecommendationStatus,
    ReviewOverdue,
    StatusChanged,
    TransitionRejected,
)
from contracts.roadmaps import (
    MilestoneRescheduled,
    PlannedMilestone,
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
    RecommendationWithdrawn,
)
from contracts.social_approaches import MilestoneReported
from contracts.working_group import (
    COMMENT_MAX_LENGTH,
    COMMENTS_MAX,
    ChangesRequested,
    ImplementationReturned,
    ImplementationVerified,
    RecommendationRejected,
    ReviewStarted,
)
from workflows import clocks as clock_kinds
from workflows.clocks import Clock, pending
from workflows.messages import (
    DomainEvent,
    LifecycleClocks,
    LifecycleState,
    MilestoneReport,
    MilestoneState,
    StatusAsOf,
    TimelineEntry,
)
from workflows.provenance import NO_PROOF
from workflows.transitions import FINAL, TransitionRefused, next_status

S = RecommendationStatus
# Which field of its cause holds what a status change says in words.
SAID_IN = {
    ChangesRequested.TYPE: "comments",
    ImplementationReturned.TYPE: "reasons",
    RecommendationRejected.TYPE: "reason",
    ImplementationVerified.TYPE: "note",
    RecommendationWithdrawn.TYPE: "reason",
}
# Enough to absorb any realistic redelivery; older ids fall off so that the set stays bounded.
SEEN_LIMIT = 5_000


class LifecycleMachine:
    def __init__(self, state: LifecycleState, clocks: LifecycleClocks) -> None:
        self.state = state
        self.clocks = clocks
        self._seen = set(state.seen_event_ids)
        self._effects: dict[str, Callable[[DomainEvent], list[EventPayload]]] = {
            RecommendationDrafted.TYPE: self._drafted,
            RecommendationRevised.TYPE: self._revised,
            RecommendationSubmitted.TYPE: self._submitted,
            ReviewStarted.TYPE: self._review_started,
            ChangesRequested.TYPE: self._changes_requested,
            RecommendationAssigned.TYPE: self._assigned,
            MilestoneRescheduled.TYPE: self._rescheduled,
            MilestoneReported.TYPE: self._reported,
        }

    # ---- events -------------------------------------------------------------------------------------------

    def apply(self, event: DomainEvent, now: datetime) -> list[EventPayload]:
        """Apply a domain event once; a refused one changes nothing but the timeline and says why."""
        if event.id in self._seen:
            return []
        return self._numbered(self._outcome(event, now))

    def refuse_unproven(self, event: DomainEvent) -> None:
        """An event without the bridge's proof: kept in the timeline as refused, and nothing else. Its id is not
        remembered (a forgery must not pre-empt the real event of that id), and nothing is published: a
        `transition_rejected` would answer the producer as if a command of its own had been refused."""
        self._record(event, self.state.status, None, NO_PROOF)

    def _outcome(self, event: DomainEvent, now: datetime) -> list[EventPayload]:
        self._remember(event.id)
        before = self.state.status
        try:
            after = next_status(before, event.type)
            self._check(event)
        except TransitionRefused as refused:
            self._record(event, before, None, refused.reason)
            return [self._rejection(event, refused.reason)]
        effect = self._effects.get(event.type)
        outputs = effect(event) if effect else []
        if event.type == MilestoneReported.TYPE and all(m.done for m in self.state.milestones):
            after = S.IMPLEMENTED
        self.state.status = after
        if after in FINAL:
            self.state.final_since = now
        self._record(event, before, after, None)
        if after is not before:
            outputs.append(self._status_changed(event, before, after))
        return outputs

    def _check(self, event: DomainEvent) -> None:
        """Guards beyond the state table: a milestone event must name a planned milestone of its LG."""
        if event.type not in (MilestoneRescheduled.TYPE, MilestoneReported.TYPE):
            return
        milestone = self._milestone(event.data["milestone_id"])
        if milestone is None:
            raise TransitionRefused(f"milestone {event.data['milestone_id']} is not in the plan")
        reporter = event.data.get("local_government")
        if reporter is not None and reporter != milestone.local_government:
            raise TransitionRefused(
                f"milestone {milestone.milestone_id} is assigned to {milestone.local_government}, not {reporter}"
            )

    def _drafted(self, event: DomainEvent) -> list[EventPayload]:
        data = event.data
        self.state.association = data["association"]
        self.state.code = data["code"]
        self.state.title = data["title"]
        self.state.programme = data.get("programme")
        self.state.version = data["version"]
        self.state.correlation_id = event.correlation_id
        self.state.drafting_since = event.time
        return []

    def _revised(self, event: DomainEvent) -> list[EventPayload]:
        self.state.version = event.data["version"]
        self.state.drafting_since = event.time
        return []

    def _submitted(self, event: DomainEvent) -> list[EventPayload]:
        self.state.version = event.data["version"]
        self.state.submitted_at = event.time
        return []

    def _review_started(self, event: DomainEvent) -> list[EventPayload]:
        self.state.reviewers = list(event.data.get("reviewers", []))
        return []

    def _changes_requested(self, event: DomainEvent) -> list[EventPayload]:
        self.state.drafting_since = event.time
        return []

    def _assigned(self, event: DomainEvent) -> list[EventPayload]:
        assigned = RecommendationAssigned.model_validate(event.data)
        self.state.local_governments = list(assigned.local_governments)
        self.state.milestones = [
            MilestoneState(m.milestone_id, m.title, m.due_date, m.local_government, list(m.indicators))
            for m in assigned.milestones
        ]
        return [self._plan()]

    def _rescheduled(self, event: DomainEvent) -> list[EventPayload]:
        milestone = self._milestone(event.data["milestone_id"])
        assert milestone is not None  # _check made sure
        milestone.due_date = date.fromisoformat(event.data["due_date"])
        return [self._plan()]

    def _reported(self, event: DomainEvent) -> list[EventPayload]:
        milestone = self._milestone(event.data["milestone_id"])
        assert milestone is not None  # _check made sure
        report = MilestoneReport(
            report_id=UUID(event.data["report_id"]),
            status=event.data["status"],
            evidence_count=len(event.data.get("evidence", [])),
            time=event.time,
        )
        milestone.reports.append(report)
        return []

    # ---- clocks -------------------------------------------------------------------------------------------

    def next_deadline(self) -> datetime | None:
        clocks = pending(self.state, self.clocks)
        return clocks[0].at if clocks else None

    def fire_due_clocks(self, now: datetime) -> list[EventPayload]:
        due = [c for c in pending(self.state, self.clocks) if c.at <= now]
        self.state.fired_clocks.extend(c.key for c in due)
        return self._numbered([self._clock_event(c) for c in due])

    def _clock_event(self, clock: Clock) -> EventPayload:
        rec = self.state.recommendation_id
        association = self.state.association or ""
        if clock.kind == clock_kinds.REVIEW_OVERDUE:
            assert self.state.submitted_at is not None
            return ReviewOverdue(
                recommendation_id=rec, association=association, submitted_at=self.state.submitted_at, due_at=clock.at
            )
        if clock.kind == clock_kinds.DRAFT_IDLE:
            assert self.state.drafting_since is not None
            return DraftIdle(recommendation_id=rec, association=association, idle_since=self.state.drafting_since)
        milestone = clock.milestone
        assert milestone is not None
        kind = {
            clock_kinds.MILESTONE_DUE_SOON: MilestoneDueSoon,
            clock_kinds.MILESTONE_OVERDUE: MilestoneOverdue,
            clock_kinds.MILESTONE_ESCALATED: MilestoneEscalated,
        }[clock.kind]
        return kind(
            recommendation_id=rec,
            milestone_id=milestone.milestone_id,
            association=association,
            local_government=milestone.local_government,
            title=milestone.title,
            due_date=milestone.due_date,
        )

    def final_grace_over(self, now: datetime) -> bool:
        since = self.state.final_since
        return since is not None and now >= since + self.clocks.final_grace

    # ---- queries ------------------------------------------------------------------------------------------

    def status_as_of(self, at: datetime) -> StatusAsOf:
        applied = [e for e in self.state.timeline if e.applied and e.time <= at and e.to_status is not e.from_status]
        if not applied:
            return StatusAsOf(at=at, status=None, since=None)
        last = applied[-1]
        return StatusAsOf(at=at, status=last.to_status, since=last.time)

    # ---- helpers ------------------------------------------------------------------------------------------

    def _numbered(self, events: list[EventPayload]) -> list[EventPayload]:
        """Each event (all are lifecycle events) takes its recommendation's next number: events of one workflow
        task share their time, so readers order by this."""
        numbered = []
        for event in events:
            self.state.last_sequence += 1
            numbered.append(event.model_copy(update={"sequence": self.state.last_sequence}))
        return numbered

    def _remember(self, event_id: UUID) -> None:
        self._seen.add(event_id)
        self.state.seen_event_ids.append(event_id)
        if len(self.state.seen_event_ids) > SEEN_LIMIT:
            dropped = self.state.seen_event_ids.pop(0)
            self._seen.discard(dropped)

    def _milestone(self, milestone_id: str | UUID) -> MilestoneState | None:
        wanted = UUID(str(milestone_id))
        return next((m for m in self.state.milestones if m.milestone_id == wanted), None)

    def _record(self, event: DomainEvent, before: S | None, after: S | None, reason: str | None) -> None:
        self.state.timeline.append(
            TimelineEntry(
                event_id=event.id,
                event_type=event.type,
                time=event.time,
                actor=event.actor,
                from_status=before,
                to_status=after,
                applied=reason is None,
                reason=reason,
                comments=said(event),
            )
        )

    def _plan(self) -> MilestonesPlanned:
        return MilestonesPlanned(
            recommendation_id=self.state.recommendation_id,
            association=self.state.association or "",
            milestones=[
                PlannedMilestone(
                    milestone_id=m.milestone_id,
                    title=m.title,
                    due_date=m.due_date,
                    local_government=m.local_government,
                    indicators=m.indicators,
                )
                for m in self.state.milestones
            ],
        )

    def _status_changed(self, event: DomainEvent, before: S | None, after: S) -> StatusChanged:
        return StatusChanged(
            recommendation_id=self.state.recommendation_id,
            from_status=before,
            to_status=after,
            cause_event_id=event.id,
            cause_event_type=event.type,
            association=self.state.association,
            version=self.state.version or None,
            cause_time=event.time,
            comments=said(event),
        )

    def _rejection(self, event: DomainEvent, reason: str) -> TransitionRejected:
        return TransitionRejected(
            recommendation_id=self.state.recommendation_id,
            status=self.state.status,
            rejected_event_id=event.id,
            rejected_event_type=event.type,
            reason=reason,
        )


def said(event: DomainEvent) -> list[str]:
    """What an event said in words, within the lifecycle contract's bounds (a cause from before the working group's
    API bounded them must not fail the workflow)."""
    name = SAID_IN.get(event.type)
    written = event.data.get(name) if name else None
    words = [written] if isinstance(written, str) else list(written or [])
    return [w[:COMMENT_MAX_LENGTH] for w in words if w][:COMMENTS_MAX]
