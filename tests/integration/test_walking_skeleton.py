"""An association submits a recommendation; the event crosses Kafka, its workflow takes it up, and the NALAS
dashboard's API shows where it stands — all through public HTTP on the real stack."""

import asyncio
import subprocess
import sys
from typing import Any

import httpx
import pytest

from contracts.envelope import Role
from sori.settings import Settings
from sori.temporal import connect_temporal
from sori.version import __version__
from sori_cli.stack.child import RunningStack
from tests.integration.journey import person, zels_roadmap
from tests.polling import eventually
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import LifecycleState

pytestmark = pytest.mark.integration


async def submit_a_recommendation(stack: RunningStack) -> dict[str, Any]:
    lga = person(stack, "roadmaps", Role.LGA, "ZELS")
    roadmap = await zels_roadmap(lga)
    recommendation: dict[str, Any] = await lga.call(
        "POST",
        f"/roadmaps/v1/roadmaps/{roadmap}/recommendations",
        json={"title": "Mobile outreach teams for Roma women and girls", "language": "en"},
    )
    assert recommendation["status"] == "drafted"
    await lga.call("POST", f"/roadmaps/v1/recommendations/{recommendation['id']}/submit")
    return recommendation


async def progress_status(stack: RunningStack, recommendation_id: str) -> str | None:
    async with httpx.AsyncClient(base_url=stack.url("progress"), headers=stack.headers("observer")) as observer:
        response = await observer.get(f"/progress/v1/recommendations/{recommendation_id}")
    return response.json()["status"] if response.status_code == 200 else None


async def workflow_state(stack: RunningStack, recommendation_id: str) -> LifecycleState:
    client = await connect_temporal(Settings(TEMPORAL_ADDRESS=stack.document["temporal_address"]))
    handle = client.get_workflow_handle_for(RecommendationLifecycle.run, workflow_id(recommendation_id))
    return await handle.query(RecommendationLifecycle.state)


async def test_a_submitted_recommendation_reaches_the_workflow_and_the_progress_api(stack: RunningStack) -> None:
    recommendation = await submit_a_recommendation(stack)

    status = await eventually(
        lambda: progress_status(stack, recommendation["id"]), until=lambda s: s == "submitted", within=60
    )
    assert status == "submitted"

    state = await workflow_state(stack, recommendation["id"])
    assert state.status == "submitted"
    assert [(e.from_status, e.to_status) for e in state.timeline] == [(None, "drafted"), ("drafted", "submitted")]
    assert {e.actor.org for e in state.timeline} == {"ZELS"}


async def test_the_association_sees_the_status_the_lifecycle_settled_on(stack: RunningStack) -> None:
    recommendation = await submit_a_recommendation(stack)
    await eventually(lambda: progress_status(stack, recommendation["id"]), until=lambda s: s == "submitted", within=60)

    async with httpx.AsyncClient(base_url=stack.url("roadmaps"), headers=stack.headers("lga")) as lga:
        again = await lga.post(f"/roadmaps/v1/recommendations/{recommendation['id']}/submit")
    assert again.status_code == 409
    assert "cannot be submitted" in again.json()["detail"]


async def test_sori_status_prints_state_and_timeline(stack: RunningStack) -> None:
    recommendation = await submit_a_recommendation(stack)
    await eventually(lambda: progress_status(stack, recommendation["id"]), until=lambda s: s == "submitted", within=60)

    completed = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "sori_cli.main", "status", recommendation["id"]],
        env={"SORI_HOME": str(stack.home), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    printed = completed.stdout
    assert "status   submitted" in printed
    assert "— → drafted" in printed
    assert "drafted → submitted" in printed


async def test_every_service_answers_health_readiness_and_metrics(stack: RunningStack) -> None:
    async with httpx.AsyncClient() as http:
        for name, url in stack.document["services"].items():
            assert (await http.get(f"{url}/healthz")).json() == {"status": "ok", "version": __version__}, name
            ready = (await http.get(f"{url}/readyz")).json()
            assert ready["ready"] is True, (name, ready)
            assert "sori_http_requests_total" in (await http.get(f"{url}/metrics")).text, name
        roadmaps_metrics = (await http.get(f"{stack.url('roadmaps')}/metrics")).text
        assert 'sori_outbox_pending{service="roadmaps"} 0.0' in roadmaps_metrics
        progress_metrics = (await http.get(f"{stack.url('progress')}/metrics")).text
        assert 'sori_consumer_lag{group="progress",partition=' in progress_metrics
