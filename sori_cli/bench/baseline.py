"""The raw-Temporal baseline: one signal per event, one activity per state change, nothing else in between."""

from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow


@dataclass
class BaselineInput:
    events: int


@activity.defn
async def apply_state_change(number: int) -> int:
    return number


@workflow.defn
class BaselineLifecycle:
    def __init__(self) -> None:
        self._arrived = 0
        self._applied = 0

    @workflow.run
    async def run(self, start: BaselineInput) -> int:
        while self._applied < start.events:
            await workflow.wait_condition(lambda: self._arrived > self._applied)
            await workflow.execute_activity(
                apply_state_change, self._applied, start_to_close_timeout=timedelta(seconds=30)
            )
            self._applied += 1
        return self._applied

    @workflow.signal
    def event(self, number: int) -> None:
        self._arrived += 1
