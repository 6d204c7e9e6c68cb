"""Every lifecycle history ever recorded still replays against today's workflow code: a change that would alter
what a running lifecycle does must be guarded with `workflow.patched` (re-record with
`python -m tests.workflow.record_histories`, keeping the old files)."""

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from sori.temporal import DATA_CONVERTER
from workflows.lifecycle import RecommendationLifecycle

pytestmark = pytest.mark.workflow
HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_there_are_recorded_histories_to_replay() -> None:
    assert HISTORIES, "no recorded histories under tests/workflow/histories/"


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_a_recorded_history_replays_without_nondeterminism(path: Path) -> None:
    history = WorkflowHistory.from_json(f"recommendation-{path.stem}", path.read_text())
    replayer = Replayer(workflows=[RecommendationLifecycle], data_converter=DATA_CONVERTER)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"
