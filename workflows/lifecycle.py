"""RecommendationLifecycle: one workflow per recommendation that applies the facts concerning it, once each."""

from datetime import timedelta
from uuid import UUID

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.envelope import Envelope, EventPayload, new_event
    from contracts.lifecycle import RecommendationStatus, StatusChanged, TransitionRejected
    from workflows.activities import LifecycleActivities
    from workflows.messages import (
        DomainEvent,
        LifecycleInput,
        LifecycleState,
        RecordLifecycleEvents,
        TimelineEntry,
    )
    from workflows.transitions import TransitionRefused, next_status

SOURCE = "lifecycle"
RECORD_TIMEOUT = timedelta(seconds=30)


def workflow_id(recommendation_id: UUID | str) -> str:
    return f"recommendation-{recommendation_id}"


@workflow.defn
class RecommendationLifecycle:
    @workflow.init
    def __init__(self, start: LifecycleInput) -> None:
        self._state = LifecycleState(recommendation_id=start.recommendation_id)
        self._seen: set[UUID] = set()
        self._arrived: list[DomainEvent] = []

    @workflow.run
    async def run(self, start: LifecycleInput) -> LifecycleState:
        while True:
            await workflow.wait_condition(lambda: bool(self._arrived))
            batch, self._arrived = self._arrived, []
            outputs = [self._apply(event) for event in batch]
            await workflow.execute_local_activity_method(
                LifecycleActivities.record_lifecycle_events,
                RecordLifecycleEvents(events=[o.to_json().decode() for o in outputs]),
                start_to_close_timeout=RECORD_TIMEOUT,
            )

    @workflow.signal
    def apply(self, event: DomainEvent) -> None:
        """Each event id is taken once, however often the bridge delivers it."""
        if event.id in self._seen:
            return
        self._seen.add(event.id)
        self._arrived.append(event)

    @workflow.query
    def state(self) -> LifecycleState:
        return self._state

    def _apply(self, event: DomainEvent) -> Envelope:
        before = self._state.status
        try:
            after = next_status(before, event.type)
        except TransitionRefused as refused:
            self._record(event, before, None, refused.reason)
            return self._emit(
                event,
                TransitionRejected(
                    recommendation_id=self._state.recommendation_id,
                    status=before,
                    rejected_event_id=event.id,
                    rejected_event_type=event.type,
                    reason=refused.reason,
                ),
            )
        self._state.status = after
        self._state.version = int(event.data.get("version", self._state.version))
        self._record(event, before, after, None)
        return self._emit(
            event,
            StatusChanged(
                recommendation_id=self._state.recommendation_id,
                from_status=before,
                to_status=after,
                cause_event_id=event.id,
                cause_event_type=event.type,
            ),
        )

    def _record(
        self,
        event: DomainEvent,
        before: RecommendationStatus | None,
        after: RecommendationStatus | None,
        reason: str | None,
    ) -> None:
        self._state.timeline.append(
            TimelineEntry(
                event_id=event.id,
                event_type=event.type,
                time=event.time,
                actor=event.actor,
                from_status=before,
                to_status=after,
                applied=reason is None,
                reason=reason,
            )
        )

    def _emit(self, cause: DomainEvent, payload: EventPayload) -> Envelope:
        # workflow.uuid4() is replay-stable, so a retried activity writes the same event id (a no-op).
        return new_event(
            payload,
            subject=str(self._state.recommendation_id),
            actor=cause.actor,
            source=SOURCE,
            caused_by=cause,
            event_id=workflow.uuid4(),
            time=workflow.now(),
        )
