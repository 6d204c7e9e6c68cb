"""No module of ours is named like a module of the standard library: inside its package it would shadow that one
for a reader (and for any tool that puts the package's folder on the path)."""

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("contracts", "sori", "sori_cli", "services", "workflows", "tests")


def test_no_module_or_package_is_named_like_one_of_the_standard_library() -> None:
    modules = [
        path for package in PACKAGES for path in (ROOT / package).rglob("*.py") if "node_modules" not in path.parts
    ]
    names = {path.parent if path.name == "__init__.py" else path for path in modules}
    shadowing = sorted(
        str(path.relative_to(ROOT))
        for path in names
        if path.stem in sys.stdlib_module_names and path.stem != "__init__"
    )
    assert shadowing == []
