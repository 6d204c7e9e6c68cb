"""A Temporal Schedule made from settings when a worker starts: created, or brought up to date."""

import dataclasses

from temporalio.client import (
    Client,
    Schedule,
    ScheduleAlreadyRunningError,
    ScheduleHandle,
    ScheduleUpdate,
    ScheduleUpdateInput,
)


async def ensure_schedule(client: Client, schedule_id: str, schedule: Schedule) -> ScheduleHandle:
    """Create the Schedule, or set its spec and action; a pause someone set in the UI stays."""
    try:
        return await client.create_schedule(schedule_id, schedule)
    except ScheduleAlreadyRunningError:
        handle = client.get_schedule_handle(schedule_id)

        def keep_state(current: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(dataclasses.replace(schedule, state=current.description.schedule.state))

        await handle.update(keep_state)
        return handle
