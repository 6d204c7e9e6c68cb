"""The lifecycle on Temporal's time-skipping test server, with a real worker on a fresh task queue."""

import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select
from temporalio.client import Client, WorkflowHandle
from temporalio.runtime import BUFFERED_METRIC_KIND_COUNTER, MetricBuffer, Runtime, TelemetryConfig
from temporalio.testing import WorkflowEnvironment

from contracts.envelope import Envelope
from contracts.registry import parse_event
from sori.db import Database
from sori.outbox import outbox_table
from sori.settings import Settings
from sori.temporal import DATA_CONVERTER
from tests.polling import eventually
from workflows.activities import LifecycleActivities
from workflows.bridge import signal_lifecycle
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import DomainEvent, LifecycleClocks, LifecycleState
from workflows.provenance import lifecycle_key, proven
from workflows.worker import SPEC, lifecycle_worker

TEST_SERVER = Path(sys.prefix) / "bin" / "temporal-test-server"
DEV_SERVER = Path(sys.prefix) / "bin" / "temporal"


@dataclass
class LifecycleWorld:
    client: Client
    task_queue: str
    db: Database
    env: WorkflowEnvironment
    # The key the bridge proves its events with, and the worker checks them with.
    key: bytes

    def recommendation(self, clocks: LifecycleClocks | None = None) -> "Recommendation":
        return Recommendation(self, uuid4(), clocks or LifecycleClocks())

    async def published(self) -> list[Envelope]:
        async with self.db.reading() as session:
            rows = (await session.execute(select(outbox_table.c.body).order_by(outbox_table.c.seq))).scalars()
            return [parse_event(body) for body in rows]


@dataclass
class Recommendation:
    """One recommendation's lifecycle under test, driven the way the bridge drives it."""

    world: LifecycleWorld
    id: UUID
    clocks: LifecycleClocks

    async def send(self, *events: DomainEvent) -> None:
        for event in events:
            await self.send_in_one_signal([event])

    def proven(self, event: DomainEvent) -> DomainEvent:
        """The event with the proof the bridge would give it."""
        return proven(self.world.key, event, self.id)

    async def send_in_one_signal(self, events: list[DomainEvent]) -> None:
        """As the bridge sends a poll's events of one recommendation."""
        world = self.world
        await signal_lifecycle(world.client, world.task_queue, self.id, events, self.clocks, world.key)

    @property
    def handle(self) -> WorkflowHandle[RecommendationLifecycle, LifecycleState]:
        return self.world.client.get_workflow_handle_for(RecommendationLifecycle.run, workflow_id(self.id))

    async def state(self) -> LifecycleState:
        return await self.handle.query(RecommendationLifecycle.state)

    async def settles_after(self, applied: int) -> LifecycleState:
        """The state once `applied` events are in the timeline (applied or refused)."""
        return await eventually(self.state, until=lambda s: len(s.timeline) >= applied)

    async def published(self, event_type: str | None = None) -> list[Envelope]:
        mine = [e for e in await self.world.published() if e.subject == str(self.id)]
        return [e for e in mine if event_type is None or e.type == event_type]

    async def published_exactly(self, count: int, event_type: str | None = None) -> list[Envelope]:
        """The events of a type once `count` are in the outbox: the local activity writes them after the
        timeline (which queries see) has moved on."""
        return await eventually(lambda: self.published(event_type), until=lambda found: len(found) == count)


@asynccontextmanager
async def running_world(
    settings: Settings, env: WorkflowEnvironment, client: Client | None = None
) -> AsyncIterator[LifecycleWorld]:
    db = Database(settings, SPEC.name, SPEC.metadata)
    await db.create_schema()
    client = client or env.client
    task_queue = settings.temporal_task_queue if client is not env.client else f"lifecycle-{uuid4()}"
    key = lifecycle_key(settings)
    try:
        async with lifecycle_worker(client, task_queue, LifecycleActivities(db, key), settings):
            yield LifecycleWorld(client, task_queue, db, env, key)
    finally:
        await env.shutdown()
        await db.drop_schema()
        await db.dispose()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Every workflow test runs its workflows in Temporal's sandbox, which refuses a non-deterministic call."""
    return settings.model_copy(update={"workflow_sandbox": True})


@pytest.fixture
async def time_skipping() -> AsyncIterator[WorkflowEnvironment]:
    env = await time_skipping_server()
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[LifecycleWorld]:
    """Temporal's time-skipping test server: timers of days pass at once."""
    env = await time_skipping_server()
    async with running_world(settings, env) as world:
        yield world


async def time_skipping_server() -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_time_skipping(
        data_converter=DATA_CONVERTER, test_server_existing_path=str(TEST_SERVER)
    )


async def dev_server() -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_local(
        data_converter=DATA_CONVERTER,
        dev_server_existing_path=str(DEV_SERVER),
        dev_server_extra_args=["--headless"],
    )


@pytest.fixture
async def dev_world(settings: Settings) -> AsyncIterator[LifecycleWorld]:
    """The real Temporal dev server (the one `sori up` runs), for what the test server does differently:
    it drops a signal-with-start that arrives after a continue-as-new."""
    async with running_world(settings, await dev_server()) as world:
        yield world


@dataclass
class ForgetfulWorld(LifecycleWorld):
    metrics: MetricBuffer

    def counted(self) -> Counter[str]:
        """Each counter's total since the last call."""
        totals: Counter[str] = Counter()
        for update in self.metrics.retrieve_updates():
            if update.metric.kind == BUFFERED_METRIC_KIND_COUNTER:
                totals[update.metric.name] += int(update.value)
        return totals


@pytest.fixture
async def forgetful_world(settings: Settings) -> AsyncIterator[ForgetfulWorld]:
    """The dev server, and a worker that keeps one lifecycle in memory and counts what its Temporal core does."""
    env = await dev_server()
    metrics = MetricBuffer(10_000)
    runtime = Runtime(telemetry=TelemetryConfig(metrics=metrics))
    client = await Client.connect(
        env.client.service_client.config.target_host, runtime=runtime, data_converter=DATA_CONVERTER
    )
    keeping_one = settings.model_copy(update={"workflow_cache_size": 1})
    async with running_world(keeping_one, env, client) as world:
        yield ForgetfulWorld(world.client, world.task_queue, world.db, world.env, world.key, metrics)
