"""Waiting for parts to become ready, with a deadline, while watching that they have not died."""

import asyncio
import ssl
import time
from collections.abc import Awaitable, Callable
from functools import cache

import httpx

from sori.kafka import ensure_topics
from sori.settings import Settings
from sori_cli.stack.processes import ManagedProcess

POLL_SECONDS = 0.1
# One probe's longest wait: a port that accepts but never answers (another program took it) would otherwise hold the
# probe, and the check that the part has died, for as long as the client's own connect timeout.
PROBE_SECONDS = 2.0


class StartFailed(RuntimeError):
    """A part that did not start: why, where its log is, and the log's last lines (what a person asks for next)."""

    def __init__(self, part: str, why: str, log: str | None = None, tail: str = "") -> None:
        super().__init__(f"{part} {why}")
        self.part = part
        self.why = why
        self.log = log
        self.tail = tail


async def wait_until(
    part: str,
    probe: Callable[[], Awaitable[bool]],
    *,
    within: float,
    process: ManagedProcess | None = None,
) -> float:
    """Seconds until `probe` holds; StartFailed if the process exits or the deadline passes first."""
    started = time.monotonic()
    while True:
        if process is not None and (code := process.exit_code()) is not None:
            raise StartFailed(part, f"exited with code {code} while starting", *_log_of(process))
        try:
            if await asyncio.wait_for(probe(), timeout=PROBE_SECONDS):
                return time.monotonic() - started
        except Exception:
            pass
        if time.monotonic() - started > within:
            raise StartFailed(part, f"was not ready within {within:.0f}s", *_log_of(process))
        await asyncio.sleep(POLL_SECONDS)


def _log_of(process: ManagedProcess | None) -> tuple[str | None, str]:
    return (str(process.spec.log_path), process.log_tail()) if process else (None, "")


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every probe: otherwise each new client loads the certificate store (~46 ms of CPU), and
    seven parts polled every 0.1 s while they start would ask for ~3 cores' worth of it."""
    return ssl.create_default_context()


def http_ready(url: str) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        async with httpx.AsyncClient(timeout=2.0, verify=_tls()) as client:
            return (await client.get(url)).status_code == 200

    return probe


def topics_ready(settings: Settings) -> Callable[[], Awaitable[bool]]:
    """A probe: SoRi's topics are on the broker (created where missing).

    Kafka's client is not started before the broker listens: it logs each refused connection as an error, a dozen
    while an embedded broker starts.
    """

    async def probe() -> bool:
        if not await _any_listens(settings.kafka_servers):
            return False
        await ensure_topics(settings)
        return True

    return probe


async def _any_listens(servers: str) -> bool:
    for server in servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            _, writer = await asyncio.open_connection(host.strip("[]"), int(port))
        except OSError:
            continue
        writer.close()
        await writer.wait_closed()
        return True
    return False
