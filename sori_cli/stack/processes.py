"""Child processes that `sori up` owns: each in its own process group, logged to a file, stopped for certain."""

import contextlib
import ctypes
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 10.0


def _die_with_parent() -> None:
    # Linux: if `sori up` itself is killed outright, the kernel sends SIGTERM to its children.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def lower_priority(nice: int) -> None:
    """Lower this process's CPU priority by `nice`, as the scheduler sees it.

    Each child has a session of its own, and Linux's autogroup shares the CPU between sessions before nice values
    count within one: the process's nice alone changed nothing measurable (tried), its session's does.
    """
    if nice <= 0:
        return
    os.nice(nice)
    # Plain os calls: this runs between fork and exec, where the less Python does, the better.
    with contextlib.suppress(OSError):  # no autogroup (kernel without it, or /proc read-only)
        autogroup = os.open("/proc/self/autogroup", os.O_WRONLY)
        try:
            os.write(autogroup, str(nice).encode())
        finally:
            os.close(autogroup)


@dataclass
class ProcessSpec:
    name: str
    argv: Sequence[str]
    env: Mapping[str, str]
    log_path: Path
    ready_url: str | None = None
    nice: int = 0  # how much lower than `sori up` its CPU priority is


@dataclass
class ManagedProcess:
    spec: ProcessSpec
    popen: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        self.spec.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.spec.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                list(self.spec.argv),
                env=dict(self.spec.env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=self._prepare_child,
            )
        self.started_at = time.monotonic()

    def _prepare_child(self) -> None:
        # Runs in the child between fork and exec, after it has left for a session of its own.
        _die_with_parent()
        lower_priority(self.spec.nice)

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    def exit_code(self) -> int | None:
        """None while running."""
        return self.popen.poll() if self.popen else None

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.popen.wait()
        # Anything the child left in its group goes too.
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, signum: int) -> None:
        assert self.popen is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.spec.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
