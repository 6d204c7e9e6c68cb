"""uv.lock: what make, CI and the image install, every package at an exact version with its hashes."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from deploy.uv_requirement import uv_requirement
from tests.deploy.files import DEPLOY, REPO, instructions

LOCK = REPO / "uv.lock"
UV = Path(sys.executable).parent / "uv"
# Put in by `python -m venv`, not by the lock.
SEEDED = {"pip", "setuptools"}
CHECKOUT = ("Makefile", "pyproject.toml", "uv.lock", "README.md", "deploy/uv_requirement.py")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_packages() -> list[dict[str, Any]]:
    packages: list[dict[str, Any]] = tomllib.loads(LOCK.read_text(encoding="utf-8"))["package"]
    return packages


def locked_versions() -> dict[str, str]:
    return {normalized(package["name"]): package["version"] for package in locked_packages()}


def checkout(tmp_path: Path) -> Path:
    """The files that decide what make installs, beside a fresh venv."""
    for name in CHECKOUT:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, tmp_path / name)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", tmp_path / ".venv"], check=True)
    return tmp_path


def make_install(project: Path) -> subprocess.CompletedProcess[str]:
    """`make`'s install step, with this venv's uv put in place last, so that make finds it newer than the lock and
    nothing downloads."""
    uv = project / ".venv/bin/uv"
    uv.write_text(f'#!/bin/sh\nexec {UV} "$@"\n')
    uv.chmod(0o755)
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), ".venv/.installed", f"PYTHON={sys.executable}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_every_installed_package_is_at_its_locked_version() -> None:
    locked = locked_versions()
    installed = {normalized(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}
    differing = {
        name: (version, locked.get(name))
        for name, version in installed.items()
        if name not in SEEDED and locked.get(name) != version
    }
    assert not differing, f"installed ≠ uv.lock, as name: (installed, locked): {differing}; `make test` syncs"
    assert {"fastapi", "temporalio", "babel", "pytest", "uv"} <= installed.keys()


def test_every_locked_download_carries_its_hash() -> None:
    downloads = [file for package in locked_packages() for file in [*package.get("wheels", []), package.get("sdist")]]
    downloads = [file for file in downloads if file and "url" in file]
    assert len(downloads) > 100
    assert all(file["hash"].startswith("sha256:") for file in downloads)


def test_the_bootstrap_installs_the_locked_uv_by_its_hashes() -> None:
    requirement = uv_requirement(LOCK)
    assert requirement.startswith(f"uv=={locked_versions()['uv']} --hash=sha256:")
    assert requirement.count("--hash=") > 5


def drop_babel_below_the_lock(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    assert '"babel>=' in text
    pyproject.write_text(text.replace('"babel>=', f'"babel>{locked_versions()["babel"]},>=', 1))


def hand_edit_babels_version(project: Path) -> None:
    lock = project / "uv.lock"
    pinned = f'name = "babel"\nversion = "{locked_versions()["babel"]}"'
    assert pinned in lock.read_text()
    lock.write_text(lock.read_text().replace(pinned, 'name = "babel"\nversion = "2.0.0"'))


@pytest.mark.parametrize("change", [drop_babel_below_the_lock, hand_edit_babels_version])
def test_make_refuses_a_lock_that_was_not_made_by_make_lock(tmp_path: Path, change: Callable[[Path], None]) -> None:
    project = checkout(tmp_path)
    change(project)
    result = make_install(project)
    assert result.returncode != 0
    assert "run 'make lock'" in result.stderr
    assert not (project / ".venv/.installed").exists()


def test_the_lock_matches_pyproject() -> None:
    result = subprocess.run(
        [str(UV), "lock", "--check", "--offline"],
        cwd=REPO,
        env={**os.environ, "UV_PYTHON": sys.executable, "UV_PYTHON_DOWNLOADS": "never"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_image_installs_from_the_lock() -> None:
    steps = [line for keyword, line in instructions() if keyword == "RUN"]
    installs = [line for line in steps if "pip install" in line or "uv sync" in line or "uv pip" in line]
    assert any("uv sync --locked" in line for line in installs)
    assert all("--locked" in line for line in installs if "uv sync" in line)
    assert all("--require-hashes" in line for line in installs if "pip install" in line)
    assert not any("uv pip" in line for line in installs)
    copied = " ".join(line for keyword, line in instructions() if keyword == "COPY")
    assert "uv.lock" in copied


def test_the_build_context_lets_in_everything_the_image_copies() -> None:
    allowed = {line[1:].rstrip("/") for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()}
    copies = [line.split()[1:] for keyword, line in instructions() if keyword == "COPY" and "--from=" not in line]
    sources = {source.rstrip("/") for parts in copies for source in [p for p in parts if not p.startswith("--")][:-1]}
    assert {"uv.lock", "deploy/uv_requirement.py"} <= sources
    assert sources <= allowed
