"""Waiting for what the lifecycle does asynchronously (Kafka → Temporal → the services): reload the page until it
shows it, with a deadline — each look is Playwright's own auto-waiting `expect`, never a blind sleep."""

import time

from playwright.sync_api import Locator, Page, expect

LOOK_FOR_MS = 1_000


def reload_until(page: Page, shown: Locator, text: str | None = None, within: float = 90.0) -> None:
    """Reload `page` until `shown` is visible (and says `text`, when given)."""
    deadline = time.monotonic() + within
    while True:
        try:
            if text is None:
                expect(shown).to_be_visible(timeout=LOOK_FOR_MS)
            else:
                expect(shown).to_have_text(text, timeout=LOOK_FOR_MS)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.reload()


def until_status(page: Page, status: str, within: float = 90.0) -> None:
    """The recommendation on this page reaches `status` (as the page words it)."""
    reload_until(page, page.get_by_test_id("recommendation-status"), status, within)
