"""The bridge: domain events from Kafka become signals to the lifecycle workflow of their recommendation."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from temporalio.client import Client

from contracts.envelope import Envelope
from contracts.registry import InvalidEvent
from contracts.topics import ROADMAPS, SOCIAL_APPROACHES, WORKING_GROUP
from sori.health import health_router, install_metrics
from sori.kafka import make_broker, subscribe_envelopes
from sori.settings import Settings
from sori.temporal import connect_temporal, temporal_reachable
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import DomainEvent, LifecycleInput
from workflows.transitions import LIFECYCLE_EVENT_TYPES

DOMAIN_TOPICS = (ROADMAPS, WORKING_GROUP, SOCIAL_APPROACHES)
GROUP = "lifecycle-bridge"


class LifecycleBridge:
    def __init__(self, task_queue: str) -> None:
        self.task_queue = task_queue
        self.client: Client | None = None

    async def forward(self, envelope: Envelope) -> None:
        """Signal-with-start: the first event of a recommendation starts its workflow, later ones join it."""
        if envelope.type not in LIFECYCLE_EVENT_TYPES:
            return
        if self.client is None:
            raise RuntimeError("the bridge is not connected to Temporal yet")
        try:
            recommendation_id = UUID(envelope.subject)
        except ValueError as exc:
            raise InvalidEvent(f"subject {envelope.subject!r} is not a recommendation id") from exc
        await self.client.start_workflow(
            RecommendationLifecycle.run,
            LifecycleInput(recommendation_id=recommendation_id),
            id=workflow_id(recommendation_id),
            task_queue=self.task_queue,
            start_signal="apply",
            start_signal_args=[DomainEvent.from_envelope(envelope)],
        )


def create_app(settings: Settings | None = None, broker: KafkaBroker | None = None) -> FastAPI:
    settings = settings or Settings()
    broker = broker or make_broker(settings, client_id="sori-bridge")
    bridge = LifecycleBridge(settings.temporal_task_queue)
    subscribe_envelopes(broker, topics=DOMAIN_TOPICS, group_id=GROUP, handler=bridge.forward, name="on_domain_event")

    async def temporal_ok() -> bool:
        return bridge.client is not None and await temporal_reachable(bridge.client)

    async def broker_ok() -> bool:
        return await broker.ping(timeout=1.0)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        bridge.client = await connect_temporal(settings)
        await broker.start()
        try:
            yield
        finally:
            await broker.stop()

    app = FastAPI(title="SoRi lifecycle bridge", lifespan=lifespan)
    app.state.settings = settings
    install_metrics(app)
    app.include_router(health_router({"broker": broker_ok, "temporal": temporal_ok}))
    return app
