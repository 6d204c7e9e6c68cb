"""Figure 3: HTTP at scale on PostgreSQL: a loaded programme, writes at a fixed rate, then the reads people wait on."""

import os
from collections.abc import Awaitable
from dataclasses import dataclass

from sori.settings import Settings
from sori_cli.bench.cpu import cpu_percent
from sori_cli.bench.keep_alive import KeepAliveClient
from sori_cli.bench.latency import Latencies, at_fixed_rate, client
from sori_cli.bench.measure import Figure
from sori_cli.bench.scale import load_programme
from sori_cli.stack.child import RunningStack

ASSOCIATION = "ZELS"  # the demo LGA token's association


@dataclass(frozen=True)
class Scale:
    recommendations: int
    reports: int
    writes_per_second: float
    write_seconds: float
    warm_up_seconds: float
    reads_per_second: float
    read_seconds: float


def _latency_figures(name: str, latencies: Latencies, percentiles: dict[int, str]) -> list[Figure]:
    failed = f"; {latencies.failures} failed" if latencies.failures else ""
    return [Figure(f"{name} p{p}{failed}", latencies.percentile(p), "ms", goal=goal) for p, goal in percentiles.items()]


async def scale_figures(stack: RunningStack, settings: Settings, scale: Scale) -> list[Figure]:
    print(f"▸ loading {scale.recommendations:,} recommendations and {scale.reports:,} reports …", flush=True)
    loaded = await load_programme(settings, scale.recommendations, scale.reports)
    figures = [Figure("bulk load of the programme", loaded.rows_per_second, "rows/s", goal="minutes, not hours")]
    path = f"/roadmaps/v1/roadmaps/{loaded.roadmap_of[ASSOCIATION]}/recommendations"
    rate, seconds = scale.writes_per_second, scale.write_seconds
    async with client(stack.url("roadmaps"), stack.headers("lga")) as lga:

        def draft(roadmaps: KeepAliveClient, n: int) -> Awaitable[tuple[int, bytes]]:
            return roadmaps.request("POST", path, body={"title": f"Drafted at scale {n}"})

        print(
            f"▸ drafting recommendations at {rate:g} requests/s for {scale.warm_up_seconds:g} s, unmeasured …",
            flush=True,
        )
        # Warming up: the client opens its connections, roadmaps its pool's, each connection prepares its statements.
        await at_fixed_rate(lga, draft, rate, scale.warm_up_seconds)
        print(f"▸ drafting recommendations at {rate:g} requests/s for {seconds:g} s …", flush=True)
        with cpu_percent({**stack.pids, "bench client": os.getpid()}) as cpu:
            writes = await at_fixed_rate(lga, draft, rate, seconds)
        name = f"draft a recommendation at {rate:g}/s"
        figures += _latency_figures(name, writes, {50: "", 99: "< 50 ms"})
        figures.append(Figure(f"{name}: answered", writes.per_second, "per s", goal=f"{rate:g}/s"))
        # Who had the cores meanwhile: the drafts' lifecycles run in the bridge, the worker and Temporal.
        shares = ", ".join(f"{process} {share:.0f}" for process, share in sorted(cpu.items(), key=lambda p: -p[1]))
        print(f"  CPU while drafting (% of a core): {shares}", flush=True)
        lists = await at_fixed_rate(
            lga,
            lambda roadmaps, _: roadmaps.request(
                "GET", "/roadmaps/v1/recommendations", params={"association": ASSOCIATION}
            ),
            scale.reads_per_second,
            scale.read_seconds,
        )
        figures += _latency_figures("list an association's recommendations", lists, {95: "< 50 ms"})
    async with client(stack.url("progress"), stack.headers("nalas")) as progress:
        dashboard = await at_fixed_rate(
            progress,
            lambda progress, _: progress.request("GET", "/progress/v1/dashboard"),
            scale.reads_per_second,
            scale.read_seconds,
        )
        figures += _latency_figures("regional dashboard", dashboard, {95: "< 50 ms"})
    return figures
