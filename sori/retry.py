"""Reaching infrastructure that may not be up yet: a process starts anyway, reports not ready, and keeps trying."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog

T = TypeVar("T")
log = structlog.get_logger()


async def until_it_works(
    what: str, attempt: Callable[[], Awaitable[T]], *, first_wait: float = 0.5, max_wait: float = 10.0
) -> T:
    """The result of the first `attempt` that does not raise; between attempts, waits double up to `max_wait`."""
    wait = first_wait
    while True:
        try:
            return await attempt()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning(f"{what} not reachable; trying again", error=repr(exc), retry_in=wait)
        await asyncio.sleep(wait)
        wait = min(wait * 2, max_wait)
