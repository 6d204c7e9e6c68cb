"""SoRi's processes as the soak measures them after warm-up and at the end: how many, and each part's memory."""

from contextlib import suppress
from dataclasses import dataclass

from sori.roles import ROLES
from sori_cli.bench.measure import rss_megabytes
from sori_cli.soak.parts import descendants, parts, pid_of
from sori_cli.soak.seen import Memory
from sori_cli.stack.up import role_of
from sori_cli.stack.view import StackView


@dataclass
class Footprint:
    processes: int
    memory: dict[str, tuple[int, float]]  # SoRi's own parts (not the broker's, not Temporal's): pid, MB


def footprint(stack: StackView) -> Footprint:
    memory = {}
    for part in parts(stack):
        pid = pid_of(stack, part)
        if pid is not None and role_of(part) in ROLES:
            with suppress(OSError):
                memory[part] = (pid, rss_megabytes(pid))
    return Footprint(descendants(stack.supervisor), memory)


def compared(warm: Footprint, end: Footprint) -> dict[str, Memory]:
    return {
        part: Memory(warm.memory[part][1], mb, same_process=warm.memory[part][0] == pid)
        for part, (pid, mb) in end.memory.items()
        if part in warm.memory
    }
