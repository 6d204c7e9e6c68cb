"""The scheduled backup: its workflow runs `sori backup`, which writes a new archive into SORI_HOME/backups and keeps
the newest SORI_BACKUP_KEEP; the Schedule exists while SORI_BACKUP_SCHEDULE is set and goes when it is unset."""

from pathlib import Path
from uuid import uuid4

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from sori.settings import Settings
from sori_cli.migrate import migrate_all
from tests.polling import eventually
from tests.workflow.worlds import dev_server
from workflows.backup_schedule import ScheduledBackupWorkflow, backup_worker, ensure_backup_schedule

NIGHTLY = "0 3 * * *"


@pytest.fixture
def database_url() -> None:
    """SQLite: each run is a whole `sori backup` (tests/service/test_backup_restore.py backs up PostgreSQL)."""
    return None


async def schedule_ids(client: Client) -> list[str]:
    """The server lists schedules from its visibility store, which learns of a deletion a moment later."""
    return [schedule.id async for schedule in await client.list_schedules()]


async def run_backup(client: Client, task_queue: str) -> str:
    return await client.execute_workflow(ScheduledBackupWorkflow.run, id=f"backup-{uuid4()}", task_queue=task_queue)


async def test_each_run_writes_an_archive_and_keeps_the_newest(
    settings: Settings, time_skipping: WorkflowEnvironment
) -> None:
    await migrate_all(settings)
    scheduled = settings.model_copy(update={"backup_schedule": NIGHTLY, "backup_keep": 1})
    queue = f"backups-{uuid4()}"

    async with backup_worker(time_skipping.client, scheduled, queue):
        first = await run_backup(time_skipping.client, queue)
        second = await run_backup(time_skipping.client, queue)

    [kept] = (settings.home / "backups").iterdir()
    assert f"✓ {kept}" in second
    assert Path(first.split(":")[0].removeprefix("✓ ")).name in second, "the older one, named as it is removed"


async def test_the_schedule_follows_the_setting(settings: Settings) -> None:
    env = await dev_server()
    try:
        assert await ensure_backup_schedule(env.client, settings) is None, "none to delete: nothing to say"
        handle = await ensure_backup_schedule(env.client, settings.model_copy(update={"backup_schedule": NIGHTLY}))
        assert handle is not None
        [calendar] = (await handle.describe()).schedule.spec.calendars  # the server keeps a cron as a calendar
        assert calendar.hour[0].start == 3

        assert await ensure_backup_schedule(env.client, settings) is None
        assert await eventually(lambda: schedule_ids(env.client), until=lambda ids: ids == []) == []
    finally:
        await env.shutdown()
