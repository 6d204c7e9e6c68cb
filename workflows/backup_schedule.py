"""The scheduled backup (SORI_BACKUP_SCHEDULE): a Schedule that starts a workflow whose one activity runs
`sori backup`, which writes a new archive into SORI_HOME/backups and keeps the newest SORI_BACKUP_KEEP.

The activity runs the command rather than backing up in the worker: what there is to back up (every service's
database, Temporal's, the files) is known where the services are composed, in the command, a floor above the
workflows; and a backup by hand and a scheduled one are then one code path. It also keeps pg_dump and the copying
of files out of the worker's event loop.
"""

import asyncio
import os
import sys
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleHandle,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
)
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Worker

from sori.settings import Settings
from sori.temporal import workflow_runner
from workflows.schedules import ensure_schedule

SCHEDULE_ID = "sori-backup"
TASK_QUEUE = "sori-backups"
BACKUP_TIMEOUT = timedelta(hours=1)
BACKUP_RETRY = RetryPolicy(initial_interval=timedelta(minutes=1), maximum_attempts=3)
COMMAND = (sys.executable, "-m", "sori_cli.main", "backup")


class BackupActivities:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def command_env(self) -> dict[str, str]:
        """The worker's environment, with its settings where they were given otherwise (as in the tests)."""
        s = self.settings
        env = dict(os.environ) | {
            "SORI_HOME": str(s.home),
            "SORI_BACKUP_KEEP": str(s.backup_keep),
            "SORI_SCHEMA_PREFIX": s.database_schema_prefix,
        }
        return env | ({"DATABASE_URL": s.database_url} if s.database_url else {})

    @activity.defn(name="take_scheduled_backup")
    async def take_scheduled_backup(self) -> str:
        """What `sori backup` said: the archive, its size and the revisions."""
        process = await asyncio.create_subprocess_exec(
            *COMMAND, env=self.command_env(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        said, failed = await process.communicate()
        if process.returncode != 0:
            raise ApplicationError(f"sori backup exited with {process.returncode}: {failed.decode(errors='replace')}")
        return said.decode()


@workflow.defn
class ScheduledBackupWorkflow:
    @workflow.run
    async def run(self) -> str:
        return await workflow.execute_activity_method(
            BackupActivities.take_scheduled_backup, start_to_close_timeout=BACKUP_TIMEOUT, retry_policy=BACKUP_RETRY
        )


def backup_schedule(cron: str, task_queue: str = TASK_QUEUE) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(ScheduledBackupWorkflow.run, id="scheduled-backup", task_queue=task_queue),
        spec=ScheduleSpec(cron_expressions=[cron]),
        # A backup still running when the next is due is the one wanted: the next waits for its own time.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_backup_schedule(
    client: Client, settings: Settings, task_queue: str = TASK_QUEUE
) -> ScheduleHandle | None:
    """The Schedule as SORI_BACKUP_SCHEDULE says, or none when it is unset (a schedule turned off is deleted)."""
    if settings.backup_schedule:
        return await ensure_schedule(client, SCHEDULE_ID, backup_schedule(settings.backup_schedule, task_queue))
    try:
        await client.get_schedule_handle(SCHEDULE_ID).delete()
    except RPCError as refused:
        if refused.status != RPCStatusCode.NOT_FOUND:
            raise
    return None


def backup_worker(
    client: Client, settings: Settings, task_queue: str = TASK_QUEUE
) -> AbstractAsyncContextManager[object]:
    """A worker for the scheduled backups, or nothing to run when none are scheduled."""
    if not settings.backup_schedule:
        return nullcontext()
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ScheduledBackupWorkflow],
        activities=[BackupActivities(settings).take_scheduled_backup],
        workflow_runner=workflow_runner(settings),
    )
