"""Open-loop load: requests start on a fixed schedule whatever the answers' pace, and each latency counts from the
moment its request was due, so that a slow server cannot hide its queue (no coordinated omission)."""

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sori_cli.bench.keep_alive import KeepAliveClient, Unanswered

Request = Callable[[KeepAliveClient, int], Awaitable[tuple[int, bytes]]]
# Requests in flight at once, one per connection; the rest wait for a connection, their latency still counted from
# when they were due.
IN_FLIGHT = 64


@asynccontextmanager
async def client(base_url: str, headers: Mapping[str, str]) -> AsyncIterator[KeepAliveClient]:
    """A client of one service with `IN_FLIGHT` connections."""
    kept_alive = KeepAliveClient(base_url, headers, IN_FLIGHT)
    try:
        yield kept_alive
    finally:
        await kept_alive.aclose()


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


async def at_fixed_rate(client: KeepAliveClient, request: Request, per_second: float, seconds: float) -> Latencies:
    """Send `request(client, n)` `per_second` times a second for `seconds`; every answer must be a success."""
    count = int(per_second * seconds)
    start = time.perf_counter()
    results: list[float | None] = []

    async def one(number: int) -> None:
        due = start + number / per_second
        try:
            status, _ = await request(client, number)
            ok = 200 <= status < 300
        except Unanswered:
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
