"""Backup, wipe SORI_HOME, restore: a real stack answers as before — the progress API, the timeline, the evidence
file, the lifecycle workflow's query — and after the restore each event is applied once: the whole history is sent
again, and the recommendation's next status change is the one change added to every timeline.

SQLite only: a restore recreates PostgreSQL schemas under their names, and each stack these tests start takes
schemas of a new prefix (tests/service/test_backup_restore.py restores PostgreSQL)."""

import asyncio
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus
from sori_cli.stack.child import ENV_OF_REAL_INFRASTRUCTURE, RunningStack, running_stack
from tests.polling import eventually
from tests.support.journey import PDF, person, progress_status, submit_a_recommendation, workflow_state

pytestmark = pytest.mark.integration


@dataclass
class Answers:
    progress: dict[str, Any]
    timeline: list[Any]
    evidence: bytes
    status: RecommendationStatus | None
    lifecycle: list[tuple[RecommendationStatus | None, RecommendationStatus | None]]


async def answers(stack: RunningStack, rec: str, evidence_id: str) -> Answers:
    observer = person(stack, "progress", Role.OBSERVER, "OBSERVER")
    lg = person(stack, "social_approaches", Role.LG, "MK-KUMANOVO")
    async with observer.http, lg.http:
        progress = await observer.call("GET", f"/progress/v1/recommendations/{rec}")
        timeline = await observer.call("GET", f"/progress/v1/recommendations/{rec}/timeline")
        evidence = await lg.http.get(f"/social-approaches/v1/evidence/{evidence_id}/content")
    state = await workflow_state(stack, rec)
    lifecycle = [(entry.from_status, entry.to_status) for entry in state.timeline]
    return Answers(progress, timeline["changes"], evidence.content, state.status, lifecycle)


def sori(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_OF_REAL_INFRASTRUCTURE} | {"SORI_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "sori_cli.main", *args], env=env, capture_output=True, text=True, timeout=300
    )


async def test_a_restored_backup_answers_as_before_and_applies_each_event_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with running_stack(home, None, "--no-demo") as stack:
        rec = (await submit_a_recommendation(stack))["id"]
        lg = person(stack, "social_approaches", Role.LG, "MK-KUMANOVO")
        async with lg.http:
            evidence = await lg.call(
                "POST", "/social-approaches/v1/evidence", files={"file": ("list.pdf", PDF, "application/pdf")}
            )
        await eventually(lambda: progress_status(stack, rec), until=lambda s: s == "submitted", within=60)
        before = await answers(stack, rec, evidence["evidence_id"])
    assert before.evidence == PDF
    assert before.lifecycle == [(None, "drafted"), ("drafted", "submitted")]

    archive = tmp_path / "sori.tar.gz"
    backed_up = await asyncio.to_thread(sori, home, "backup", str(archive))
    assert backed_up.returncode == 0, backed_up.stderr
    shutil.rmtree(home)
    restored = await asyncio.to_thread(sori, home, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "events will be sent again" in restored.stdout

    with running_stack(home, None, "--no-demo") as again:
        assert await answers(again, rec, evidence["evidence_id"]) == before
        lga = person(again, "roadmaps", Role.LGA, "ZELS")
        async with lga.http:
            await lga.call("POST", f"/roadmaps/v1/recommendations/{rec}/withdraw", json={"reason": "Merged."})
        # The withdrawal is sent after the history sent again, on the recommendation's own partitions: once progress
        # shows it, every event before it has reached progress and the lifecycle a second time.
        await eventually(lambda: progress_status(again, rec), until=lambda s: s == "withdrawn", within=120)
        after = await answers(again, rec, evidence["evidence_id"])

    assert after.lifecycle == [*before.lifecycle, ("submitted", "withdrawn")]
    assert len(after.timeline) == len(before.timeline) + 1
    assert after.timeline[: len(before.timeline)] == before.timeline
