"""One version, pyproject.toml's: `sori --version` and every process's /healthz say it."""

import subprocess
import sys
import tomllib
from pathlib import Path

import httpx
from fastapi import FastAPI

from sori.health import health_router
from sori.version import __version__

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def released() -> str:
    version: str = tomllib.loads(PYPROJECT.read_text())["project"]["version"]
    return version


def test_the_version_is_pyprojects() -> None:
    assert __version__ == released()


def test_sori_version_prints_it() -> None:
    said = subprocess.run(
        [sys.executable, "-m", "sori_cli.main", "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert said.stdout.strip() == f"sori {released()}"


async def test_healthz_says_it() -> None:
    app = FastAPI()
    app.include_router(health_router({}))

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://process") as http:
        alive = await http.get("/healthz")

    assert alive.json() == {"status": "ok", "version": released()}
