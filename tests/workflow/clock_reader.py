"""A workflow that reads the system clock, which a deterministic workflow must not do (it has `workflow.now()`)."""

from datetime import UTC, datetime

from temporalio import workflow


@workflow.defn
class ReadsTheSystemClock:
    @workflow.run
    async def run(self) -> str:
        return datetime.now(UTC).isoformat()
