"""Open-loop load: requests start on a fixed schedule whatever the answers' pace, and each latency counts from the
moment its request was due, so that a slow server cannot hide its queue (no coordinated omission)."""

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx

Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]
# Requests in flight at once. httpx's pool scans its whole queue on every request, so thousands queued there cost
# the client more CPU than the server spends; the rest wait here, their latency still counted from when they were due.
IN_FLIGHT = 64
# Clients the requests take turns on. httpcore also checks every connection of its pool on every request and every
# answer: one pool of 64 cost the bench ~4 ms of CPU per request (a third of a core at 100/s, profiled), taken from
# the cores the server under test runs on; eight pools of eight cost far less.
POOLS = 8


@asynccontextmanager
async def clients(base_url: str, headers: Mapping[str, str]) -> AsyncIterator[list[httpx.AsyncClient]]:
    """`POOLS` clients of one service, `IN_FLIGHT` connections in all."""
    per_pool = IN_FLIGHT // POOLS
    limits = httpx.Limits(max_connections=per_pool, max_keepalive_connections=per_pool)
    async with AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=base_url, headers=dict(headers), timeout=30, limits=limits)
            )
            for _ in range(POOLS)
        ]


@dataclass(frozen=True)
class Latencies:
    milliseconds: list[float]
    failures: int
    seconds: float  # from the first request's start to the last answer

    @property
    def per_second(self) -> float:
        """Successful answers per second: below the rate asked for when the server could not keep up."""
        return len(self.milliseconds) / self.seconds if self.seconds else math.nan

    def percentile(self, p: float) -> float:
        ordered = sorted(self.milliseconds)
        if not ordered:
            return math.nan
        return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


async def at_fixed_rate(
    clients: Sequence[httpx.AsyncClient], request: Request, per_second: float, seconds: float
) -> Latencies:
    """Send `request(client, n)` `per_second` times a second for `seconds`, the clients in turn; every response must
    be a success."""
    count = int(per_second * seconds)
    start = time.perf_counter()
    results: list[float | None] = []
    in_flight = asyncio.Semaphore(IN_FLIGHT)

    async def one(number: int) -> None:
        due = start + number / per_second
        try:
            async with in_flight:
                response = await request(clients[number % len(clients)], number)
            ok = response.is_success
        except httpx.HTTPError:
            ok = False
        results.append((time.perf_counter() - due) * 1000 if ok else None)

    tasks = []
    for number in range(count):
        delay = start + number / per_second - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(number)))
    await asyncio.gather(*tasks)
    succeeded = [ms for ms in results if ms is not None]
    return Latencies(succeeded, failures=len(results) - len(succeeded), seconds=time.perf_counter() - start)
