"""The lifecycle on Temporal's time-skipping test server, with a real worker on a fresh task queue."""

from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client
from temporalio.runtime import MetricBuffer, Runtime, TelemetryConfig
from temporalio.testing import WorkflowEnvironment

from sori.settings import Settings
from sori.temporal import DATA_CONVERTER
from tests.workflow.worlds import ForgetfulWorld, LifecycleWorld, dev_server, running_world, time_skipping_server


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


@pytest.fixture
async def dev_world(settings: Settings) -> AsyncIterator[LifecycleWorld]:
    """The real Temporal dev server (the one `sori up` runs), for what the test server does differently:
    it drops a signal-with-start that arrives after a continue-as-new."""
    async with running_world(settings, await dev_server()) as world:
        yield world


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
