"""Waiting without sleeping blindly: poll a condition until it holds or a deadline passes."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
POLL_INTERVAL = 0.05


async def eventually(
    probe: Callable[[], Awaitable[T]], *, until: Callable[[T], bool] = bool, within: float = 20.0
) -> T:
    """The first result of `probe` that satisfies `until`; fails with the last result once `within` seconds pass."""
    deadline = time.monotonic() + within
    while True:
        result = await probe()
        if until(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s; last result: {result!r:.600}")
        await asyncio.sleep(POLL_INTERVAL)
