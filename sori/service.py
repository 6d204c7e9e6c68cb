"""The composition root every service shares: settings → database → broker → relay → routers → subscribers."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar
from uuid import UUID

import structlog
from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from sqlalchemy import MetaData
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp

from contracts.envelope import Envelope, EventPayload, carries
from contracts.registry import PAYLOADS, InvalidEvent
from sori.batches import BatchHandler, Delivery, subscribe_envelope_batches
from sori.db import Database
from sori.errors import BODY_LIMIT, SaysWhyTooLarge, document_refusals, install_error_handlers
from sori.health import ReadinessCheck, ReadinessWarning, health_router, install_metrics
from sori.heap import keep_startup_objects
from sori.idempotency import utc_now
from sori.inbox import claim_all
from sori.kafka import KafkaSink, make_broker, start_broker
from sori.metrics import EVENT_FAILURES
from sori.migrations import migrate
from sori.outbox import QUEUED_EVENTS, OutboxRelay
from sori.retry import until_it_works
from sori.settings import Settings
from sori.telemetry import FASTAPI_TELEMETRY, TracingMiddleware, configure_tracing, continued

log = structlog.get_logger()

P = TypeVar("P", bound=EventPayload)


class PollWork(Protocol):
    """How a consumer applies one poll's new events in the poll's transaction: it may first prepare for them all
    (e.g. load what they touch), then applies each in turn (InvalidEvent refuses one), then finishes."""

    async def prepare(self, events: Sequence[Envelope]) -> None: ...

    async def apply(self, event: Envelope) -> None: ...

    async def finish(self) -> None: ...


class ApplyAgain(Exception):
    """What a poll read was changed under it by another transaction, in a way no lock could prevent (a row it found
    missing was created meanwhile): the poll is rolled back and applied again at once, in a new transaction that
    sees the other's change."""


class EventConsumer(Protocol):
    """What a service reacts to: its consumer group, its topics, the event types it takes and how it applies them."""

    @property
    def group(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...

    def takes(self, event_type: str) -> bool: ...

    def poll(self, session: AsyncSession) -> PollWork: ...


Handler = Callable[[AsyncSession, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class On:
    """A handler and the payload class it takes (see `on`)."""

    payload: type[EventPayload]
    handle: Handler


def on(payload: type[P], handle: Callable[[AsyncSession, Envelope[P]], Awaitable[None]]) -> On:
    """`handle` takes the events of this payload class: mypy checks that it takes envelopes of that class, and it is
    given only those whose payload is exactly of it."""

    async def exactly(session: AsyncSession, event: Envelope) -> None:
        if not carries(event, payload):
            raise TypeError(f"{event.type} is not a {payload.__name__}")
        await handle(session, event)

    return On(payload, exactly)


class Handles(Protocol):
    @property
    def payload(self) -> type[EventPayload]: ...


H = TypeVar("H", bound=Handles)


def by_payload(*handlers: H) -> Mapping[type[EventPayload], H]:
    """Handlers keyed by the payload class each takes; one per class."""
    keyed = {handler.payload: handler for handler in handlers}
    if len(keyed) < len(handlers):
        raise ValueError("two handlers for one payload class")
    return keyed


@dataclass(frozen=True)
class Consumer:
    """A consumer with one handler per payload class, each given the poll's session in turn."""

    group: str
    topics: tuple[str, ...]
    handlers: Mapping[type[EventPayload], On]

    def takes(self, event_type: str) -> bool:
        return PAYLOADS.get(event_type) in self.handlers

    def poll(self, session: AsyncSession) -> PollWork:
        return _EachInTurn(session, self.handlers)


@dataclass(frozen=True)
class _EachInTurn:
    session: AsyncSession
    handlers: Mapping[type[EventPayload], On]

    async def prepare(self, events: Sequence[Envelope]) -> None:
        pass

    async def apply(self, event: Envelope) -> None:
        # The registry parsed the payload into the class of its type: that class chooses the handler.
        await self.handlers[type(event.data)].handle(self.session, event)

    async def finish(self) -> None:
        pass


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    metadata: MetaData
    routers: Sequence[APIRouter]
    consumer: EventConsumer | None = None
    description: str = ""
    # Work that lives as long as the service beside its HTTP API, e.g. the Temporal worker.
    companion: Callable[["ServiceRuntime"], AbstractAsyncContextManager[None]] | None = None
    # The folder of its Alembic revisions (sori.migrations); None only for a test's spec, whose tables are made as
    # its models say.
    migrations: Path | None = None


class _Refused(Exception):
    def __init__(self, event_id: UUID, reason: str) -> None:
        super().__init__(reason)
        self.event_id = event_id
        self.reason = reason


class _Failed(Exception):
    """A handler raised on one event for a reason of its own (not the database or the network going away)."""

    def __init__(self, event_id: UUID, error: Exception) -> None:
        super().__init__(repr(error))
        self.event_id = event_id
        self.error = error


# A handler that raises on one event gets this many tries before the event is dead-lettered, so that one event cannot
# stall its consumer; lost connections are not the event's fault and rewind the whole poll, however often.
MAX_EVENT_ATTEMPTS = 3
RETRY_PAUSE_SECONDS = 0.2
# Each race lost means another transaction created one of the poll's rows, which the next attempt finds: a poll
# loses few. Losing more points at a row the poll cannot find (a bug); then it is rewound after a pause, as on failure.
MAX_POLL_RACES = 10
OUTAGES = (OSError, TimeoutError, OperationalError, InterfaceError)


def once_per_event(db: Database, consumer: EventConsumer) -> BatchHandler:
    """Apply a poll's events in one transaction, each at most once (the inbox records it in the same transaction).

    An event its handler declares invalid is left out and the poll applied again without it, so that one bad event
    costs a rollback, not the other events' effects.
    """

    async def apply_new(session: AsyncSession, deliveries: Sequence[Delivery]) -> None:
        fresh = await claim_all(session, consumer.group, [d.envelope.id for d in deliveries])
        new = []
        for delivery in deliveries:
            if delivery.envelope.id in fresh:
                fresh.discard(delivery.envelope.id)  # the same event twice in one poll is applied once
                new.append(delivery)
        work = consumer.poll(session)
        await work.prepare([d.envelope for d in new])
        for delivery in new:
            envelope = delivery.envelope
            with continued(delivery.traceparent, f"consume {delivery.topic} ({consumer.group})"):
                try:
                    await work.apply(envelope)
                except InvalidEvent as exc:
                    raise _Refused(envelope.id, str(exc)) from exc
                except OUTAGES:
                    raise
                except Exception as exc:
                    raise _Failed(envelope.id, exc) from exc
        await work.finish()

    async def handle(deliveries: Sequence[Delivery]) -> Mapping[UUID, str]:
        refused: dict[UUID, str] = {}
        attempts: Counter[UUID] = Counter()
        races = 0
        while True:
            handled = [d for d in deliveries if consumer.takes(d.envelope.type) and d.envelope.id not in refused]
            if not handled:
                # A poll of a shared topic may hold nothing for this consumer: then no transaction, and no commit
                # that would wake the outbox relay or mark the dashboard's answer stale for nothing.
                return refused
            try:
                async with db.transaction() as session:
                    await apply_new(session, handled)
                return refused
            except _Refused as refusal:
                refused[refusal.event_id] = refusal.reason
            except ApplyAgain as lost:
                races += 1
                log.info("poll applied again", consumer=consumer.group, attempt=races, reason=str(lost))
                if races >= MAX_POLL_RACES:
                    raise
            except _Failed as failure:
                attempts[failure.event_id] += 1
                EVENT_FAILURES.labels(consumer.group).inc()
                tries = attempts[failure.event_id]
                log.warning(
                    "event handler failed",
                    consumer=consumer.group,
                    event_id=str(failure.event_id),
                    attempt=tries,
                    error=repr(failure.error),
                )
                if tries >= MAX_EVENT_ATTEMPTS:
                    refused[failure.event_id] = f"handler failed {tries} times: {failure.error!r}"
                else:
                    await asyncio.sleep(RETRY_PAUSE_SECONDS * tries)

    return handle


class ServiceRuntime:
    def __init__(self, spec: ServiceSpec, settings: Settings, broker: KafkaBroker | None = None) -> None:
        self.spec = spec
        self.settings = settings
        self.db = Database(settings, spec.name, spec.metadata)
        self.broker = broker or make_broker(settings, client_id=f"sori-{spec.name}")
        self.relay = OutboxRelay(self.db.sessions, KafkaSink(self.broker), settings.outbox_batch_size, spec.name)
        self.db.after_commit(self.relay.wake, wrote=QUEUED_EVENTS)
        if spec.consumer:
            subscribe_envelope_batches(
                self.broker,
                topics=spec.consumer.topics,
                group_id=spec.consumer.group,
                handler=once_per_event(self.db, spec.consumer),
                takes=spec.consumer.takes,
                name=f"{spec.name}_events",
            )
        self._relay_task: asyncio.Task[None] | None = None
        self._broker_task: asyncio.Task[None] | None = None
        self.checks: dict[str, ReadinessCheck] = {"database": self.db.ping, "broker": self.broker_reachable}
        self.warnings: dict[str, ReadinessWarning] = {"outbox": self.relay.readiness_warning}

    async def start(self) -> None:
        if self.spec.migrations:
            log.info("migrated", migration=str(await migrate(self.db, self.spec.name, self.spec.migrations)))
        else:
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
        """Whether the broker answers; not asked until the broker's start has finished.

        While it starts, its admin client knows no broker yet, and a ping logs an aiokafka error for each try ("Unable
        connect to node with id None"), ten a second, for what is only a start under way: /readyz is polled meanwhile.
        """
        task = self._broker_task
        started = task is not None and task.done() and not task.cancelled()
        return started and await self.broker.ping(timeout=1.0)


class _ServiceApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        return SaysWhyTooLarge(super().build_middleware_stack())  # outermost: the one place a 413 is plain text


def create_service_app(spec: ServiceSpec, settings: Settings, broker: KafkaBroker | None = None) -> FastAPI:
    runtime = ServiceRuntime(spec, settings, broker)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        keep_startup_objects()
        try:
            if spec.companion:
                async with spec.companion(runtime):
                    yield
            else:
                yield
        finally:
            await runtime.stop()

    app = _ServiceApp(
        title=spec.title,
        description=spec.description,
        version="1.0",
        lifespan=lifespan,
        telemetry=FASTAPI_TELEMETRY,
        max_body_size=BODY_LIMIT,
    )
    app.state.settings = settings
    app.state.db = runtime.db
    app.state.runtime = runtime
    app.state.clock = utc_now  # what Idempotency-Key's expiry reads; a test may turn it
    install_error_handlers(app)
    document_refusals(app)
    install_metrics(app)
    configure_tracing(spec.name)
    app.add_middleware(TracingMiddleware)
    app.include_router(health_router(runtime.checks, runtime.warnings))
    for router in spec.routers:
        app.include_router(router)
    return app
