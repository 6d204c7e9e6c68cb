"""The lifecycle worker: runs the workflow and its activities, and relays the workflows' outbox to Kafka."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from temporalio.client import Client
from temporalio.worker import PollerBehaviorSimpleMaximum, Worker

from sori.retry import until_it_works
from sori.service import ServiceRuntime, ServiceSpec, create_service_app
from sori.settings import Settings
from sori.temporal import connect_temporal, temporal_reachable, workflow_runner
from workflows.activities import LifecycleActivities
from workflows.backup_schedule import backup_worker, ensure_backup_schedule
from workflows.lifecycle import RecommendationLifecycle
from workflows.provenance import lifecycle_key
from workflows.report_schedule import ensure_report_schedule, report_worker
from workflows.tables import DATABASE, WorkflowsTable

# A new recommendation's first workflow task waits on the task queue itself, which the SDK's default polls with one
# poller (of 5, the other 4 on the sticky queue): 40 lifecycles started at once waited ~3.6 s for their first task
# (0.4 to 1.5 s with these). The bench's raw-Temporal baseline runs its worker with the same settings.
WORKFLOW_TASK_POLLERS = PollerBehaviorSimpleMaximum(maximum=20)
NONSTICKY_TO_STICKY_POLL_RATIO = 1.0


def lifecycle_worker(client: Client, task_queue: str, activities: LifecycleActivities, settings: Settings) -> Worker:
    """Up to SORI_WORKFLOW_CACHE_SIZE lifecycles stay in memory between their events. The SDK's default
    keeps 1,000, at ~0.2 MB each here: the worker grew from 130 to 167 MB over 200 lifecycles, and would have gone on
    to ~350. An evicted lifecycle replays its history, short by continue-as-new, at its next event."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[RecommendationLifecycle],
        activities=[activities.record_lifecycle_events, activities.check_provenance, activities.record_closed],
        workflow_task_poller_behavior=WORKFLOW_TASK_POLLERS,
        nonsticky_to_sticky_poll_ratio=NONSTICKY_TO_STICKY_POLL_RATIO,
        max_cached_workflows=settings.workflow_cache_size,
        workflow_runner=workflow_runner(settings),
    )


async def _work_once_connected(runtime: ServiceRuntime) -> None:
    client = await until_it_works("Temporal", lambda: connect_temporal(runtime.settings))
    runtime.checks["temporal"] = lambda: temporal_reachable(client)
    settings = runtime.settings
    activities = LifecycleActivities(runtime.db, lifecycle_key(settings))
    worker = lifecycle_worker(client, settings.temporal_task_queue, activities, settings)
    async with worker, report_worker(client, settings), backup_worker(client, settings):
        await until_it_works("the report schedule", lambda: ensure_report_schedule(client, settings))
        await until_it_works("the backup schedule", lambda: ensure_backup_schedule(client, settings))
        await asyncio.Event().wait()  # until the process stops and cancels this


@asynccontextmanager
async def run_worker(runtime: ServiceRuntime) -> AsyncIterator[None]:
    """The worker starts without Temporal; /readyz says not ready until it has connected."""
    runtime.checks["temporal"] = _not_connected_yet
    working = asyncio.create_task(_work_once_connected(runtime))
    try:
        yield
    finally:
        working.cancel()
        with suppress(asyncio.CancelledError):
            await working


async def _not_connected_yet() -> bool:
    return False


SPEC = ServiceSpec(
    name=DATABASE,
    title="SoRi lifecycle worker",
    description="Runs RecommendationLifecycle workflows and publishes their lifecycle events.",
    metadata=WorkflowsTable.metadata,
    migrations=Path(__file__).parent / "migrations" / "versions",
    routers=[],
    companion=run_worker,
)


def create_app(settings: Settings | None = None, broker: KafkaBroker | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings(), broker)
