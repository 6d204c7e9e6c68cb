"""`sori bench [--quick] [--json FILE]`: starts its own stack, measures, prints a table and writes JSON."""

import asyncio
import json
import tempfile
from contextlib import suppress
from pathlib import Path

from sori.settings import Settings
from sori.temporal import connect_temporal
from sori_cli.bench.at_scale import Scale, scale_figures
from sori_cli.bench.consumer import consumer_figure
from sori_cli.bench.imports import import_figure
from sori_cli.bench.lifecycles import lifecycle_figures
from sori_cli.bench.measure import Figure, render_table, rss_megabytes
from sori_cli.bench.replay_rate import replay_figure
from sori_cli.stack.child import RunningStack, running_stack

SIZES = {
    "quick": {"lifecycles": 8, "events": 2_000, "replayed": 1_000},
    "full": {"lifecycles": 40, "events": 5_000, "replayed": 20_000},
}
SCALES = {
    "quick": Scale(recommendations=500, reports=2_000, writes_per_second=50, write_seconds=3, warm_up_seconds=1,
                   reads_per_second=10, read_seconds=2),
    "full": Scale(recommendations=100_000, reports=1_000_000, writes_per_second=200, write_seconds=30,
                  warm_up_seconds=3, reads_per_second=20, read_seconds=10),
}  # fmt: skip
RSS_GOAL = "< 150 MB"
SAMPLE_SECONDS = 0.5


def footprint(stack: RunningStack, under_load: dict[str, float]) -> list[Figure]:
    figures = [Figure("sori up: time to ready", stack.ready_seconds, "s", goal="< 20 s")]
    for name, pid in stack.pids.items():
        with suppress(OSError):
            figures.append(Figure(f"RSS {name}, idle", rss_megabytes(pid), "MB", goal=RSS_GOAL))
    figures += [Figure(f"RSS {name}, under load (max)", mb, "MB", goal=RSS_GOAL) for name, mb in under_load.items()]
    return figures


async def sample_rss(stack: RunningStack, peak: dict[str, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for name, pid in stack.pids.items():
            with suppress(OSError):
                peak[name] = max(peak.get(name, 0.0), rss_megabytes(pid))
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SAMPLE_SECONDS)


async def measure(stack: RunningStack, lifecycles: int, events: int) -> list[Figure]:
    settings = Settings(
        KAFKA_BOOTSTRAP_SERVERS=stack.document["kafka_bootstrap_servers"],
        SORI_KAFKA_IDEMPOTENCE=stack.document["kafka_idempotence"],
        TEMPORAL_ADDRESS=stack.document["temporal_address"],
        SORI_HOME=stack.home / "bench",
    )
    idle = footprint(stack, {})
    peak: dict[str, float] = {}
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(stack, peak, stop))
    try:
        client = await connect_temporal(settings)
        figures = await lifecycle_figures(stack, client, settings, lifecycles)
        figures.append(await consumer_figure(settings, events))
        figures.append(await import_figure(stack))
    finally:
        stop.set()
        await sampler
    return figures + idle + [f for f in footprint(stack, peak) if "under load" in f.name]


def at_scale(home: Path, database_url: str, scale: Scale, replayed: int) -> list[Figure]:
    print("▸ starting a stack on PostgreSQL for the at-scale figures …", flush=True)
    with running_stack(home, database_url, "--no-demo") as stack:
        settings = Settings(DATABASE_URL=database_url, SORI_SCHEMA_PREFIX=stack.schema_prefix, SORI_HOME=home / "bench")
        # The replay goes first, while the stack is idle: the drafting backlog below would share the CPU with it.
        kafka = settings.model_copy(
            update={name: stack.document[name] for name in ("kafka_bootstrap_servers", "kafka_idempotence")}
        )
        print(f"▸ replaying {replayed:,} events into progress' projections …", flush=True)
        figures = [asyncio.run(replay_figure(kafka, replayed))]
        return figures + asyncio.run(scale_figures(stack, settings, scale))


def run_bench(quick: bool, json_path: Path | None, database_url: str | None = None) -> int:
    size = SIZES["quick" if quick else "full"]
    with tempfile.TemporaryDirectory(prefix="sori-bench-") as home:
        print(f"▸ starting a stack for the bench under {home} …", flush=True)
        # Figure 1's baseline drives the same Temporal server from this process: the server keeps the priority of the
        # client it is compared with, not the lower one `sori up` gives the background parts.
        same_priority = {"SORI_BACKGROUND_NICE": "0"}
        with running_stack(Path(home) / "embedded", None, "--no-demo", extra_env=same_priority) as stack:
            figures = asyncio.run(measure(stack, size["lifecycles"], size["events"]))
        if database_url:
            figures += at_scale(
                Path(home) / "postgresql", database_url, SCALES["quick" if quick else "full"], size["replayed"]
            )
        else:
            print(
                "▸ no PostgreSQL given (--database-url / DATABASE_URL): the at-scale figures are left out", flush=True
            )
    print(render_table(figures), flush=True)
    if json_path:
        json_path.write_text(json.dumps([f.as_dict() for f in figures], indent=2))
    return 0
