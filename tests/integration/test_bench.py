"""`sori bench --quick` runs end to end and every figure it reports is a number (no timing is asserted here:
timing goals are the bench's business, measured as ratios in one run)."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.databases import DATABASES, POSTGRES_URL

pytestmark = pytest.mark.integration


def test_the_quick_bench_completes_and_every_figure_is_a_number(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    at_scale = ["--database-url", POSTGRES_URL] if "postgresql" in DATABASES else []
    completed = subprocess.run(
        [sys.executable, "-m", "sori_cli.main", "bench", "--quick", "--json", str(report), *at_scale],
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "", "SORI_HOME": str(tmp_path / "home")},
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    figures = json.loads(report.read_text())
    names = {f["name"] for f in figures}
    assert any(n.startswith("lifecycle pipeline") for n in names)
    assert "lifecycle events per CPU second of Temporal" in names
    assert "lifecycle events per CPU second, all processes" in names
    assert any(n.startswith("progress projection draining") for n in names)
    assert "sori up: time to ready" in names
    if at_scale:
        assert any(n.startswith("draft a recommendation at") for n in names)
        assert any(n.startswith("regional dashboard p95") for n in names)
    assert not [n for n in names if "failed" in n], "every request of the at-scale figures succeeds"
    for figure in figures:
        assert math.isfinite(figure["value"]), figure
        assert figure["value"] > 0, figure
        if figure["baseline"] is not None:
            assert math.isfinite(figure["ratio"]), figure
    assert "figure" in completed.stdout
