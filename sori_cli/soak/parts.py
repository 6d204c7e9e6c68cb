"""The parts of a running stack as processes: which process is a part now (the supervisor gives a restarted part a
new one), how many processes SoRi runs, how much memory each holds, and whether every part answers ready."""

from pathlib import Path
from urllib.parse import urlsplit

import httpx

from sori.roles import ROLES
from sori_cli.stack.up import role_of
from sori_cli.stack.view import StackView

# How a part's command line names it: the services by `serve <name> --port <port>`, the infrastructure by its program.
BINARIES = {"kafka": "tansu", "temporal": "start-dev"}
READY_PROBE_SECONDS = 5.0


def _processes() -> dict[int, tuple[int, list[str]]]:
    """Every live process: pid -> (parent pid, argv)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except (OSError, IndexError):
            continue
        if state[0] != "Z":
            found[int(entry.name)] = (int(state[1]), argv)
    return found


def children(parent: int) -> dict[int, list[str]]:
    return {pid: argv for pid, (ppid, argv) in _processes().items() if ppid == parent}


def descendants(root: int) -> int:
    """How many live processes descend from `root` (an orphan a part left behind is counted until it exits)."""
    tree = _processes()
    below: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, (ppid, _) in tree.items() if ppid in frontier} - below
        below |= frontier
    return len(below)


def parts(stack: StackView) -> list[str]:
    """Every part `sori up` supervises, by name: the broker and Temporal (when embedded), services, pipeline."""
    return [name for name in stack.pids if name in BINARIES or role_of(name) in ROLES]


def pid_of(stack: StackView, part: str) -> int | None:
    """The live process of `part` now, if there is one (of a service that runs several, the one at the part's own
    port: "progress" or "progress-2")."""
    binary = BINARIES.get(part)
    for pid, argv in children(stack.supervisor).items():
        if (binary and any(a.endswith(binary) for a in argv)) or (not binary and argv[3:7] == _serving(stack, part)):
            return pid
    return None


def _serving(stack: StackView, part: str) -> list[str]:
    port = urlsplit(stack.document["services"][part]).port
    return ["serve", role_of(part), "--port", str(port)]


async def not_ready(stack: StackView) -> list[str]:
    """The parts whose /readyz does not say ready now (it covers the database, the broker and Temporal)."""
    waiting = []
    async with httpx.AsyncClient(timeout=READY_PROBE_SECONDS) as http:
        for name, url in stack.document["services"].items():
            try:
                ready = (await http.get(f"{url}/readyz")).json().get("ready") is True
            except (httpx.HTTPError, ValueError):
                ready = False
            if not ready:
                waiting.append(name)
    return waiting
