"""CPU that each process spends during a window, from /proc (Linux), to tell which part of the stack bounds a figure."""

import asyncio
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system time a process (all its threads) has spent so far."""
    # The command name in field 2 may hold spaces and parentheses; the fields after its closing one are plain.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def cpu_seconds_of(pids: Mapping[str, int]) -> dict[str, float]:
    """`cpu_seconds` of each named process that is still there."""
    spent: dict[str, float] = {}
    for name, pid in pids.items():
        with suppress(OSError):
            spent[name] = cpu_seconds(pid)
    return spent


def cpu_spent_since(before: Mapping[str, float], pids: Mapping[str, int]) -> dict[str, float]:
    """CPU seconds each process of `before` has spent since; a process that is gone by now is left out."""
    now = cpu_seconds_of({name: pids[name] for name in before})
    return {name: spent - before[name] for name, spent in now.items()}


@contextmanager
def cpu_percent(pids: Mapping[str, int]) -> Iterator[dict[str, float]]:
    """Each process's CPU during the block, in % of one core, in the dict it yields (filled when the block ends).

    A process that is gone by then is left out."""
    before = cpu_seconds_of(pids)
    started = time.perf_counter()
    shares: dict[str, float] = {}
    yield shares
    seconds = time.perf_counter() - started
    shares.update({name: spent / seconds * 100 for name, spent in cpu_spent_since(before, pids).items()})


async def cpu_share(pids: Mapping[str, int], seconds: float) -> float:
    """The CPU the processes spend together over the next `seconds`, in % of one core."""
    before = cpu_seconds_of(pids)
    started = time.perf_counter()
    await asyncio.sleep(seconds)
    return sum(cpu_spent_since(before, pids).values()) / (time.perf_counter() - started) * 100
