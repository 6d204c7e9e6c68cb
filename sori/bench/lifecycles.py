"""Figure 1: lifecycle events applied per second, through SoRi's public HTTP APIs and through a bare Temporal
client on the same server."""

import asyncio
from typing import Any
from uuid import uuid4

import httpx
from temporalio.client import Client
from temporalio.worker import Worker

from sori.bench.baseline import BaselineInput, BaselineLifecycle, apply_state_change
from sori.bench.measure import Figure, Stopwatch
from sori.stack.child import RunningStack

EVENTS_PER_LIFECYCLE = 4  # drafted, submitted, review started, endorsed
POLL_SECONDS = 0.05


async def _until(http: httpx.AsyncClient, path: str, status: str, within: float = 120.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        response = await http.get(path)
        if response.status_code == 200 and response.json().get("status") == status:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"{path} did not reach {status}: {response.status_code} {response.text[:200]}")
        await asyncio.sleep(POLL_SECONDS)


async def _ok(response: httpx.Response) -> Any:
    if not response.is_success:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.status_code} {response.text}")
    return response.json()


class Pipeline:
    """An association and the working group, driving recommendations to endorsement over HTTP."""

    def __init__(self, stack: RunningStack) -> None:
        self.lga = httpx.AsyncClient(base_url=stack.url("roadmaps"), headers=stack.headers("lga"), timeout=30)
        self.wg = httpx.AsyncClient(base_url=stack.url("working_group"), headers=stack.headers("nalas"), timeout=30)
        self.progress = httpx.AsyncClient(base_url=stack.url("progress"), headers=stack.headers("observer"))

    async def roadmap(self) -> str:
        listed = await _ok(await self.lga.get("/roadmaps/v1/roadmaps", params={"association": "ZELS"}))
        if listed:
            return str(listed[0]["id"])
        created = await self.lga.post("/roadmaps/v1/roadmaps", json={"programme": "SoRi 3", "title": "Bench"})
        return str((await _ok(created))["id"])

    async def one_lifecycle(self, roadmap: str, number: int) -> None:
        draft = {"title": f"Bench recommendation {number}", "language": "en"}
        rec = (await _ok(await self.lga.post(f"/roadmaps/v1/roadmaps/{roadmap}/recommendations", json=draft)))["id"]
        await _ok(await self.lga.post(f"/roadmaps/v1/recommendations/{rec}/submit"))
        await _until(self.wg, f"/working-group/v1/recommendations/{rec}", "submitted")
        await _ok(await self.wg.post(f"/working-group/v1/recommendations/{rec}/review", json={}))
        await _ok(await self.wg.post(f"/working-group/v1/recommendations/{rec}/decision", json={"decision": "endorse"}))
        await _until(self.progress, f"/progress/v1/recommendations/{rec}", "endorsed")

    async def run(self, lifecycles: int) -> float:
        roadmap = await self.roadmap()
        with Stopwatch() as watch:
            await asyncio.gather(*(self.one_lifecycle(roadmap, n) for n in range(lifecycles)))
        return lifecycles * EVENTS_PER_LIFECYCLE / watch.seconds

    async def close(self) -> None:
        for http in (self.lga, self.wg, self.progress):
            await http.aclose()


async def raw_temporal_rate(client: Client, lifecycles: int) -> float:
    task_queue = f"bench-baseline-{uuid4()}"

    async def one(number: int) -> None:
        handle = await client.start_workflow(
            BaselineLifecycle.run,
            BaselineInput(EVENTS_PER_LIFECYCLE),
            id=f"bench-{task_queue}-{number}",
            task_queue=task_queue,
            start_signal="event",
            start_signal_args=[0],
        )
        for event in range(1, EVENTS_PER_LIFECYCLE):
            await handle.signal(BaselineLifecycle.event, event)
        await handle.result()

    async with Worker(client, task_queue=task_queue, workflows=[BaselineLifecycle], activities=[apply_state_change]):
        with Stopwatch() as watch:
            await asyncio.gather(*(one(n) for n in range(lifecycles)))
    return lifecycles * EVENTS_PER_LIFECYCLE / watch.seconds


async def lifecycle_figure(stack: RunningStack, client: Client, lifecycles: int) -> Figure:
    baseline = await raw_temporal_rate(client, lifecycles)
    pipeline = Pipeline(stack)
    try:
        # One lifecycle first, unmeasured: a fresh stack's consumers spend their first seconds joining their groups.
        await pipeline.run(1)
        rate = await pipeline.run(lifecycles)
    finally:
        await pipeline.close()
    return Figure(
        f"lifecycle pipeline, {lifecycles} lifecycles",
        rate,
        "events/s",
        baseline,
        "raw Temporal: a signal per event, an activity per change",
        "ratio ≥ 1.0",
    )
