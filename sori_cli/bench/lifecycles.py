"""Figure 1: lifecycle events applied per second, through SoRi's public HTTP APIs and through a bare Temporal
client on the same server."""

import asyncio
import os
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx
from temporalio.client import Client
from temporalio.worker import Worker, WorkflowRunner

from sori.settings import Settings
from sori.temporal import workflow_runner
from sori_cli.bench.baseline import BaselineInput, BaselineLifecycle, apply_state_change
from sori_cli.bench.cpu import cpu_seconds_of, cpu_share, cpu_spent_since
from sori_cli.bench.measure import Figure, Stopwatch
from sori_cli.stack.child import RunningStack
from workflows.worker import NONSTICKY_TO_STICKY_POLL_RATIO, WORKFLOW_TASK_POLLERS

EVENTS_PER_LIFECYCLE = 4  # drafted, submitted, review started, endorsed
POLL_SECONDS = 0.05
WAIT_SECONDS = 120.0
# The two sides take turns, so that the machine's speed, which drifts within a run, reaches both alike; the figure is
# each side's median. Single runs 20 minutes apart measured ratios of 0.447 and 0.550.
ROUNDS = 3
# A round ends when its last lifecycle is endorsed, while the other consumers and Temporal still work on its last
# events: each round's CPU is read once the stack is back near its idle share, so that no round pays for another's.
SETTLE_WINDOW_SECONDS = 0.25
SETTLE_MARGIN = 15.0  # % of a core over the idle share: a window of 0.25 s counts CPU in ticks of 10 ms
SETTLE_WITHIN_SECONDS = 10.0
Rows = Callable[[Any], Iterable[dict[str, Any]]]


async def _ok(response: httpx.Response) -> Any:
    if not response.is_success:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.status_code} {response.text}")
    return response.json()


class StatusBoard:
    """One observer that polls a list for every waiting lifecycle at once, as a dashboard would.

    Each lifecycle polling its own recommendation every 50 ms made the bench the working group's and progress' main
    load (40 lifecycles: up to 800 requests/s); the figure is about the pipeline, not about the bench's own reads.
    """

    def __init__(self, http: httpx.AsyncClient, path: str, params: dict[str, str | int], rows: Rows) -> None:
        self.http, self.path, self.params, self.rows = http, path, params, rows
        self._waiting: dict[tuple[str, str], asyncio.Future[None]] = {}
        self._polling: asyncio.Task[None] | None = None

    async def reached(self, recommendation: str, status: str) -> None:
        arrived = self._waiting.setdefault((recommendation, status), asyncio.get_running_loop().create_future())
        if self._polling is None or self._polling.done():
            self._polling = asyncio.create_task(self._poll())
        try:
            await asyncio.wait_for(asyncio.shield(arrived), WAIT_SECONDS)
        except TimeoutError:
            raise TimeoutError(f"{recommendation} did not reach {status} in {self.path}") from None
        finally:
            self._waiting.pop((recommendation, status), None)

    async def _poll(self) -> None:
        while self._waiting:
            response = await self.http.get(self.path, params=self.params)
            if response.status_code == 200:
                for row in self.rows(response.json()):
                    arrived = self._waiting.get((str(row["recommendation_id"]), str(row["status"])))
                    if arrived is not None and not arrived.done():
                        arrived.set_result(None)
            await asyncio.sleep(POLL_SECONDS)

    async def close(self) -> None:
        if self._polling is not None:
            self._polling.cancel()
            with suppress(asyncio.CancelledError):
                await self._polling


class Pipeline:
    """An association and the working group, driving recommendations to endorsement over HTTP."""

    def __init__(self, stack: RunningStack) -> None:
        self.lga = httpx.AsyncClient(base_url=stack.url("roadmaps"), headers=stack.headers("lga"), timeout=30)
        self.wg = httpx.AsyncClient(base_url=stack.url("working_group"), headers=stack.headers("nalas"), timeout=30)
        self.progress = httpx.AsyncClient(base_url=stack.url("progress"), headers=stack.headers("observer"))
        self.review_queue = StatusBoard(self.wg, "/working-group/v1/review-queue", {}, lambda rows: rows)
        self.endorsed = StatusBoard(
            self.progress,
            "/progress/v1/recommendations",
            {"status": "endorsed", "limit": 10_000},
            lambda page: page["items"],
        )

    async def roadmap(self) -> str:
        listed = await _ok(await self.lga.get("/roadmaps/v1/roadmaps", params={"association": "ZELS"}))
        if listed:
            return str(listed[0]["id"])
        created = await self.lga.post("/roadmaps/v1/roadmaps", json={"programme": "SoRi 4", "title": "Bench"})
        return str((await _ok(created))["id"])

    async def one_lifecycle(self, roadmap: str, number: int) -> None:
        draft = {"title": f"Bench recommendation {number}", "language": "en"}
        rec = (await _ok(await self.lga.post(f"/roadmaps/v1/roadmaps/{roadmap}/recommendations", json=draft)))["id"]
        await _ok(await self.lga.post(f"/roadmaps/v1/recommendations/{rec}/submit"))
        await self.review_queue.reached(rec, "submitted")
        await _ok(await self.wg.post(f"/working-group/v1/recommendations/{rec}/review", json={}))
        await _ok(await self.wg.post(f"/working-group/v1/recommendations/{rec}/decision", json={"decision": "endorse"}))
        await self.endorsed.reached(rec, "endorsed")

    async def run(self, lifecycles: int) -> float:
        roadmap = await self.roadmap()
        with Stopwatch() as watch:
            await asyncio.gather(*(self.one_lifecycle(roadmap, n) for n in range(lifecycles)))
        return lifecycles * EVENTS_PER_LIFECYCLE / watch.seconds

    async def close(self) -> None:
        for board in (self.review_queue, self.endorsed):
            await board.close()
        for http in (self.lga, self.wg, self.progress):
            await http.aclose()


async def raw_temporal_rate(client: Client, lifecycles: int, runner: WorkflowRunner) -> float:
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

    async with Worker(
        client,
        task_queue=task_queue,
        workflows=[BaselineLifecycle],
        activities=[apply_state_change],
        # The lifecycle worker's polling and workflow runner, so that the baseline is not slower for want of a
        # setting SoRi uses.
        workflow_task_poller_behavior=WORKFLOW_TASK_POLLERS,
        nonsticky_to_sticky_poll_ratio=NONSTICKY_TO_STICKY_POLL_RATIO,
        workflow_runner=runner,
    ):
        with Stopwatch() as watch:
            await asyncio.gather(*(one(n) for n in range(lifecycles)))
    return lifecycles * EVENTS_PER_LIFECYCLE / watch.seconds


@dataclass
class Rounds:
    """One side's rates, round by round, and the CPU seconds each process it was measured with spent on all of them."""

    rates: list[float] = field(default_factory=list)
    cpu: Counter[str] = field(default_factory=Counter)
    # Processes that were gone when a round's CPU was read (a part restarted): their CPU is missing from the sums.
    missing: set[str] = field(default_factory=set)

    async def measure(
        self, pids: Mapping[str, int], run: Awaitable[float], settle: Callable[[], Awaitable[None]]
    ) -> None:
        """The rate `run` gives; the CPU counted until `settle` returns."""
        before = cpu_seconds_of(pids)
        self.rates.append(await run)
        await settle()
        spent = cpu_spent_since(before, pids)
        self.missing.update(set(pids) - set(spent))
        self.cpu.update(spent)

    @property
    def median(self) -> float:
        return statistics.median(self.rates)

    def per_event_ms(self, events: int) -> str:
        """Each process's CPU per event, the costliest first, to tell what bounds the side's rate."""
        return ", ".join(f"{name} {seconds * 1000 / events:.1f}" for name, seconds in self.cpu.most_common())


async def settled(pids: Mapping[str, int], idle_share: float) -> None:
    """Once the processes spend no more than `SETTLE_MARGIN` over `idle_share` in a window, or the time is up."""
    deadline = time.monotonic() + SETTLE_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if await cpu_share(pids, SETTLE_WINDOW_SECONDS) <= idle_share + SETTLE_MARGIN:
            return


async def lifecycle_figures(
    stack: RunningStack, client: Client, settings: Settings, lifecycles: int, rounds: int = ROUNDS
) -> list[Figure]:
    """`settings` are the stack's: the baseline's worker runs workflows as the stack's worker does."""
    runner = workflow_runner(settings)
    # The bench's own process is the baseline's client and worker, and the pipeline's HTTP client.
    bench = {"bench": os.getpid()}
    temporal = {"temporal": stack.pids["temporal"]} if "temporal" in stack.pids else {}
    everything = stack.pids | bench
    baseline, piped = Rounds(), Rounds()
    pipeline = Pipeline(stack)
    try:
        # One lifecycle first, unmeasured: a fresh stack's consumers spend their first seconds joining their groups.
        await pipeline.run(1)
        idle = min([await cpu_share(everything, SETTLE_WINDOW_SECONDS) for _ in range(4)])

        def settle() -> Awaitable[None]:
            return settled(everything, idle)

        for _ in range(rounds):
            await baseline.measure(temporal | bench, raw_temporal_rate(client, lifecycles, runner), settle)
            await piped.measure(everything, pipeline.run(lifecycles), settle)
    finally:
        await pipeline.close()
    events = rounds * lifecycles * EVENTS_PER_LIFECYCLE
    print(
        f"  lifecycle rounds (events/s): raw Temporal {_listed(baseline.rates)}; pipeline {_listed(piped.rates)}\n"
        f"  CPU per event (ms): raw Temporal: {baseline.per_event_ms(events)}\n"
        f"                      pipeline: {piped.per_event_ms(events)}",
        flush=True,
    )
    figures: list[Figure | None] = [
        Figure(
            f"lifecycle pipeline, median of {rounds} runs of {lifecycles}",
            piped.median,
            "events/s",
            baseline.median,
            "raw Temporal: a signal per event, an activity per change, the same worker polling",
            "ratio ≥ 1.0",
        )
    ]
    if baseline.missing or piped.missing:
        print(f"  CPU per event left out: {sorted(baseline.missing | piped.missing)} went away during the rounds")
    elif temporal:
        # What an event costs the server both share, and what it costs the whole machine: on cores the stack shares,
        # the second bounds the rate (times the cores, it is the most events/s they could carry).
        figures += [
            per_cpu_second("lifecycle events per CPU second of Temporal", events, piped, baseline, "temporal"),
            per_cpu_second("lifecycle events per CPU second, all processes", events, piped, baseline),
        ]
    return [f for f in figures if f is not None]


def per_cpu_second(name: str, events: int, piped: Rounds, baseline: Rounds, process: str = "") -> Figure | None:
    """None where a side's processes spent less CPU than the kernel counts (a tick), as in a tiny run."""
    spent = [side.cpu[process] if process else sum(side.cpu.values()) for side in (piped, baseline)]
    if not all(spent):
        return None
    return Figure(name, events / spent[0], "events", events / spent[1])


def _listed(rates: list[float]) -> str:
    return ", ".join(f"{rate:.1f}" for rate in rates)
