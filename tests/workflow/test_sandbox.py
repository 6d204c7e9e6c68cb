"""Where workflows run: Temporal's sandbox refuses a non-deterministic call in a workflow's own module. The workflow
tests run in it, so they catch such a call before it reaches a worker that runs without it (SORI_WORKFLOW_SANDBOX,
off by default). Modules a workflow imports through `imports_passed_through` are not checked, in or out of it."""

from uuid import uuid4

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from sori.db import Database
from sori.settings import Settings
from sori.temporal import workflow_runner
from tests.workflow.clock_reader import ReadsTheSystemClock
from workflows.activities import LifecycleActivities
from workflows.report_schedule import report_worker
from workflows.worker import SPEC, lifecycle_worker


async def read_the_clock(env: WorkflowEnvironment, settings: Settings) -> str:
    queue = f"sandbox-{uuid4()}"
    # A refused call fails the workflow at once, rather than its task being retried for ever.
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[ReadsTheSystemClock],
        workflow_runner=workflow_runner(settings),
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


async def test_without_the_sandbox_the_same_workflow_completes(
    settings: Settings, time_skipping: WorkflowEnvironment
) -> None:
    assert await read_the_clock(time_skipping, settings.model_copy(update={"workflow_sandbox": False}))


def test_the_sandbox_is_off_unless_asked_for() -> None:
    assert Settings.model_fields["workflow_sandbox"].default is False


@pytest.mark.parametrize(("sandboxed", "runner"), [(True, SandboxedWorkflowRunner), (False, UnsandboxedWorkflowRunner)])
async def test_both_workers_run_workflows_as_the_setting_says(
    settings: Settings, time_skipping: WorkflowEnvironment, sandboxed: bool, runner: type
) -> None:
    chosen = settings.model_copy(update={"workflow_sandbox": sandboxed})
    db = Database(chosen, SPEC.name, SPEC.metadata)
    try:
        lifecycles = lifecycle_worker(time_skipping.client, "q", LifecycleActivities(db, b"key"), chosen)
        reports = report_worker(time_skipping.client, chosen, "r")
        for worker in (lifecycles, reports):
            assert isinstance(worker.config()["workflow_runner"], runner)
    finally:
        await db.dispose()
