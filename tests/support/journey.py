"""The people of a story on the real stack: an association, the working group and two local governments, each
speaking to their service's public HTTP API with their own token."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from temporalio.client import WorkflowHandle

from contracts.envelope import Role
from sori.auth import issue_token
from sori.settings import Settings
from sori.temporal import connect_temporal
from sori_cli.stack.child import RunningStack
from tests.polling import eventually
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import LifecycleState


@dataclass
class Person:
    http: httpx.AsyncClient

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON answer of a call that must succeed (any 2xx)."""
        response = await self.http.request(method, path, **kwargs)
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    async def until(self, path: str, field: str, value: str, within: float = 60) -> dict[str, Any]:
        """GET `path` until its `field` says `value` (the service learns it from Kafka, a moment later)."""

        async def probe() -> dict[str, Any]:
            response = await self.http.get(path)
            return response.json() if response.status_code == 200 else {}

        found: dict[str, Any] = await eventually(probe, until=lambda body: body.get(field) == value, within=within)
        return found


def person(stack: RunningStack, service: str, role: Role, org: str) -> Person:
    secret = (stack.home / "secret").read_text().strip()
    token = issue_token(secret, sub=f"{role.value}@{org}", org=org, role=role, ttl=timedelta(hours=1))
    return Person(httpx.AsyncClient(base_url=stack.url(service), headers={"Authorization": f"Bearer {token}"}))


async def zels_roadmap(lga: Person) -> str:
    """ZELS's roadmap for SoRi 4 (one per association and programme), made on first use."""
    listed = await lga.call("GET", "/roadmaps/v1/roadmaps", params={"association": "ZELS"})
    items = listed["items"] if isinstance(listed, dict) else listed
    if items:
        roadmap_id: str = items[0]["id"]
        return roadmap_id
    created = await lga.call("POST", "/roadmaps/v1/roadmaps", json={"programme": "SoRi 4", "title": "ZELS roadmap"})
    new_id: str = created["id"]
    return new_id


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
    handle: WorkflowHandle[RecommendationLifecycle, LifecycleState]
    handle = client.get_workflow_handle_for(RecommendationLifecycle.run, workflow_id(recommendation_id))
    return await handle.query(RecommendationLifecycle.state)


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

INDICATOR = "persons with disabilities using day care"


async def report_done(lg: Person, rec: str, milestone: dict[str, str]) -> None:
    evidence = await lg.call(
        "POST", "/social-approaches/v1/evidence", files={"file": ("opening.pdf", PDF, "application/pdf")}
    )
    await lg.call(
        "POST",
        f"/social-approaches/v1/recommendations/{rec}/milestones/{milestone['milestone_id']}/reports",
        json={
            "status": "done",
            "narrative": "The unit opened.",
            "indicators": [{"indicator": INDICATOR, "value": 12, "by_sex": {"female": 7, "male": 5}}],
            "evidence_ids": [evidence["evidence_id"]],
        },
    )


async def planned_for(lg: Person, rec: str) -> list[dict[str, str]]:
    async def mine() -> list[dict[str, str]]:
        listed = await lg.call("GET", "/social-approaches/v1/milestones")
        items = listed["items"] if isinstance(listed, dict) else listed
        return [m for m in items if m["recommendation_id"] == rec]

    found: list[dict[str, str]] = await eventually(mine, until=bool, within=60)
    return found
