"""The bench's own measures: CPU per process over a window, and how many answers a second a server kept up with."""

import os
import time
from collections.abc import Mapping

import pytest

from sori_cli.bench import lifecycles
from sori_cli.bench.cpu import cpu_percent, cpu_seconds
from sori_cli.bench.latency import Latencies
from sori_cli.bench.lifecycles import Rounds, per_cpu_second, settled

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


async def nothing_to_settle() -> None:
    pass


async def spending_a_tick() -> None:
    spend_a_tick()


async def measured(value: float) -> float:
    """A round that spends nothing of its own."""
    return value


async def test_rounds_give_the_median_rate_and_add_up_each_processs_cpu() -> None:
    rounds = Rounds()
    for value in (40.0, 90.0, 50.0):
        await rounds.measure({"this test": os.getpid()}, rate(value), nothing_to_settle)

    assert rounds.rates == [40.0, 90.0, 50.0]
    assert rounds.median == 50.0
    assert rounds.cpu["this test"] > 0.0
    assert rounds.per_event_ms(1).startswith("this test ")


async def test_a_round_counts_the_cpu_spent_until_it_has_settled() -> None:
    rounds = Rounds()
    await rounds.measure({"this test": os.getpid()}, measured(10.0), spending_a_tick)

    assert rounds.cpu["this test"] > 0.0


async def test_rounds_count_no_cpu_for_a_process_that_is_gone_and_name_it() -> None:
    rounds = Rounds()
    await rounds.measure({"this test": os.getpid(), "gone": GONE}, rate(10.0), nothing_to_settle)

    assert set(rounds.cpu) == {"this test"}
    assert rounds.missing == {"gone"}


def scripted_shares(monkeypatch: pytest.MonkeyPatch, shares: list[float]) -> list[float]:
    """Makes the processes' CPU share, window after window, the given ones (then idle); returns those not read."""
    left = list(shares)

    async def share(_pids: Mapping[str, int], _seconds: float) -> float:
        return left.pop(0) if left else 0.0

    monkeypatch.setattr(lifecycles, "cpu_share", share)
    return left


async def test_settling_waits_until_a_window_is_back_near_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    unread = scripted_shares(monkeypatch, [90.0, 60.0, 31.0, 29.0, 80.0])

    await settled({"stack": 1}, idle_share=15.0)

    assert unread == [80.0]


async def test_settling_gives_up_at_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    unread = scripted_shares(monkeypatch, [90.0] * 1_000_000)
    monkeypatch.setattr(lifecycles, "SETTLE_WITHIN_SECONDS", 0.05)

    await settled({"stack": 1}, idle_share=15.0)

    assert 0 < len(unread) < 1_000_000


def rounds_that_spent(**cpu: float) -> Rounds:
    rounds = Rounds(rates=[1.0])
    rounds.cpu.update(cpu)
    return rounds


def test_events_per_cpu_second_divide_by_one_process_or_by_all() -> None:
    piped = rounds_that_spent(temporal=2.0, worker=3.0, roadmaps=5.0)
    baseline = rounds_that_spent(temporal=4.0, bench=1.0)

    of_temporal = per_cpu_second("of Temporal", 100, piped, baseline, "temporal")
    of_all = per_cpu_second("all", 100, piped, baseline)

    assert of_temporal is not None
    assert (of_temporal.value, of_temporal.baseline) == (50.0, 25.0)
    assert of_all is not None
    assert (of_all.value, of_all.baseline) == (10.0, 20.0)
    assert of_all.ratio == 0.5


def test_events_per_cpu_second_are_left_out_where_a_side_spent_no_counted_cpu() -> None:
    assert per_cpu_second("of Temporal", 100, rounds_that_spent(temporal=0.0), rounds_that_spent(temporal=1.0)) is None
