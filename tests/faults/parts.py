"""The parts of a running stack as processes: find one's current pid (the supervisor gives a restarted part a new
one), kill it, and wait until everything answers as ready again."""

import os
import signal
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from sori_cli.stack.child import RunningStack
from sori_cli.stack.up import role_of
from tests.polling import eventually

# How a part's command line names it: the services by `serve <name>`, the infrastructure by its program.
_BINARIES = {"kafka": "tansu", "temporal": "start-dev"}


def _children(parent: int) -> dict[int, list[str]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except (OSError, IndexError):
            continue
        if int(state[1]) == parent and state[0] != "Z":
            found[int(entry.name)] = argv
    return found


def pid_of(stack: RunningStack, part: str) -> int | None:
    """The live process of `part` that `sori up` supervises, if there is one now (of a service that runs several,
    the one at the part's own port: "progress" or "progress-2")."""
    binary = _BINARIES.get(part)
    for pid, argv in _children(stack.process.pid).items():
        if (binary and any(a.endswith(binary) for a in argv)) or (not binary and argv[3:7] == _serving(stack, part)):
            return pid
    return None


def _serving(stack: RunningStack, part: str) -> list[str]:
    port = urlsplit(stack.document["services"][part]).port
    return ["serve", role_of(part), "--port", str(port)]


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


async def not_ready(stack: RunningStack) -> list[str]:
    """The parts whose /readyz does not say ready now."""
    waiting = []
    async with httpx.AsyncClient(timeout=5.0) as http:
        for name, url in stack.document["services"].items():
            try:
                ready = (await http.get(f"{url}/readyz")).json().get("ready") is True
            except (httpx.HTTPError, ValueError):
                ready = False
            if not ready:
                waiting.append(name)
    return waiting


async def all_ready(stack: RunningStack, within: float = 90) -> None:
    await eventually(lambda: not_ready(stack), until=lambda waiting: not waiting, within=within)
