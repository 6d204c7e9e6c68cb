"""Who may do what in the working group: only nalas writes, everyone signed in reads, nobody without a token."""

from typing import Any

import pytest

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus as S
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens
from tests.support.working_group import PREFIX, nalas, plan_meeting, recommendation_in

PEOPLE: dict[str, tuple[Role, str] | None] = {
    "nalas": (Role.NALAS, "NALAS"),
    "lga of this association": (Role.LGA, "ZELS"),
    "lga of another association": (Role.LGA, "AAM"),
    "lg": (Role.LG, "ZELS-KUMANOVO"),
    "observer": (Role.OBSERVER, "NALAS"),
    "no token": None,
}
ACTION = {
    "kind": "training_cycle",
    "title": "Cycle",
    "starts_on": "2027-02-01",
    "ends_on": "2027-02-02",
    "place": "Ohrid",
    "organiser": "NALAS",
}
PARTICIPANT = {"organisation": "Municipality", "organisation_type": "lga", "sex": "male", "age_band": "45-64"}

# command → (method, path, body, status when nalas sends it)
WRITES: dict[str, tuple[str, str, dict[str, Any], int]] = {
    "register a member": ("POST", "/members", {"sub": "new@zels", "name": "N", "association": "ZELS"}, 201),
    "plan a meeting": ("POST", "/meetings", {"date": "2026-12-03", "title": "WG"}, 201),
    "record attendance": ("PUT", "/meetings/{meeting}/attendance", {"present": []}, 200),
    "record minutes": ("PUT", "/meetings/{meeting}/minutes", {"text": "Minutes."}, 200),
    "start a review": ("POST", "/recommendations/{submitted}/review", {}, 200),
    "comment": ("POST", "/recommendations/{under_review}/comments", {"version": 1, "text": "Fine."}, 201),
    "decide": ("POST", "/recommendations/{under_review}/decision", {"decision": "endorse"}, 200),
    "verify": ("POST", "/recommendations/{implemented}/verification", {"outcome": "verify"}, 200),
    "plan an action": ("POST", "/actions", ACTION, 201),
    "add a session": (
        "POST",
        "/actions/{action}/sessions",
        {"date": "2027-02-01", "region": "Pelagonia", "target_body": "councils"},
        201,
    ),
    "register a participant": ("POST", "/actions/{action}/participants", PARTICIPANT, 201),
    "mark an action held": ("POST", "/actions/{action}/held", {}, 200),
}
READS: dict[str, str] = {
    "read the review queue": "/review-queue",
    "read members": "/members",
    "read meetings": "/meetings",
    "read comments": "/recommendations/{under_review}/comments",
    "read actions": "/actions",
    "read an action's participants": "/actions/{action}/participants",
    "read participant aggregates": "/participants/aggregates",
}


async def existing(wg: ServiceUnderTest, tokens: Tokens) -> dict[str, str]:
    """What the commands act on: a meeting, an action, and recommendations in the states they need."""
    action = await wg.http.post(f"{PREFIX}/actions", json=ACTION, headers=nalas(tokens))
    return {
        "meeting": await plan_meeting(wg, tokens, []),
        "action": action.json()["id"],
        "submitted": str(await recommendation_in(wg, S.SUBMITTED)),
        "under_review": str(await recommendation_in(wg, S.UNDER_REVIEW)),
        "implemented": str(await recommendation_in(wg, S.IMPLEMENTED)),
    }


def headers_of(tokens: Tokens, person: str) -> dict[str, str]:
    identity = PEOPLE[person]
    return {} if identity is None else tokens.header(identity[0], identity[1], sub=f"{person}@test")


@pytest.mark.parametrize("command", list(WRITES))
async def test_only_nalas_may_write(wg: ServiceUnderTest, tokens: Tokens, command: str) -> None:
    method, path, body, allowed = WRITES[command]
    url = PREFIX + path.format(**await existing(wg, tokens))
    answers: dict[str, tuple[int, str]] = {}

    # nalas goes last: every refused attempt before it must have changed nothing.
    for person in sorted(PEOPLE, key=lambda p: p == "nalas"):
        response = await wg.http.request(method, url, json=body, headers=headers_of(tokens, person))
        answers[person] = (
            response.status_code,
            response.json().get("detail", "") if response.status_code >= 400 else "",
        )

    assert {person: status for person, (status, _) in answers.items()} == {
        person: {"nalas": allowed, "no token": 401}.get(person, 403) for person in PEOPLE
    }
    refusals = [detail for status, detail in answers.values() if status == 403]
    assert all("only the NALAS working group (nalas) may do this" in detail for detail in refusals)


@pytest.mark.parametrize("read", list(READS))
async def test_everyone_signed_in_may_read(wg: ServiceUnderTest, tokens: Tokens, read: str) -> None:
    url = PREFIX + READS[read].format(**await existing(wg, tokens))

    answers = {person: (await wg.http.get(url, headers=headers_of(tokens, person))).status_code for person in PEOPLE}

    assert answers == {person: 401 if person == "no token" else 200 for person in PEOPLE}
