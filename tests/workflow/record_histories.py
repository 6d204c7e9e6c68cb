"""Records the histories the replay test checks: `python -m tests.workflow.record_histories`.

Run it when a change to the workflow is meant to alter histories (guarded with `workflow.patched`), and keep the
old files too: every history ever recorded must still replay.
"""

import asyncio
import json
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from sori.settings import Settings
from tests.workflow.scenarios import full_lifecycle_with_ten_milestones, withdrawn_with_a_forgery_then_closed
from tests.workflow.worlds import LifecycleWorld, Recommendation, running_world, time_skipping_server

HISTORIES = Path(__file__).parent / "histories"


async def record(name: str, scenario: Callable[[LifecycleWorld], Awaitable[Recommendation]]) -> Path:
    with tempfile.TemporaryDirectory() as home:
        env = await time_skipping_server()
        async with running_world(Settings(SORI_HOME=Path(home)), env) as world:
            rec = await scenario(world)
            history = await rec.handle.fetch_history()
    path = HISTORIES / f"{name}.json"
    path.write_text(json.dumps(json.loads(history.to_json()), indent=1) + "\n")
    print(f"{path}: {len(history.events)} history events")
    return path


if __name__ == "__main__":
    asyncio.run(record("full_lifecycle_with_ten_milestones_v2", full_lifecycle_with_ten_milestones))
    asyncio.run(record("withdrawn_with_a_forgery_then_closed_v2", withdrawn_with_a_forgery_then_closed))
