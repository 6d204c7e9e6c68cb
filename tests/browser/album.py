"""Full-page screenshots of every page the browser tests visit, kept as test artifacts."""

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error, Page

# Headless Chromium now and then refuses one capture of a full page ("Unable to capture screenshot"), seen once in
# ~200 captures; the next one works. The picture is a keepsake, so it is taken again rather than failing the journey.
CAPTURE_ATTEMPTS = 3


@dataclass
class Album:
    folder: Path
    taken: int = 0

    @classmethod
    def fresh(cls, folder: Path) -> "Album":
        """An empty album, so the folder shows this run's pages only."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return cls(folder)

    def keep(self, page: Page, name: str, lang: str) -> Path:
        """`NN-page-lang.png`, numbered in the order the pages were seen."""
        self.taken += 1
        path = self.folder / f"{self.taken:02d}-{_slug(name)}-{lang}.png"
        for attempt in range(1, CAPTURE_ATTEMPTS + 1):
            try:
                page.screenshot(path=path, full_page=True)
                break
            except Error as refused:
                if attempt == CAPTURE_ATTEMPTS or "Unable to capture screenshot" not in str(refused):
                    raise
        return path


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
