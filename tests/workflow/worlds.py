"""The lifecycle on Temporal's time-skipping test server or the dev server, with a real worker on a fresh task
queue: the worlds the workflow tier's tests (and the history recorder) run recommendations in."""

import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

from sqlalchemy import select
from temporalio.client import Client, WorkflowHandle
from temporalio.runtime import BUFFERED_METRIC_KIND_COUNTER, MetricBuffer
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
