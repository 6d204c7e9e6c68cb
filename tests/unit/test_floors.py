"""The floors hold: `make lint` runs lint-imports with pyproject.toml's contracts, and a forbidden import breaks it.

Each case copies the packages to a temporary folder, adds one import that crosses a floor, and runs the same
command `make lint` runs there."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("sori_cli", "services", "workflows", "sori", "contracts")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("house")
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_tree_as_it_is_keeps_every_contract(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("sori/floor_test.py", "import services.roadmaps.domain", "Floors"),
        ("contracts/floor_test.py", "import sori.settings", "Floors"),
        ("services/floor_test_a.py", "import sori_cli.main", "Floors"),
        ("services/roadmaps/floor_test.py", "import services.progress.domain", "Services meet only on Kafka"),
        ("workflows/floor_test.py", "import services.progress.domain", "Floors"),
    ],
)
def test_an_import_across_a_floor_breaks_the_lint(tree: Path, module: str, line: str, contract: str) -> None:
    crossing = tree / module
    crossing.write_text(f"{line}\n")
    try:
        result = lint_imports(tree)
    finally:
        crossing.unlink()
    assert result.returncode == 1, result.stdout
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken
    assert module.removesuffix(".py").replace("/", ".") in broken
