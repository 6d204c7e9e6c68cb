"""The periodic progress report: its Schedule, made or brought up to date whenever a worker starts, and the
worker that runs its workflow on a task queue of its own."""

import httpx
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleHandle,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
)
from temporalio.worker import Worker

from sori.settings import Settings
from sori.temporal import workflow_runner
from workflows.progress_report import TASK_QUEUE, ProgressReportInput, ProgressReportWorkflow
from workflows.report_activities import ReportActivities
from workflows.schedules import ensure_schedule

SCHEDULE_ID = "sori-progress-report"


def report_schedule(settings: Settings, task_queue: str = TASK_QUEUE) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            ProgressReportWorkflow.run, ProgressReportInput(), id="progress-report", task_queue=task_queue
        ),
        spec=ScheduleSpec(cron_expressions=[settings.report_schedule]),
        # A report late because the workers were down is still wanted; two at once are not.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.BUFFER_ONE),
    )


async def ensure_report_schedule(client: Client, settings: Settings, task_queue: str = TASK_QUEUE) -> ScheduleHandle:
    """Create the Schedule, or set its spec and action from settings; a pause someone set in the UI stays."""
    return await ensure_schedule(client, SCHEDULE_ID, report_schedule(settings, task_queue))


def report_worker(
    client: Client, settings: Settings, task_queue: str = TASK_QUEUE, transport: httpx.AsyncBaseTransport | None = None
) -> Worker:
    activities = ReportActivities(settings, transport)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ProgressReportWorkflow],
        activities=[activities.order_progress_report],
        workflow_runner=workflow_runner(settings),
    )
