"""The bench's own measures: CPU per process over a window, and how many answers a second a server kept up with."""

import os
import time

from sori.bench.cpu import cpu_percent, cpu_seconds
from sori.bench.latency import Latencies

GONE = 2**22 + 1  # above Linux's largest pid, so no process has it


def test_cpu_percent_counts_the_cpu_a_process_spends_and_leaves_out_one_that_is_gone() -> None:
    own = os.getpid()
    with cpu_percent({"this test": own, "gone": GONE}) as shares:
        spent_before = cpu_seconds(own)
        deadline = time.monotonic() + 10
        while cpu_seconds(own) <= spent_before and time.monotonic() < deadline:
            sum(range(10_000))  # spend CPU until the kernel has counted a tick of it

    assert set(shares) == {"this test"}
    assert shares["this test"] > 0


def test_answers_per_second_count_only_the_successful_ones() -> None:
    latencies = Latencies(milliseconds=[10.0] * 150, failures=50, seconds=2.0)

    assert latencies.per_second == 75.0
    assert latencies.percentile(99) == 10.0
