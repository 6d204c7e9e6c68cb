"""Where workflows run: Temporal's sandbox refuses a non-deterministic call. The workflow tests run in it, so they
catch such a call before it reaches a worker that runs without it (SORI_WORKFLOW_SANDBOX, off by default)."""

from uuid import uuid4

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from sori.settings import Settings
from sori.temporal import workflow_runner
from tests.workflow.clock_reader import ReadsTheSystemClock


async def read_the_clock(env: WorkflowEnvironment, settings: Settings) -> str:
    queue = f"sandbox-{uuid4()}"
    runner = workflow_runner(settings)
    # A refused call fails the workflow at once, rather than its task being retried for ever.
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[ReadsTheSystemClock],
        workflow_runner=runner,
        workflow_failure_exception_types=[Exception],
    ):
        return await env.client.execute_workflow(ReadsTheSystemClock.run, id=queue, task_queue=queue)


async def test_the_workflow_tests_run_in_the_sandbox_which_refuses_a_system_clock_read(
    settings: Settings, time_skipping: WorkflowEnvironment
) -> None:
    with pytest.raises(WorkflowFailureError) as failed:
        await read_the_clock(time_skipping, settings)
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == "RestrictedWorkflowAccessError", cause


async def test_a_worker_runs_without_the_sandbox_by_default(time_skipping: WorkflowEnvironment) -> None:
    assert not Settings().workflow_sandbox
    assert await read_the_clock(time_skipping, Settings())
