"""Who may do what, as a table of role and command: ZELS staff write ZELS's roadmap, NALAS comments and keeps the
reference data, everyone signed in reads, and nobody without a token does anything."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus
from tests.support.roadmaps import a_drafted_recommendation, settle
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

# Ordered so that the one who may change the recommendation goes last and everyone before meets it unchanged.
WHO: dict[str, tuple[Role, str] | None] = {
    "no token": None,
    "observer": (Role.OBSERVER, "OBSERVER"),
    "lg": (Role.LG, "MK-KUMANOVO"),
    "other lga": (Role.LGA, "AAM"),
    "nalas": (Role.NALAS, "NALAS"),
    "own lga": (Role.LGA, "ZELS"),
}


def only(allowed: dict[str, int]) -> dict[str, int]:
    return {who: allowed.get(who, 401 if who == "no token" else 403) for who in WHO}


READERS = only({who: 200 for who in WHO if who != "no token"})
OWN_LGA = only({"own lga": 200})
OWN_LGA_CREATES = only({"own lga": 201})


@dataclass
class Story:
    """The recommendation a command is tried on, brought to the state the command needs."""

    recommendation: dict[str, Any]
    milestone_id: str | None = None


Request = tuple[str, str, dict[str, Any] | None]


@dataclass(frozen=True)
class Command:
    name: str
    request: Callable[[Story], Request]
    outcomes: dict[str, int]
    needs: RecommendationStatus | None = None


def _due() -> str:
    return (datetime.now(UTC).date() + timedelta(days=30)).isoformat()


def _plan() -> dict[str, Any]:
    milestone = {"title": "Unit opens", "due_date": _due(), "local_government": "MK-KUMANOVO"}
    return {"local_governments": ["MK-KUMANOVO"], "milestones": [milestone]}


def _rec(story: Story, tail: str = "") -> str:
    return f"/roadmaps/v1/recommendations/{story.recommendation['id']}{tail}"


COMMANDS = [
    Command(
        "change the roadmap",
        lambda s: ("PATCH", f"/roadmaps/v1/roadmaps/{s.recommendation['roadmap_id']}", {"title": "New title"}),
        OWN_LGA,
    ),
    Command(
        "draft",
        lambda s: ("POST", f"/roadmaps/v1/roadmaps/{s.recommendation['roadmap_id']}/recommendations", {"title": "t"}),
        OWN_LGA_CREATES,
    ),
    Command("revise", lambda s: ("POST", _rec(s, "/versions"), {"title": "Revised"}), OWN_LGA_CREATES),
    Command("submit", lambda s: ("POST", _rec(s, "/submit"), None), OWN_LGA),
    Command("withdraw", lambda s: ("POST", _rec(s, "/withdraw"), {"reason": "r"}), OWN_LGA),
    Command("assign", lambda s: ("POST", _rec(s, "/assignment"), _plan()), OWN_LGA, RecommendationStatus.ENDORSED),
    Command(
        "reschedule",
        lambda s: ("POST", _rec(s, f"/milestones/{s.milestone_id}/reschedule"), {"due_date": _due(), "reason": "r"}),
        OWN_LGA,
        RecommendationStatus.IN_IMPLEMENTATION,
    ),
    Command(
        "comment",
        lambda s: ("POST", _rec(s, "/versions/1/comments"), {"body": "b"}),
        only({"nalas": 201, "own lga": 201}),
    ),
    Command(
        "edit reference data",
        lambda s: ("PUT", "/roadmaps/v1/reference/groups/roma", {"label": "Roma"}),
        only({"nalas": 200}),
    ),
    Command("read the recommendation", lambda s: ("GET", _rec(s), None), READERS),
    Command("read its versions", lambda s: ("GET", _rec(s, "/versions"), None), READERS),
    Command("list recommendations", lambda s: ("GET", "/roadmaps/v1/recommendations", None), READERS),
    Command("read reference data", lambda s: ("GET", "/roadmaps/v1/reference", None), READERS),
]


async def story_for(service: ServiceUnderTest, tokens: Tokens, command: Command) -> Story:
    story = Story(await a_drafted_recommendation(service, tokens))
    if command.needs is None:
        return story
    await settle(service, story.recommendation["id"], RecommendationStatus.ENDORSED)
    if command.needs is RecommendationStatus.IN_IMPLEMENTATION:
        assigned = await service.http.post(
            _rec(story, "/assignment"), json=_plan(), headers=tokens.header(Role.LGA, "ZELS")
        )
        story.milestone_id = assigned.json()["milestones"][0]["id"]
    return story


def headers(tokens: Tokens, who: str) -> dict[str, str]:
    identity = WHO[who]
    return tokens.header(*identity) if identity else {}


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
async def test_who_may_do_what(roadmaps: ServiceUnderTest, tokens: Tokens, command: Command) -> None:
    story = await story_for(roadmaps, tokens, command)
    outcomes: dict[str, int] = {}
    reasons: dict[str, str] = {}

    for who in WHO:
        method, path, body = command.request(story)
        response = await roadmaps.http.request(method, path, json=body, headers=headers(tokens, who))
        outcomes[who] = response.status_code
        if response.status_code in (401, 403):
            reasons[who] = response.json()["detail"]

    assert outcomes == command.outcomes
    for who, reason in reasons.items():
        identity = WHO[who]
        expected = ("missing bearer token",) if identity is None else _named(identity)
        assert any(part in reason for part in expected), (who, reason)


def _named(identity: tuple[Role, str]) -> tuple[str, ...]:
    """A refusal names who was refused: their role, or the association they act for."""
    role, org = identity
    return (f"you are {role.value}", f"you act for {org}")
