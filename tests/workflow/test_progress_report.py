"""The periodic report: its workflow has the progress service (here in-process) make the period's report once,
however often it runs or retries, and the Schedule the worker sets up starts that workflow."""

from datetime import UTC, datetime
from uuid import uuid4

import httpx
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from contracts.envelope import Role
from sori.settings import Settings
from sori.temporal import DATA_CONVERTER
from tests.polling import eventually
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens
from tests.workflow.worlds import DEV_SERVER
from workflows.progress_report import ProgressReportInput, ProgressReportWorkflow
from workflows.report_schedule import SCHEDULE_ID, ensure_report_schedule, report_worker

PERIOD_END = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


class LosesFirstAnswer(httpx.AsyncBaseTransport):
    """The request reaches progress, but its first answer never comes back (a dropped connection)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        response = await self.inner.handle_async_request(request)
        if self.calls == 1:
            raise httpx.ReadError("connection reset while reading the answer", request=request)
        return response


async def reports(progress: ServiceUnderTest, tokens: Tokens) -> list[dict[str, str]]:
    response = await progress.http.get("/progress/v1/reports", headers=tokens.header(Role.OBSERVER, "OBSERVER"))
    listed: list[dict[str, str]] = response.json()
    return listed


async def schedule_ids(client: Client) -> list[str]:
    return [schedule.id async for schedule in await client.list_schedules()]


async def run_report(client: Client, task_queue: str, period_end: datetime | None = None) -> str:
    result = await client.execute_workflow(
        ProgressReportWorkflow.run,
        ProgressReportInput(period_end=period_end),
        id=f"report-{uuid4()}",
        task_queue=task_queue,
    )
    return result.report_id


async def test_runs_for_the_same_period_make_one_report(
    progress: ServiceUnderTest, tokens: Tokens, settings: Settings, time_skipping: WorkflowEnvironment
) -> None:
    queue = f"reports-{uuid4()}"
    async with report_worker(time_skipping.client, settings, queue, httpx.ASGITransport(app=progress.app)):
        first = await run_report(time_skipping.client, queue, PERIOD_END)
        again = await run_report(time_skipping.client, queue, PERIOD_END)
    assert first == again
    [report] = await reports(progress, tokens)
    assert report["trigger"] == "scheduled"
    assert report["period_end"].startswith("2026-12-01T06:00:00")


async def test_a_retry_after_a_lost_answer_finds_the_report_already_made(
    progress: ServiceUnderTest, tokens: Tokens, settings: Settings, time_skipping: WorkflowEnvironment
) -> None:
    queue = f"reports-{uuid4()}"
    transport = LosesFirstAnswer(httpx.ASGITransport(app=progress.app))
    async with report_worker(time_skipping.client, settings, queue, transport):
        report_id = await run_report(time_skipping.client, queue, PERIOD_END)
    assert transport.calls == 2
    assert [r["id"] for r in await reports(progress, tokens)] == [report_id]


async def test_the_schedule_set_up_at_worker_start_runs_the_report(
    progress: ServiceUnderTest, tokens: Tokens, settings: Settings
) -> None:
    env = await WorkflowEnvironment.start_local(
        data_converter=DATA_CONVERTER,
        dev_server_existing_path=str(DEV_SERVER),
        dev_server_extra_args=["--headless"],
    )
    queue = f"reports-{uuid4()}"
    try:
        async with report_worker(env.client, settings, queue, httpx.ASGITransport(app=progress.app)):
            handle = await ensure_report_schedule(env.client, settings, queue)
            await handle.pause(note="paused by NALAS in the Temporal UI")
            weekly = settings.model_copy(update={"report_schedule": "0 7 * * 1"})
            handle = await ensure_report_schedule(env.client, weekly, queue)  # a restart with new settings
            described = await handle.describe()
            assert described.schedule.state.paused, "a restart must not undo a pause"
            [calendar] = described.schedule.spec.calendars  # the server keeps a cron as a calendar
            assert (calendar.hour[0].start, calendar.day_of_week[0].start) == (7, 1), "the new settings' cron"
            listed = await eventually(lambda: schedule_ids(env.client), until=bool)
            assert listed == [SCHEDULE_ID]
            await handle.trigger()
            [report] = await eventually(lambda: reports(progress, tokens), until=lambda found: len(found) == 1)
        ran = (await handle.describe()).info.recent_actions[0]
        assert report["trigger"] == "scheduled"
        assert datetime.fromisoformat(report["period_end"]) == ran.scheduled_at.replace(microsecond=0)
    finally:
        await env.shutdown()
