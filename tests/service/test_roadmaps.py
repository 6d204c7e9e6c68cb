"""An association drafts a recommendation in its roadmap and submits it; the events leave through the outbox."""

from typing import Any

from contracts.envelope import Role
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted
from contracts.topics import ROADMAPS
from tests.conftest import Tokens
from tests.polling import eventually
from tests.service.conftest import ServiceUnderTest

ROADMAP = {"programme": "SoRi 3", "title": "ZELS roadmap on social inclusion"}
RECOMMENDATION = {"title": "Day-care centres for persons with disabilities", "language": "en"}


async def create_roadmap(service: ServiceUnderTest, tokens: Tokens, org: str = "ZELS") -> dict[str, Any]:
    response = await service.http.post("/roadmaps/v1/roadmaps", json=ROADMAP, headers=tokens.header(Role.LGA, org))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def draft(service: ServiceUnderTest, tokens: Tokens, roadmap_id: str) -> dict[str, Any]:
    response = await service.http.post(
        f"/roadmaps/v1/roadmaps/{roadmap_id}/recommendations",
        json=RECOMMENDATION,
        headers=tokens.header(Role.LGA, "ZELS"),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_association_drafts_and_submits_a_recommendation(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    recommendation = await draft(roadmaps, tokens, roadmap["id"])
    assert recommendation["status"] == "drafted"
    assert recommendation["code"].startswith("ZELS-")
    assert recommendation["code"].endswith("-01")

    submitted = await roadmaps.http.post(
        f"/roadmaps/v1/recommendations/{recommendation['id']}/submit", headers=tokens.header(Role.LGA, "ZELS")
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    events = await eventually(lambda: _events(roadmaps), until=lambda e: len(e) == 2)
    assert [e.type for e in events] == [RecommendationDrafted.TYPE, RecommendationSubmitted.TYPE]
    assert {e.subject for e in events} == {recommendation["id"]}
    assert events[1].actor.org == "ZELS"


async def _events(service: ServiceUnderTest) -> list[Any]:
    return service.published.events(ROADMAPS)


async def test_codes_count_up_per_association(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    codes = [(await draft(roadmaps, tokens, roadmap["id"]))["code"] for _ in range(3)]
    assert [c.rsplit("-", 1)[1] for c in codes] == ["01", "02", "03"]


async def test_submitting_twice_is_refused_with_the_reason(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    recommendation = await draft(roadmaps, tokens, roadmap["id"])
    path = f"/roadmaps/v1/recommendations/{recommendation['id']}/submit"
    assert (await roadmaps.http.post(path, headers=tokens.header(Role.LGA, "ZELS"))).status_code == 200
    again = await roadmaps.http.post(path, headers=tokens.header(Role.LGA, "ZELS"))
    assert again.status_code == 409
    assert "submitted cannot be submitted" in again.json()["detail"]


async def test_lga_cannot_draft_in_another_lgas_roadmap(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens, org="ZELS")
    response = await roadmaps.http.post(
        f"/roadmaps/v1/roadmaps/{roadmap['id']}/recommendations",
        json=RECOMMENDATION,
        headers=tokens.header(Role.LGA, "AAM"),
    )
    assert response.status_code == 403
    assert "belongs to ZELS" in response.json()["detail"]


async def test_only_association_staff_create_roadmaps(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    for role in (Role.NALAS, Role.LG, Role.OBSERVER):
        response = await roadmaps.http.post("/roadmaps/v1/roadmaps", json=ROADMAP, headers=tokens.header(role, "NALAS"))
        assert response.status_code == 403, role
        assert "only association (lga) staff" in response.json()["detail"]


async def test_malformed_json_body_gets_a_422_with_the_reason(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    response = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps",
        content=b'{"programme": "SoRi 3", ',
        headers={**tokens.header(Role.LGA, "ZELS"), "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "JSON decode error" in str(response.json()["detail"])


async def test_missing_token_gets_a_401_with_the_reason(roadmaps: ServiceUnderTest) -> None:
    response = await roadmaps.http.post("/roadmaps/v1/roadmaps", json=ROADMAP)
    assert response.status_code == 401
    assert "missing bearer token" in response.json()["detail"]


async def test_forged_token_gets_a_401_with_the_reason(roadmaps: ServiceUnderTest) -> None:
    forged = Tokens("not-the-services-secret-but-long-enough-for-hs256").header(Role.LGA, "ZELS")
    response = await roadmaps.http.post("/roadmaps/v1/roadmaps", json=ROADMAP, headers=forged)
    assert response.status_code == 401
    assert "signature is not valid" in response.json()["detail"]


async def test_unknown_roadmap_is_a_404(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    response = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps/00000000-0000-0000-0000-000000000000/recommendations",
        json=RECOMMENDATION,
        headers=tokens.header(Role.LGA, "ZELS"),
    )
    assert response.status_code == 404
    assert "no roadmap" in response.json()["detail"]
