"""Who may do what: a local government writes its own records; NALAS, its association and observers read them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from contracts.envelope import Role
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import (
    API,
    APPROACH,
    LG,
    LGA,
    MAPPING,
    NEIGHBOUR_LG,
    OTHER_LGA,
    create_approach,
    create_mapping,
    lg,
    plan,
)
from tests.support.tokens import Tokens

PDF = b"%PDF-1.7\n%%EOF\n"
ACTORS: dict[str, tuple[Role, str] | None] = {
    "nalas": (Role.NALAS, "NALAS"),
    "lga of this association": (Role.LGA, LGA),
    "lga of another": (Role.LGA, OTHER_LGA),
    "lg": (Role.LG, LG),
    "another lg": (Role.LG, NEIGHBOUR_LG),
    "observer": (Role.OBSERVER, "UNDP"),
    "no token": None,
}


@dataclass(frozen=True)
class World:
    """An LG's records that every command in the table acts on."""

    mapping: str
    approach: str
    evidence: str
    reports: str


@dataclass(frozen=True)
class Command:
    method: str
    path: Callable[[World], str]
    body: dict[str, Any] | None = None
    multipart: bool = False


COMMANDS: dict[str, Command] = {
    "create mapping": Command("POST", lambda w: f"{API}/mappings", {**MAPPING, "topic": "housing"}),
    "list an lg's mappings": Command("GET", lambda w: f"{API}/mappings?local_government={LG}"),
    "read mapping": Command("GET", lambda w: f"{API}/mappings/{w.mapping}"),
    "update mapping": Command("PUT", lambda w: f"{API}/mappings/{w.mapping}", MAPPING),
    "complete mapping": Command("POST", lambda w: f"{API}/mappings/{w.mapping}/complete"),
    "create approach": Command("POST", lambda w: f"{API}/approaches", APPROACH),
    "read approach": Command("GET", lambda w: f"{API}/approaches/{w.approach}"),
    "change approach status": Command(
        "POST", lambda w: f"{API}/approaches/{w.approach}/status", {"status": "in_progress"}
    ),
    "summarize an lg's approaches": Command("GET", lambda w: f"{API}/approaches/summary?local_government={LG}"),
    "upload evidence": Command("POST", lambda w: f"{API}/evidence", multipart=True),
    "read evidence": Command("GET", lambda w: f"{API}/evidence/{w.evidence}"),
    "report milestone": Command("POST", lambda w: w.reports, {"status": "on_track"}),
    "list reports": Command("GET", lambda w: w.reports),
    "list an lg's milestones": Command("GET", lambda w: f"{API}/milestones?local_government={LG}"),
}
CREATES = {"create mapping", "create approach", "upload evidence"}
WRITES = CREATES | {"update mapping", "complete mapping", "change approach status", "report milestone"}
READERS = {"nalas", "lga of this association", "lg", "observer"}
# An approach's public fields are for every signed-in role (README Security); out of scope, the rest is withheld.
PUBLIC_READS = {"read approach", "summarize an lg's approaches"}


def expected_status(command: str, actor: str) -> int:
    if actor == "no token":
        return 401
    if command in WRITES:
        allowed = actor == "lg" or (actor == "another lg" and command in CREATES)
        return (201 if command in CREATES or command == "report milestone" else 200) if allowed else 403
    return 200 if actor in READERS or command in PUBLIC_READS else 403


TABLE = [(command, actor, expected_status(command, actor)) for command in COMMANDS for actor in ACTORS]


async def world(sa: ServiceUnderTest, tokens: Tokens) -> World:
    mapping = await create_mapping(sa, tokens)
    approach = await create_approach(sa, tokens)
    uploaded = await sa.http.post(
        f"{API}/evidence", files={"file": ("report.pdf", PDF, "application/pdf")}, headers=lg(tokens)
    )
    recommendation_id, milestone_id = await plan(sa)
    reports = f"{API}/recommendations/{recommendation_id}/milestones/{milestone_id}/reports"
    return World(mapping["id"], approach["id"], uploaded.json()["evidence_id"], reports)


@pytest.mark.parametrize(("command", "actor", "status"), TABLE)
async def test_who_may_do_what(sa: ServiceUnderTest, tokens: Tokens, command: str, actor: str, status: int) -> None:
    records = await world(sa, tokens)
    spec = COMMANDS[command]
    who = ACTORS[actor]
    headers = tokens.header(*who) if who else {}
    options: dict[str, Any] = {"headers": headers}
    if spec.multipart:
        options["files"] = {"file": ("more.pdf", PDF, "application/pdf")}
    elif spec.body is not None:
        options["json"] = spec.body

    response = await sa.http.request(spec.method, spec.path(records), **options)

    assert response.status_code == status, response.text
    if status in (401, 403):
        assert response.json()["detail"]
