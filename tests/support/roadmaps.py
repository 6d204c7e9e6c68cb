"""The roadmaps story: an association's roadmap, its recommendations drafted and submitted, and where the
lifecycle says they stand."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.lifecycle import RecommendationStatus, StatusChanged
from contracts.topics import LIFECYCLE, ROADMAPS
from tests.polling import eventually
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

ROADMAP = {"programme": "SoRi 4", "title": "ZELS roadmap on social inclusion"}

RECOMMENDATION = {"title": "Day-care centres for persons with disabilities", "language": "en"}

LIFECYCLE_ACTOR = Actor(sub="lifecycle", org="NALAS", role=Role.NALAS)


def zels(tokens: Tokens) -> dict[str, str]:
    return tokens.header(Role.LGA, "ZELS")


async def read(service: ServiceUnderTest, tokens: Tokens, path: str) -> Any:
    response = await service.http.get(f"/roadmaps/v1{path}", headers=tokens.header(Role.OBSERVER, "OBSERVER"))
    assert response.status_code == 200, response.text
    return response.json()


async def create_roadmap(service: ServiceUnderTest, tokens: Tokens, org: str = "ZELS", **fields: Any) -> dict[str, Any]:
    response = await service.http.post(
        "/roadmaps/v1/roadmaps", json={**ROADMAP, **fields}, headers=tokens.header(Role.LGA, org)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def draft(
    service: ServiceUnderTest, tokens: Tokens, roadmap_id: str, org: str = "ZELS", **fields: Any
) -> dict[str, Any]:
    response = await service.http.post(
        f"/roadmaps/v1/roadmaps/{roadmap_id}/recommendations",
        json={**RECOMMENDATION, **fields},
        headers=tokens.header(Role.LGA, org),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def a_drafted_recommendation(service: ServiceUnderTest, tokens: Tokens, **fields: Any) -> dict[str, Any]:
    roadmap = await create_roadmap(service, tokens)
    return await draft(service, tokens, roadmap["id"], **fields)


async def settle(
    service: ServiceUnderTest, recommendation_id: str, status: RecommendationStatus, cause: Envelope | None = None
) -> None:
    """The lifecycle says where the recommendation now stands, as the workflow would; by default because of an
    event of another service."""
    changed = StatusChanged(
        recommendation_id=recommendation_id,
        from_status=None,
        to_status=status,
        cause_event_id=cause.id if cause else uuid4(),
        cause_event_type=cause.type if cause else "sori.working_group.recommendation.endorsed.v1",
    )
    event = new_event(changed, subject=recommendation_id, actor=LIFECYCLE_ACTOR, source="lifecycle")
    await service.deliver(LIFECYCLE, event.to_json())


async def published(
    service: ServiceUnderTest, event_type: str, count: int = 1, subject: str | None = None
) -> list[Any]:
    """The events of a type (and subject, if given) that reached sori.roadmaps.v1, once `count` of them have."""

    async def of_type() -> list[Any]:
        events = service.published.events(ROADMAPS)
        return [e for e in events if e.type == event_type and subject in (None, e.subject)]

    return await eventually(of_type, until=lambda events: len(events) >= count)


async def lifecycle_applies(service: ServiceUnderTest, event_type: str, status: RecommendationStatus) -> None:
    """The lifecycle applies this service's latest event of a type, leading to `status`."""
    *_, event = await published(service, event_type)
    await settle(service, event.subject, status, cause=event)


def in_days(days: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def plan(**overrides: Any) -> dict[str, Any]:
    return {
        "local_governments": ["MK-KUMANOVO", "MK-STRUMICA"],
        "milestones": [
            {
                "title": "Satellite day-care unit opens",
                "due_date": in_days(90),
                "local_government": "MK-KUMANOVO",
                "indicators": ["day-care places"],
            },
            {"title": "Transport service runs", "due_date": in_days(180), "local_government": "MK-STRUMICA"},
        ],
        **overrides,
    }


async def an_endorsed_recommendation(service: ServiceUnderTest, tokens: Tokens) -> str:
    recommendation = await a_drafted_recommendation(service, tokens)
    await settle(service, recommendation["id"], RecommendationStatus.ENDORSED)
    rid: str = recommendation["id"]
    return rid


async def assign(service: ServiceUnderTest, tokens: Tokens, rid: str, body: dict[str, Any]) -> Any:
    return await service.http.post(
        f"/roadmaps/v1/recommendations/{rid}/assignment", json=body, headers=tokens.header(Role.LGA, "ZELS")
    )
