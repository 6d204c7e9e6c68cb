"""An association submits a recommendation; the event crosses Kafka, its workflow takes it up, and the NALAS
dashboard's API shows where it stands — all through public HTTP on the real stack."""

import asyncio
import subprocess
import sys

import httpx
import pytest

from sori.version import __version__
from sori_cli.stack.child import RunningStack
from tests.polling import eventually
from tests.support.journey import progress_status, submit_a_recommendation, workflow_state

pytestmark = pytest.mark.integration


async def test_a_submitted_recommendation_reaches_the_workflow_and_the_progress_api(shared_stack: RunningStack) -> None:
    recommendation = await submit_a_recommendation(shared_stack)

    status = await eventually(
        lambda: progress_status(shared_stack, recommendation["id"]), until=lambda s: s == "submitted", within=60
    )
    assert status == "submitted"

    state = await workflow_state(shared_stack, recommendation["id"])
    assert state.status == "submitted"
    assert [(e.from_status, e.to_status) for e in state.timeline] == [(None, "drafted"), ("drafted", "submitted")]
    assert {e.actor.org for e in state.timeline} == {"ZELS"}


async def test_the_association_sees_the_status_the_lifecycle_settled_on(shared_stack: RunningStack) -> None:
    recommendation = await submit_a_recommendation(shared_stack)
    await eventually(
        lambda: progress_status(shared_stack, recommendation["id"]), until=lambda s: s == "submitted", within=60
    )

    async with httpx.AsyncClient(base_url=shared_stack.url("roadmaps"), headers=shared_stack.headers("lga")) as lga:
        again = await lga.post(f"/roadmaps/v1/recommendations/{recommendation['id']}/submit")
    assert again.status_code == 409
    assert "cannot be submitted" in again.json()["detail"]


async def test_sori_status_prints_state_and_timeline(shared_stack: RunningStack) -> None:
    recommendation = await submit_a_recommendation(shared_stack)
    await eventually(
        lambda: progress_status(shared_stack, recommendation["id"]), until=lambda s: s == "submitted", within=60
    )

    completed = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "sori_cli.main", "status", recommendation["id"]],
        env={"SORI_HOME": str(shared_stack.home), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    printed = completed.stdout
    assert "status   submitted" in printed
    assert "— → drafted" in printed
    assert "drafted → submitted" in printed


async def test_every_service_answers_health_readiness_and_metrics(shared_stack: RunningStack) -> None:
    async with httpx.AsyncClient() as http:
        for name, url in shared_stack.document["services"].items():
            assert (await http.get(f"{url}/healthz")).json() == {"status": "ok", "version": __version__}, name
            ready = (await http.get(f"{url}/readyz")).json()
            assert ready["ready"] is True, (name, ready)
            assert "sori_http_requests_total" in (await http.get(f"{url}/metrics")).text, name
        roadmaps_metrics = (await http.get(f"{shared_stack.url('roadmaps')}/metrics")).text
        assert 'sori_outbox_pending{service="roadmaps"} 0.0' in roadmaps_metrics
        progress_metrics = (await http.get(f"{shared_stack.url('progress')}/metrics")).text
        assert 'sori_consumer_lag{group="progress",partition=' in progress_metrics
