"""The people of a story on the real stack: an association, the working group and two local governments, each
speaking to their service's public HTTP API with their own token."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from contracts.envelope import Role
from sori.auth import issue_token
from sori_cli.stack.child import RunningStack
from tests.polling import eventually


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
