"""The working group's story: members, meetings, reviews and actions, as NALAS tells them over the API."""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.lifecycle import RecommendationStatus, StatusChanged
from contracts.topics import LIFECYCLE, WORKING_GROUP
from tests.polling import eventually
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

WORKFLOW = Actor(sub="lifecycle", org="NALAS", role=Role.NALAS)

PREFIX = "/working-group/v1"

S = RecommendationStatus


def nalas(tokens: Tokens, sub: str = "jana@nalas") -> dict[str, str]:
    return tokens.header(Role.NALAS, "NALAS", sub=sub)


async def lifecycle_says(
    wg: ServiceUnderTest,
    recommendation_id: UUID,
    status: RecommendationStatus,
    *,
    at: datetime | None = None,
    version: int | None = 1,
    cause_time: datetime | None = None,
) -> None:
    payload = StatusChanged(
        recommendation_id=recommendation_id,
        from_status=None,
        to_status=status,
        cause_event_id=uuid4(),
        cause_event_type="sori.roadmaps.recommendation.submitted.v1",
        association="ZELS",
        version=version,
        cause_time=cause_time,
    )
    event = new_event(payload, subject=str(recommendation_id), actor=WORKFLOW, source="lifecycle", time=at)
    await wg.deliver(LIFECYCLE, event.to_json())


async def recommendation_in(wg: ServiceUnderTest, status: RecommendationStatus, version: int = 1) -> UUID:
    recommendation_id = uuid4()
    await lifecycle_says(wg, recommendation_id, status, version=version)
    return recommendation_id


async def published(wg: ServiceUnderTest, count: int) -> list[Envelope]:
    return await eventually(lambda: _working_group_events(wg), until=lambda events: len(events) >= count)


async def _working_group_events(wg: ServiceUnderTest) -> list[Envelope]:
    return wg.published.events(WORKING_GROUP)


async def post(wg: ServiceUnderTest, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return await wg.http.post(f"{PREFIX}{path}", json=body, headers=headers)


async def register_member(wg: ServiceUnderTest, tokens: Tokens, sub: str, *, may_decide: bool = True) -> None:
    member = {"sub": sub, "name": "A member", "association": "ZELS", "position": "member", "may_decide": may_decide}
    response = await post(wg, "/members", member, nalas(tokens))
    assert response.status_code == 201, response.text


async def plan_meeting(wg: ServiceUnderTest, tokens: Tokens, agenda: list[UUID]) -> str:
    body = {"date": "2026-12-03", "title": "WG meeting", "agenda": [str(r) for r in agenda]}
    response = await post(wg, "/meetings", body, nalas(tokens))
    assert response.status_code == 201, response.text
    meeting_id: str = response.json()["id"]
    return meeting_id


TRAINING_CYCLE = {
    "kind": "training_cycle",
    "title": "Training cycle for councils for interethnic relations",
    "starts_on": "2027-02-01",
    "ends_on": "2027-05-31",
    "place": "Skopje",
    "organiser": "NALAS secretariat",
    "language": "mk",
    "topics": ["interethnic relations"],
    "recommendations": ["3f0c1a52-8a43-4e0b-9d55-7d6c0f2a9e11"],
}

E_LEARNING_COURSE = {
    "kind": "e_learning_course",
    "title": "LNOB social mapping",
    "starts_on": "2027-01-10",
    "ends_on": "2027-03-10",
    "online": True,
    "organiser": "NALAS e-academy",
    "enrolments": 40,
    "completions": 0,
}


async def plan(wg: ServiceUnderTest, nalas: dict[str, str], action: dict[str, Any]) -> str:
    response = await wg.http.post(f"{PREFIX}/actions", json=action, headers=nalas)
    assert response.status_code == 201, response.text
    action_id: str = response.json()["id"]
    return action_id
