"""The composition root every service shares: settings → database → broker → relay → routers → subscribers."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from uuid import UUID

from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.registry import InvalidEvent
from sori.batches import BatchHandler, Delivery, subscribe_envelope_batches
from sori.db import Database
from sori.errors import document_refusals, install_error_handlers
from sori.health import ReadinessCheck, health_router, install_metrics
from sori.inbox import claim_all
from sori.kafka import KafkaSink, make_broker, start_broker
from sori.outbox import OutboxRelay
from sori.retry import until_it_works
from sori.settings import Settings
from sori.telemetry import TracingMiddleware, configure_tracing, continued

EventHandler = Callable[[AsyncSession, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class Consumer:
    """What a service reacts to: its consumer group, its topics, and one handler per event type."""

    group: str
    topics: tuple[str, ...]
    handlers: Mapping[str, EventHandler]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    metadata: MetaData
    routers: Sequence[APIRouter]
    consumer: Consumer | None = None
    description: str = ""
    # Work that lives as long as the service beside its HTTP API, e.g. the Temporal worker.
    companion: Callable[["ServiceRuntime"], AbstractAsyncContextManager[None]] | None = None


class _Refused(Exception):
    def __init__(self, event_id: UUID, reason: str) -> None:
        super().__init__(reason)
        self.event_id = event_id
        self.reason = reason


def once_per_event(db: Database, consumer: Consumer) -> BatchHandler:
    """Apply a poll's events in one transaction, each at most once (the inbox records it in the same transaction).

    An event its handler declares invalid is left out and the poll applied again without it, so that one bad event
    costs a rollback, not the other events' effects.
    """

    async def apply_new(session: AsyncSession, deliveries: Sequence[Delivery]) -> None:
        fresh = await claim_all(session, consumer.group, [d.envelope.id for d in deliveries])
        for delivery in deliveries:
            envelope = delivery.envelope
            if envelope.id not in fresh:
                continue
            fresh.discard(envelope.id)  # the same event twice in one poll is applied once
            with continued(delivery.traceparent, f"consume {delivery.topic} ({consumer.group})"):
                try:
                    await consumer.handlers[envelope.type](session, envelope)
                except InvalidEvent as exc:
                    raise _Refused(envelope.id, str(exc)) from exc

    async def handle(deliveries: Sequence[Delivery]) -> Mapping[UUID, str]:
        refused: dict[UUID, str] = {}
        while True:
            handled = [d for d in deliveries if d.envelope.type in consumer.handlers and d.envelope.id not in refused]
            try:
                async with db.transaction() as session:
                    await apply_new(session, handled)
                return refused
            except _Refused as refusal:
                refused[refusal.event_id] = refusal.reason

    return handle


class ServiceRuntime:
    def __init__(self, spec: ServiceSpec, settings: Settings, broker: KafkaBroker | None = None) -> None:
        self.spec = spec
        self.settings = settings
        self.db = Database(settings, spec.name, spec.metadata)
        self.broker = broker or make_broker(settings, client_id=f"sori-{spec.name}")
        self.relay = OutboxRelay(self.db.sessions, KafkaSink(self.broker), settings.outbox_batch_size, spec.name)
        self.db.after_commit(self.relay.wake)
        if spec.consumer:
            subscribe_envelope_batches(
                self.broker,
                topics=spec.consumer.topics,
                group_id=spec.consumer.group,
                handler=once_per_event(self.db, spec.consumer),
                name=f"{spec.name}_events",
            )
        self._relay_task: asyncio.Task[None] | None = None
        self._broker_task: asyncio.Task[None] | None = None
        self.checks: dict[str, ReadinessCheck] = {"database": self.db.ping, "broker": self.broker_reachable}

    async def start(self) -> None:
        await self.db.create_schema()
        # Writes do not wait for the broker: the relay keeps them until it is reachable, and /readyz says so.
        self._relay_task = asyncio.create_task(self.relay.run(self.settings.outbox_poll_seconds))
        self._broker_task = asyncio.create_task(until_it_works("Kafka", lambda: start_broker(self.broker)))

    async def stop(self) -> None:
        for task in (self._broker_task, self._relay_task):
            if task:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
        await self.broker.stop()
        await self.db.dispose()

    async def broker_reachable(self) -> bool:
        return await self.broker.ping(timeout=1.0)


def create_service_app(spec: ServiceSpec, settings: Settings, broker: KafkaBroker | None = None) -> FastAPI:
    runtime = ServiceRuntime(spec, settings, broker)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            if spec.companion:
                async with spec.companion(runtime):
                    yield
            else:
                yield
        finally:
            await runtime.stop()

    app = FastAPI(title=spec.title, description=spec.description, version="1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.db = runtime.db
    app.state.runtime = runtime
    install_error_handlers(app)
    document_refusals(app)
    install_metrics(app)
    configure_tracing(spec.name)
    app.add_middleware(TracingMiddleware)
    app.include_router(health_router(runtime.checks))
    for router in spec.routers:
        app.include_router(router)
    return app
