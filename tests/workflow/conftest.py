"""The lifecycle on Temporal's time-skipping test server, with a real worker on a fresh task queue."""

import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from sori.db import Database
from sori.settings import Settings
from workflows.activities import LifecycleActivities
from workflows.worker import SPEC, lifecycle_worker

TEST_SERVER = Path(sys.prefix) / "bin" / "temporal-test-server"


@dataclass
class LifecycleWorld:
    client: Client
    task_queue: str
    db: Database
    env: WorkflowEnvironment


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[LifecycleWorld]:
    db = Database(settings, SPEC.name, SPEC.metadata)
    await db.create_schema()
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter, test_server_existing_path=str(TEST_SERVER)
    )
    task_queue = f"lifecycle-{uuid4()}"
    try:
        async with lifecycle_worker(env.client, task_queue, LifecycleActivities(db)):
            yield LifecycleWorld(env.client, task_queue, db, env)
    finally:
        await env.shutdown()
        await db.drop_schema()
        await db.dispose()
