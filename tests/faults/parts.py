"""The parts of a running stack as processes: find one's current pid (the supervisor gives a restarted part a new
one), kill it, and wait until everything answers as ready again."""

import os
import signal

from sori_cli.soak.parts import not_ready, pid_of
from sori_cli.stack.child import RunningStack
from tests.polling import eventually


def kill(stack: RunningStack, part: str, signum: int = signal.SIGKILL) -> int:
    """Send `part` a signal, by default SIGKILL (no chance to clean up); its pid."""
    pid = pid_of(stack, part)
    assert pid is not None, f"{part} is not running"
    os.kill(pid, signum)
    return pid


async def restarted(stack: RunningStack, part: str, killed: int, within: float = 60) -> int:
    """The new pid the supervisor gave `part` after `killed` died."""

    async def current() -> int | None:
        return pid_of(stack, part)

    pid = await eventually(current, until=lambda p: p not in (None, killed), within=within)
    assert pid is not None
    return pid


async def all_ready(stack: RunningStack, within: float = 90) -> None:
    await eventually(lambda: not_ready(stack), until=lambda waiting: not waiting, within=within)
