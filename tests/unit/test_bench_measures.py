"""The bench's own measures: CPU per process over a window, and how many answers a second a server kept up with."""

import os
import time

from sori.bench.cpu import cpu_percent, cpu_seconds
from sori.bench.latency import Latencies
from sori.bench.lifecycles import Rounds

GONE = 2**22 + 1  # above Linux's largest pid, so no process has it


def spend_a_tick() -> None:
    """Spend CPU in this process until the kernel has counted a tick of it."""
    spent_before = cpu_seconds(os.getpid())
    deadline = time.monotonic() + 10
    while cpu_seconds(os.getpid()) <= spent_before and time.monotonic() < deadline:
        sum(range(10_000))


def test_cpu_percent_counts_the_cpu_a_process_spends_and_leaves_out_one_that_is_gone() -> None:
    with cpu_percent({"this test": os.getpid(), "gone": GONE}) as shares:
        spend_a_tick()

    assert set(shares) == {"this test"}
    assert shares["this test"] > 0


def test_answers_per_second_count_only_the_successful_ones() -> None:
    latencies = Latencies(milliseconds=[10.0] * 150, failures=50, seconds=2.0)

    assert latencies.per_second == 75.0
    assert latencies.percentile(99) == 10.0


async def rate(value: float) -> float:
    """A round that spends at least a tick of CPU in this process, and measured `value`."""
    spend_a_tick()
    return value


async def test_rounds_give_the_median_rate_and_add_up_the_servers_cpu() -> None:
    rounds = Rounds()
    for value in (40.0, 90.0, 50.0):
        await rounds.measure(os.getpid(), rate(value))

    assert rounds.rates == [40.0, 90.0, 50.0]
    assert rounds.median == 50.0
    assert rounds.temporal_cpu > 0.0


async def test_rounds_count_no_cpu_for_a_server_that_is_not_the_stacks() -> None:
    rounds = Rounds()
    await rounds.measure(None, rate(10.0))

    assert rounds.temporal_cpu == 0.0
