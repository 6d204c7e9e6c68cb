"""Waiting for a part of the stack: a probe that never answers (a port another program took accepts and then says
nothing) is given up after a while, so that a part that died while starting is noticed, and one that comes up later
is still seen ready."""

import asyncio
import sys
from pathlib import Path

import pytest

from sori_cli.stack.processes import ManagedProcess, ProcessSpec
from sori_cli.stack.readiness import StartFailed, wait_until


async def never_answers() -> bool:
    await asyncio.Event().wait()
    return True


def waiting_for_a_signal(tmp_path: Path) -> ManagedProcess:
    spec = ProcessSpec("doomed", [sys.executable, "-c", "import signal; signal.pause()"], {}, tmp_path / "doomed.log")
    process = ManagedProcess(spec)
    process.start()
    return process


async def test_a_part_that_dies_while_its_probe_hangs_is_noticed(tmp_path: Path) -> None:
    process = waiting_for_a_signal(tmp_path)
    assert process.popen is not None
    popen = process.popen

    async def dies_and_never_answers() -> bool:
        popen.kill()
        popen.wait()
        return await never_answers()

    with pytest.raises(StartFailed, match="exited with code -9"):
        # Bounded here so that the regression this guards against fails the test instead of hanging it.
        await asyncio.wait_for(wait_until("doomed", dies_and_never_answers, within=60, process=process), timeout=20)


async def test_a_probe_that_hangs_once_is_asked_again_and_the_part_is_ready() -> None:
    asked = 0

    async def hangs_the_first_time() -> bool:
        nonlocal asked
        asked += 1
        return await never_answers() if asked == 1 else True

    took = await asyncio.wait_for(wait_until("slow", hangs_the_first_time, within=60), timeout=20)
    assert asked == 2
    assert took > 0


async def test_a_part_that_fails_to_start_brings_the_end_of_its_log(tmp_path: Path) -> None:
    why = "RuntimeError: the database is locked"
    says_why_and_exits = f"print('starting', flush=True); raise SystemExit({why!r})"
    spec = ProcessSpec("broken", [sys.executable, "-c", says_why_and_exits], {}, tmp_path / "broken.log")
    process = ManagedProcess(spec)
    process.start()

    with pytest.raises(StartFailed, match="exited with code 1") as failed:
        await asyncio.wait_for(wait_until("broken", never_answers, within=60, process=process), timeout=20)

    assert failed.value.log == str(tmp_path / "broken.log")
    assert failed.value.tail.splitlines() == ["starting", why]
