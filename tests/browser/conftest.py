"""The browser tier: one real `sori up` with the demo programme and one headless Debian Chromium, shared by the
tests of this folder and stopped when they are done."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from sori_cli.stack.child import RunningStack, running_stack
from tests.browser.album import Album
from tests.browser.people import Portal

# Debian's package, installed by `make browser-tools`; Playwright's own browser download is never used.
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parents[2] / ".artifacts" / "screenshots"


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with running_stack(tmp_path_factory.mktemp("stack"), None) as running:
        yield running


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"], headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="package")
def album() -> Album:
    return Album.fresh(SCREENSHOTS)


@pytest.fixture
def portal(stack: RunningStack, browser: Browser, album: Album) -> Iterator[Portal]:
    opened = Portal(stack, browser, album)
    try:
        yield opened
    finally:
        opened.close()
