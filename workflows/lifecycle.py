"""RecommendationLifecycle: one workflow per recommendation that applies the facts concerning it, once each,
runs its clocks, and publishes what happened through the workflows' outbox.

The rules are in workflows/machine.py (the state table in workflows/transitions.py); this is the Temporal shell.
A change that alters what an existing history would do must be guarded with `workflow.patched`, and the replay
test over tests/workflow/histories/ fails when one is not.
"""

import asyncio
import contextlib
from datetime import datetime, timedelta
from uuid import UUID

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.envelope import Actor, Envelope, EventPayload, Role, new_event
    from workflows.activities import LifecycleActivities
    from workflows.machine import LifecycleMachine
    from workflows.messages import (
        CheckProvenance,
        ClosedLifecycle,
        DomainEvent,
        EventToCheck,
        LifecycleInput,
        LifecycleState,
        RecordLifecycleEvents,
        StatusAsOf,
        TimelineEntry,
    )

SOURCE = "lifecycle"
RECORD_TIMEOUT = timedelta(seconds=30)
# Lifecycles from before these changes replay as they ran: events applied unchecked, the end not recorded.
CHECKS_PROOF = "check-bridge-proof"
RECORDS_CLOSE = "record-closed-lifecycle"
# Who speaks when a clock fires: the lifecycle itself, on NALAS's behalf.
CLOCK_ACTOR = Actor(sub="sori-lifecycle", org="NALAS", role=Role.NALAS)


def workflow_id(recommendation_id: UUID | str) -> str:
    return f"recommendation-{recommendation_id}"


@workflow.defn
class RecommendationLifecycle:
    @workflow.init
    def __init__(self, start: LifecycleInput) -> None:
        state = start.carried or LifecycleState(recommendation_id=start.recommendation_id)
        self._machine = LifecycleMachine(state, start.clocks)
        self._arrived: list[DomainEvent] = list(start.pending)

    @workflow.run
    async def run(self, start: LifecycleInput) -> LifecycleState:
        while not (self._machine.final_grace_over(workflow.now()) and not self._arrived):
            await self._wait_for_event_or_clock()
            await self._publish(await self._take_arrived() + self._fire_clocks())
            if self._history_is_long(start):
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(
                    LifecycleInput(
                        recommendation_id=start.recommendation_id,
                        clocks=start.clocks,
                        carried=self._machine.state,
                        pending=self._arrived,
                        continue_after_events=start.continue_after_events,
                    )
                )
        await self._record_closed()
        return self._machine.state

    @workflow.signal
    def apply(self, event: DomainEvent) -> None:
        self._arrived.append(event)

    @workflow.signal
    def apply_all(self, events: list[DomainEvent]) -> None:
        """The events of one Kafka poll that concern this recommendation, in their order: one signal for them all."""
        self._arrived.extend(events)

    @workflow.query
    def state(self) -> LifecycleState:
        return self._machine.state

    @workflow.query
    def timeline(self) -> list[TimelineEntry]:
        return self._machine.state.timeline

    @workflow.query
    def status_as_of(self, at: datetime) -> StatusAsOf:
        return self._machine.status_as_of(at)

    async def _wait_for_event_or_clock(self) -> None:
        deadline = self._machine.next_deadline()
        final_since = self._machine.state.final_since
        if final_since is not None:
            grace_end = final_since + self._machine.clocks.final_grace
            deadline = min(deadline, grace_end) if deadline else grace_end
        timeout = max((deadline - workflow.now()).total_seconds(), 0.001) if deadline else None
        with contextlib.suppress(asyncio.TimeoutError):
            await workflow.wait_condition(lambda: bool(self._arrived), timeout=timeout)

    async def _take_arrived(self) -> list[tuple[DomainEvent | None, EventPayload]]:
        batch, self._arrived = self._arrived, []
        now = workflow.now()
        outputs: list[tuple[DomainEvent | None, EventPayload]] = []
        for event, proven in zip(batch, await self._proven(batch), strict=True):
            if proven:
                outputs += [(event, payload) for payload in self._machine.apply(event, now)]
            else:
                self._machine.refuse_unproven(event)
        return outputs

    async def _proven(self, batch: list[DomainEvent]) -> list[bool]:
        """Which events carry the bridge's proof, asked of the worker, which holds the key (the workflow must not)."""
        if not batch or not workflow.patched(CHECKS_PROOF):
            return [True] * len(batch)
        check = CheckProvenance(
            recommendation_id=self._machine.state.recommendation_id,
            events=[EventToCheck(e.id, e.type, e.proof) for e in batch],
        )
        return await workflow.execute_local_activity_method(
            LifecycleActivities.check_provenance, check, start_to_close_timeout=RECORD_TIMEOUT
        )

    async def _record_closed(self) -> None:
        """The end, kept outside Temporal, which forgets a closed run after its retention."""
        state = self._machine.state
        if state.status is None or not workflow.patched(RECORDS_CLOSE):
            return
        closed = ClosedLifecycle(state.recommendation_id, state.status, workflow.now())
        await workflow.execute_local_activity_method(
            LifecycleActivities.record_closed, closed, start_to_close_timeout=RECORD_TIMEOUT
        )

    def _fire_clocks(self) -> list[tuple[DomainEvent | None, EventPayload]]:
        return [(None, payload) for payload in self._machine.fire_due_clocks(workflow.now())]

    async def _publish(self, outputs: list[tuple[DomainEvent | None, EventPayload]]) -> None:
        """One local activity per batch: every lifecycle event leaves through the workflows' outbox."""
        if not outputs:
            return
        envelopes = [self._envelope(cause, payload) for cause, payload in outputs]
        await workflow.execute_local_activity_method(
            LifecycleActivities.record_lifecycle_events,
            RecordLifecycleEvents(
                events=[e.to_json().decode() for e in envelopes],
                trace_contexts=[cause.trace_context if cause else None for cause, _ in outputs],
            ),
            start_to_close_timeout=RECORD_TIMEOUT,
        )

    def _envelope(self, cause: DomainEvent | None, payload: EventPayload) -> Envelope:
        # workflow.uuid4() is replay-stable, so a retried activity writes the same event id (a no-op).
        state = self._machine.state
        envelope = new_event(
            payload,
            subject=str(state.recommendation_id),
            actor=cause.actor if cause else CLOCK_ACTOR,
            source=SOURCE,
            caused_by=cause,
            event_id=workflow.uuid4(),
            time=workflow.now(),
        )
        if cause is None and state.correlation_id:
            # A clock's event has no single cause; it belongs to the recommendation's correlation.
            envelope = envelope.model_copy(update={"correlation_id": state.correlation_id})
        return envelope

    def _history_is_long(self, start: LifecycleInput) -> bool:
        info = workflow.info()
        return info.is_continue_as_new_suggested() or info.get_current_history_length() > start.continue_after_events
