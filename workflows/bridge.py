"""The bridge: domain events from Kafka become signals to the lifecycle workflow of their recommendation."""

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from uuid import UUID

import structlog
from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from contracts.registry import PAYLOADS
from contracts.topics import topics_of
from sori.batches import Delivery, subscribe_envelope_batches
from sori.db import Database
from sori.health import health_router, install_metrics
from sori.heap import keep_startup_objects
from sori.kafka import make_broker, start_broker
from sori.metrics import CLOSED_LIFECYCLE_EVENTS
from sori.retry import until_it_works
from sori.settings import Settings
from sori.telemetry import FASTAPI_TELEMETRY, configure_tracing, continued, current_trace_context
from sori.temporal import connect_temporal, temporal_reachable
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import DomainEvent, LifecycleClocks, LifecycleInput
from workflows.provenance import lifecycle_key, proven
from workflows.tables import DATABASE, WorkflowsTable, closed_among, readable
from workflows.transitions import LIFECYCLE_EVENT_TYPES

# Where the events that move a lifecycle are published.
DOMAIN_TOPICS = topics_of(PAYLOADS[event_type] for event_type in LIFECYCLE_EVENT_TYPES)
GROUP = "lifecycle-bridge"
log = structlog.get_logger()


CLOCK_SETTINGS = {
    "review_due_days": "review_due_after",
    "milestone_reminder_days": "milestone_reminder_before",
    "escalation_days": "escalation_after",
    "milestone_overdue_days": "milestone_overdue_after",
    "draft_idle_days": "draft_idle_after",
    "final_grace_days": "final_grace",
}


def clocks_for(settings: Settings, programme: str | None) -> LifecycleClocks:
    """The durations in settings, with the programme's own overrides on top."""
    days = {name: float(getattr(settings, name)) for name in CLOCK_SETTINGS}
    overrides = settings.programme_clocks.get(programme or "", {})
    unknown = set(overrides) - set(CLOCK_SETTINGS)
    if unknown:
        raise ValueError(f"SORI_PROGRAMME_CLOCKS for {programme!r} names unknown clocks: {sorted(unknown)}")
    days.update(overrides)
    return LifecycleClocks(**{CLOCK_SETTINGS[name]: timedelta(days=value) for name, value in days.items()})


async def signal_lifecycle(
    client: Client,
    task_queue: str,
    recommendation_id: UUID,
    events: Sequence[DomainEvent],
    clocks: LifecycleClocks,
    key: bytes,
) -> None:
    """Signal-with-start: the first events of a recommendation start its workflow, later ones join it. Each carries
    the proof that the bridge read it from a topic: the workflow applies no event without one."""
    await client.start_workflow(
        RecommendationLifecycle.run,
        LifecycleInput(recommendation_id, clocks=clocks),
        id=workflow_id(recommendation_id),
        task_queue=task_queue,
        start_signal="apply_all",
        start_signal_args=[[proven(key, event, recommendation_id) for event in events]],
        # A closed lifecycle (final, past its grace period) must not start again from scratch.
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
    )


class LifecycleBridge:
    """Forwards a poll's lifecycle events: one signal per recommendation, every recommendation at once."""

    def __init__(self, settings: Settings, workflows_db: Database) -> None:
        self.settings = settings
        self.key = lifecycle_key(settings)
        self.workflows_db = workflows_db
        self.client: Client | None = None

    async def forward(self, deliveries: Sequence[Delivery]) -> Mapping[UUID, str]:
        refused: dict[UUID, str] = {}
        by_recommendation: dict[UUID, list[Delivery]] = defaultdict(list)
        for delivery in deliveries:
            envelope = delivery.envelope
            if envelope.type not in LIFECYCLE_EVENT_TYPES:
                continue
            try:
                by_recommendation[UUID(envelope.subject)].append(delivery)
            except ValueError:
                refused[envelope.id] = f"subject {envelope.subject!r} is not a recommendation id"
        if by_recommendation and self.client is None:
            raise RuntimeError("the bridge is not connected to Temporal yet")
        await self._drop_closed(by_recommendation)
        await asyncio.gather(*(self._signal(rid, group) for rid, group in by_recommendation.items()))
        return refused

    async def _drop_closed(self, by_recommendation: dict[UUID, list[Delivery]]) -> None:
        """A closed lifecycle is not started again: once Temporal has forgotten its run, a redelivered event (a refill,
        a reset of offsets, a replay) would begin it from scratch and move a final recommendation back everywhere."""
        async with self.workflows_db.reading() as session:
            closed = await closed_among(session, by_recommendation)
        for recommendation_id in closed:
            dropped = by_recommendation.pop(recommendation_id)
            CLOSED_LIFECYCLE_EVENTS.inc(len(dropped))
            log.info(
                "lifecycle is closed; events dropped",
                recommendation=str(recommendation_id),
                event_ids=[str(d.envelope.id) for d in dropped],
            )

    async def _signal(self, recommendation_id: UUID, deliveries: list[Delivery]) -> None:
        assert self.client is not None
        first = deliveries[0]
        with continued(first.traceparent, f"consume {first.topic} ({GROUP})"):
            events = [
                DomainEvent.from_envelope(d.envelope, trace_context=d.traceparent or current_trace_context())
                for d in deliveries
            ]
            programme = getattr(first.envelope.data, "programme", None)
            clocks = clocks_for(self.settings, programme)
            queue = self.settings.temporal_task_queue
            try:
                await signal_lifecycle(self.client, queue, recommendation_id, events, clocks, self.key)
            except WorkflowAlreadyStartedError:
                log.warning(
                    "lifecycle is closed; events not applied",
                    recommendation=str(recommendation_id),
                    event_ids=[str(e.id) for e in events],
                )


def create_app(settings: Settings | None = None, broker: KafkaBroker | None = None) -> FastAPI:
    settings = settings or Settings()
    broker = broker or make_broker(settings, client_id="sori-bridge")
    # The workflows' own database, where the worker records the lifecycles that have closed.
    workflows_db = Database(settings, DATABASE, WorkflowsTable.metadata)
    bridge = LifecycleBridge(settings, workflows_db)
    subscribe_envelope_batches(
        broker,
        topics=DOMAIN_TOPICS,
        group_id=GROUP,
        handler=bridge.forward,
        takes=LIFECYCLE_EVENT_TYPES.__contains__,
        name="on_domain_events",
    )

    async def temporal_ok() -> bool:
        return bridge.client is not None and await temporal_reachable(bridge.client)

    async def broker_ok() -> bool:
        return await broker.ping(timeout=1.0)

    async def database_ok() -> bool:
        async with workflows_db.reading() as session:
            return await readable(session)

    async def connect() -> None:
        # No event is forwarded before the closed lifecycles can be read.
        await until_it_works("the closed lifecycles", database_ok)
        bridge.client = await until_it_works("Temporal", lambda: connect_temporal(settings))
        await until_it_works("Kafka", lambda: start_broker(broker))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The bridge starts without its infrastructure; /readyz reports what it is still waiting for.
        connecting = asyncio.create_task(connect())
        keep_startup_objects()
        try:
            yield
        finally:
            connecting.cancel()
            with suppress(asyncio.CancelledError):
                await connecting
            await broker.stop()
            await workflows_db.dispose()

    app = FastAPI(title="SoRi lifecycle bridge", lifespan=lifespan, telemetry=FASTAPI_TELEMETRY)
    app.state.settings = settings
    install_metrics(app)
    configure_tracing("bridge")
    app.include_router(health_router({"broker": broker_ok, "temporal": temporal_ok, "database": database_ok}))
    return app
