"""The authorization matrix: who the rules let write where, the world each service's writes act on, and the
judgement of what a caller was answered."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus
from contracts.topics import LIFECYCLE
from sori.settings import Settings
from sori_cli.bench.imports import roadmap_sheet
from tests.security.report import note
from tests.support.actors import CALLERS, SIGNED_IN, UNAUTHENTICATED, ZELS, header
from tests.support.notifications import status_changed
from tests.support.roadmaps import create_roadmap, draft, settle
from tests.support.services import ServiceUnderTest
from tests.support.sheets import xlsx
from tests.support.social_approaches import APPROACH, create_approach, create_mapping, plan
from tests.support.tokens import Tokens
from tests.support.working_group import TRAINING_CYCLE as SUPPORT_TRAINING_CYCLE
from tests.support.working_group import recommendation_in

S = RecommendationStatus

NALAS = frozenset({"nalas"})

OWN_LGA = frozenset({"lga ZELS"})

ANY_LGA = frozenset({"lga ZELS", "lga AAM"})

NALAS_OR_OWN_LGA = frozenset({"nalas", "lga ZELS"})

ANY_LG = frozenset({"lg assigned", "lg not assigned"})

OWNING_LG = frozenset({"lg assigned"})  # the local government whose record it is, or to which the milestone is assigned


@dataclass(frozen=True)
class Write:
    """One write endpoint as the OpenAPI names it, how to call it on the prepared world, and who may."""

    method: str
    path: str
    allowed: frozenset[str]
    url: Callable[[dict[str, str]], str]
    body: dict[str, Any] | None = None
    upload: bytes | None = None  # an XLSX sent as the multipart field `file` (the sheet imports)


@dataclass
class Matrix:
    cases: int = 0
    escapes: list[str] = field(default_factory=list)  # left out by the rules, yet a 2xx
    mismatches: list[str] = field(default_factory=list)  # any answer the table does not expect
    never_done: list[str] = field(default_factory=list)  # writes no allowed caller managed: the world is wrong


def _due(days: int = 30) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


RM = "/roadmaps/v1"

RECOMMENDATION = {"title": "Day-care centres in rural areas", "language": "en"}

PLAN = {
    "local_governments": ["MK-KUMANOVO"],
    "milestones": [{"title": "Unit opens", "due_date": _due(), "local_government": "MK-KUMANOVO"}],
}


def _fixed(url: str) -> Callable[[dict[str, str]], str]:
    return lambda world: url


ROADMAPS = [
    *(
        Write("PUT", f"{RM}/reference/{kind}/{{code}}", NALAS, _fixed(f"{RM}/reference/{kind}/{code}"), b)
        for kind, code, b in [
            ("programmes", "SoRi 9", {"name": "SoRi 9", "starts_on": "2027-01-01", "ends_on": "2029-12-31"}),
            ("associations", "ZELS", {"name": "ZELS", "economy": "MK"}),
            ("local-governments", "MK-KUMANOVO", {"name": "Kumanovo", "association": "ZELS"}),
            ("groups", "roma", {"label": "Roma"}),
            ("topics", "social_services", {"label": "Social services"}),
        ]
    ),
    Write("POST", f"{RM}/roadmaps", ANY_LGA, lambda w: f"{RM}/roadmaps", {"programme": "SoRi 4", "title": "A roadmap"}),
    Write("PATCH", f"{RM}/roadmaps/{{roadmap_id}}", OWN_LGA, lambda w: f"{RM}/roadmaps/{w['roadmap']}", {"title": "t"}),
    Write(
        "POST",
        f"{RM}/roadmaps/{{roadmap_id}}/recommendations",
        OWN_LGA,
        lambda w: f"{RM}/roadmaps/{w['roadmap']}/recommendations",
        RECOMMENDATION,
    ),
    Write(
        "POST",
        f"{RM}/roadmaps/{{roadmap_id}}/sheet",
        OWN_LGA,
        lambda w: f"{RM}/roadmaps/{w['roadmap']}/sheet",
        upload=roadmap_sheet(1),
    ),
    Write(
        "POST",
        f"{RM}/recommendations/{{recommendation_id}}/versions",
        OWN_LGA,
        lambda w: f"{RM}/recommendations/{w['drafted']}/versions",
        {"title": "Revised"},
    ),
    Write(
        "POST",
        f"{RM}/recommendations/{{recommendation_id}}/versions/{{number}}/comments",
        NALAS_OR_OWN_LGA,
        lambda w: f"{RM}/recommendations/{w['drafted']}/versions/1/comments",
        {"body": "Which municipalities?"},
    ),
    Write(
        "POST",
        f"{RM}/recommendations/{{recommendation_id}}/submit",
        OWN_LGA,
        lambda w: f"{RM}/recommendations/{w['to submit']}/submit",
    ),
    Write(
        "POST",
        f"{RM}/recommendations/{{recommendation_id}}/withdraw",
        OWN_LGA,
        lambda w: f"{RM}/recommendations/{w['to withdraw']}/withdraw",
        {"reason": "merged into another"},
    ),
    Write(
        "POST",
        f"{RM}/recommendations/{{recommendation_id}}/assignment",
        OWN_LGA,
        lambda w: f"{RM}/recommendations/{w['endorsed']}/assignment",
        PLAN,
    ),
    Write(
        "POST",
        f"{RM}/recommendations/{{recommendation_id}}/milestones/{{milestone_id}}/reschedule",
        OWN_LGA,
        lambda w: f"{RM}/recommendations/{w['in implementation']}/milestones/{w['milestone']}/reschedule",
        {"due_date": _due(60), "reason": "the contractor is late"},
    ),
]


async def roadmaps_world(sut: ServiceUnderTest, tokens: Tokens) -> dict[str, str]:
    roadmap = await create_roadmap(sut, tokens)
    world = {"roadmap": roadmap["id"]}
    for name in ("drafted", "to submit", "to withdraw", "endorsed", "in implementation"):
        world[name] = (await draft(sut, tokens, roadmap["id"]))["id"]
    for name in ("endorsed", "in implementation"):
        await settle(sut, world[name], S.ENDORSED)
    assigned = await sut.http.post(
        f"{RM}/recommendations/{world['in implementation']}/assignment",
        json=PLAN,
        headers=tokens.header(Role.LGA, "ZELS"),
    )
    assert assigned.status_code == 200, assigned.text
    await settle(sut, world["in implementation"], S.IN_IMPLEMENTATION)
    world["milestone"] = assigned.json()["milestones"][0]["id"]
    return world


WG = "/working-group/v1"

# The support module's action, linked to no recommendation (the matrix makes none).
TRAINING_CYCLE = {key: value for key, value in SUPPORT_TRAINING_CYCLE.items() if key != "recommendations"}

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

PARTICIPANT = {
    "organisation": "Municipality of Tetovo",
    "organisation_type": "lga",
    "role": "councillor",
    "sex": "female",
    "age_band": "30-44",
}

ATTENDANCE_COLUMNS = ("organisation", "organisation_type", "sex", "age_band")

MEMBER = {"sub": "new@zels", "name": "A member", "association": "ZELS", "position": "member", "may_decide": True}

WORKING_GROUP = [
    Write("POST", f"{WG}/members", NALAS, lambda w: f"{WG}/members", MEMBER),
    Write("POST", f"{WG}/meetings", NALAS, lambda w: f"{WG}/meetings", {"date": "2026-12-03", "title": "WG meeting"}),
    Write(
        "PUT",
        f"{WG}/meetings/{{meeting_id}}/attendance",
        NALAS,
        lambda w: f"{WG}/meetings/{w['meeting']}/attendance",
        {"present": ["member@zels"]},
    ),
    Write(
        "PUT",
        f"{WG}/meetings/{{meeting_id}}/minutes",
        NALAS,
        lambda w: f"{WG}/meetings/{w['meeting']}/minutes",
        {"text": "Endorsed."},
    ),
    Write(
        "POST",
        f"{WG}/recommendations/{{recommendation_id}}/review",
        NALAS,
        lambda w: f"{WG}/recommendations/{w['submitted']}/review",
        {"reviewers": [], "meeting_id": None},
    ),
    Write(
        "POST",
        f"{WG}/recommendations/{{recommendation_id}}/comments",
        NALAS,
        lambda w: f"{WG}/recommendations/{w['submitted']}/comments",
        {"version": 1, "text": "Name the pilot municipalities."},
    ),
    Write(
        "POST",
        f"{WG}/recommendations/{{recommendation_id}}/decision",
        NALAS,
        lambda w: f"{WG}/recommendations/{w['under review']}/decision",
        {"decision": "endorse", "comments": [], "reason": ""},
    ),
    Write(
        "POST",
        f"{WG}/recommendations/{{recommendation_id}}/verification",
        NALAS,
        lambda w: f"{WG}/recommendations/{w['implemented']}/verification",
        {"outcome": "verify", "note": "Checked on site.", "reasons": []},
    ),
    Write("POST", f"{WG}/actions", NALAS, lambda w: f"{WG}/actions", TRAINING_CYCLE),
    Write("POST", f"{WG}/actions/{{action_id}}/held", NALAS, lambda w: f"{WG}/actions/{w['held']}/held"),
    Write("POST", f"{WG}/actions/{{action_id}}/reported", NALAS, lambda w: f"{WG}/actions/{w['reported']}/reported"),
    Write(
        "POST",
        f"{WG}/actions/{{action_id}}/sessions",
        NALAS,
        lambda w: f"{WG}/actions/{w['cycle']}/sessions",
        {"date": "2027-02-14", "region": "Polog", "target_body": "councils"},
    ),
    Write(
        "PUT",
        f"{WG}/actions/{{action_id}}/enrolment",
        NALAS,
        lambda w: f"{WG}/actions/{w['course']}/enrolment",
        {"enrolments": 52, "completions": 37},
    ),
    Write(
        "POST",
        f"{WG}/actions/{{action_id}}/participants",
        NALAS,
        lambda w: f"{WG}/actions/{w['cycle']}/participants",
        PARTICIPANT,
    ),
    Write(
        "POST",
        f"{WG}/actions/{{action_id}}/participants/sheet",
        NALAS,
        lambda w: f"{WG}/actions/{w['cycle']}/participants/sheet",
        upload=xlsx(ATTENDANCE_COLUMNS, PARTICIPANT),
    ),
    Write(
        "PUT",
        f"{WG}/publication/{{item_kind}}/{{item_id}}",
        NALAS,
        lambda w: f"{WG}/publication/action/{w['held']}",
        {"visibility": "withheld", "reason": "The municipality asked us to wait."},
    ),
]


async def working_group_world(sut: ServiceUnderTest, tokens: Tokens) -> dict[str, str]:
    nalas = tokens.header(Role.NALAS, "NALAS", sub="chair@nalas")
    member = {**MEMBER, "sub": "member@zels"}
    assert (await sut.http.post(f"{WG}/members", json=member, headers=nalas)).status_code == 201
    meeting = await sut.http.post(f"{WG}/meetings", json={"date": "2026-12-03", "title": "WG"}, headers=nalas)
    assert meeting.status_code == 201, meeting.text
    world = {"meeting": meeting.json()["id"]}
    for name, status in (("submitted", S.SUBMITTED), ("under review", S.UNDER_REVIEW), ("implemented", S.IMPLEMENTED)):
        world[name] = str(await recommendation_in(sut, status))
    for name, action in (("held", TRAINING_CYCLE), ("reported", TRAINING_CYCLE), ("cycle", TRAINING_CYCLE)):
        created = await sut.http.post(f"{WG}/actions", json=action, headers=nalas)
        assert created.status_code == 201, created.text
        world[name] = created.json()["id"]
    course = await sut.http.post(f"{WG}/actions", json=E_LEARNING_COURSE, headers=nalas)
    assert course.status_code == 201, course.text
    world["course"] = course.json()["id"]
    held = await sut.http.post(f"{WG}/actions/{world['reported']}/held", headers=nalas)
    assert held.status_code == 200, held.text
    return world


SA = "/social-approaches/v1"

ROMA = {"group": "roma", "total": 120, "by_sex": {"female": 64, "male": 56}}

MAPPING = {
    "topic": "access-to-social-services",
    "title": "LNOB mapping: access to social services",
    "groups": [ROMA],
    "data_sources": ["social-welfare register 2024"],
    "findings": [{"text": "Roma women in rural settlements rarely reach the day centre", "groups": ["roma"]}],
    "gaps": [],
}

SOCIAL_APPROACHES = [
    Write("POST", f"{SA}/mappings", ANY_LG, lambda w: f"{SA}/mappings", {**MAPPING, "topic": "housing"}),
    Write("PUT", f"{SA}/mappings/{{mapping_id}}", OWNING_LG, lambda w: f"{SA}/mappings/{w['mapping']}", MAPPING),
    Write(
        "POST", f"{SA}/mappings/{{mapping_id}}/complete", OWNING_LG, lambda w: f"{SA}/mappings/{w['mapping']}/complete"
    ),
    Write("POST", f"{SA}/approaches", ANY_LG, lambda w: f"{SA}/approaches", APPROACH),
    Write(
        "POST",
        f"{SA}/approaches/{{approach_id}}/status",
        OWNING_LG,
        lambda w: f"{SA}/approaches/{w['approach']}/status",
        {"status": "in_progress"},
    ),
    Write(
        "POST",
        f"{SA}/evidence",
        ANY_LG,
        lambda w: f"{SA}/evidence",
        {"url": "https://kumanovo.gov.mk/day-centre-report.pdf", "name": "Day-centre report"},
    ),
    Write(
        "POST",
        f"{SA}/recommendations/{{recommendation_id}}/milestones/{{milestone_id}}/reports",
        OWNING_LG,
        lambda w: f"{SA}/recommendations/{w['recommendation']}/milestones/{w['milestone']}/reports",
        {"status": "on_track"},
    ),
]


async def social_approaches_world(sut: ServiceUnderTest, tokens: Tokens) -> dict[str, str]:
    mapping = await create_mapping(sut, tokens)  # of the "lg assigned" local government, MK-KUMANOVO
    approach = await create_approach(sut, tokens)
    recommendation, milestone = await plan(sut)  # one milestone, assigned to MK-KUMANOVO
    return {
        "mapping": mapping["id"],
        "approach": approach["id"],
        "recommendation": str(recommendation),
        "milestone": str(milestone),
    }


NT = "/notifications/v1"

ANYONE_SIGNED_IN = frozenset(SIGNED_IN)  # unregistered people get a 404 for their preferences, not a 403

INBOX_OWNER = "lga ZELS"

HOOK = {"url": "https://hooks.example.org/sori", "event_types": ["*"]}

NOTIFICATIONS = [
    Write(
        "POST",
        f"{NT}/people",
        NALAS,
        lambda w: f"{NT}/people",
        {"sub": "new@zels", "name": "N", "email": "n@zels.example", "organisation": ZELS, "role": "lga"},
    ),
    Write(
        "PUT",
        f"{NT}/people/me/preferences",
        ANYONE_SIGNED_IN,
        lambda w: f"{NT}/people/me/preferences",
        {"language": "mk", "channel": "portal", "frequency": "daily"},
    ),
    Write(
        "POST",
        f"{NT}/inbox/{{notice_id}}/read",
        frozenset({INBOX_OWNER}),
        lambda w: f"{NT}/inbox/{w['notice']}/read",
    ),
    Write("POST", f"{NT}/webhooks", NALAS, lambda w: f"{NT}/webhooks", HOOK),
    Write("PATCH", f"{NT}/webhooks/{{webhook_id}}", NALAS, lambda w: f"{NT}/webhooks/{w['hook']}", {"enabled": False}),
    Write("POST", f"{NT}/webhooks/{{webhook_id}}/secret", NALAS, lambda w: f"{NT}/webhooks/{w['hook']}/secret"),
    Write("DELETE", f"{NT}/webhooks/{{webhook_id}}", NALAS, lambda w: f"{NT}/webhooks/{w['to delete']}"),
]

PROGRESS = [Write("POST", "/progress/v1/reports", NALAS, _fixed("/progress/v1/reports"), {})]


async def notifications_world(sut: ServiceUnderTest, tokens: Tokens) -> dict[str, str]:
    secret: str = sut.app.state.settings.signing_secret
    nalas = header("nalas", secret)
    role, org = SIGNED_IN[INBOX_OWNER]
    owner = {"sub": f"{INBOX_OWNER}@test", "name": "Owner", "email": "o@zels.example", "organisation": org}
    registered = await sut.http.post(f"{NT}/people", json=owner | {"role": role.value}, headers=nalas)
    assert registered.status_code == 201, registered.text
    await sut.deliver(LIFECYCLE, status_changed(uuid4(), S.CHANGES_REQUESTED).to_json())
    [notice] = (await sut.http.get(f"{NT}/inbox", headers=header(INBOX_OWNER, secret))).json()["notices"]
    world = {"notice": notice["id"]}
    for name in ("hook", "to delete"):
        created = await sut.http.post(f"{NT}/webhooks", json=HOOK, headers=nalas)
        assert created.status_code == 201, created.text
        world[name] = created.json()["id"]
    return world


World = Callable[[ServiceUnderTest, Tokens], Awaitable[dict[str, str]]]

TABLES: dict[str, tuple[list[Write], World]] = {
    "roadmaps": (ROADMAPS, roadmaps_world),
    "working_group": (WORKING_GROUP, working_group_world),
    "social_approaches": (SOCIAL_APPROACHES, social_approaches_world),
    "progress": (PROGRESS, lambda sut, tokens: _nothing()),
    "notifications": (NOTIFICATIONS, notifications_world),
}


async def _nothing() -> dict[str, str]:
    return {}


def expected(write: Write, caller: str) -> str:
    if caller in UNAUTHENTICATED:
        return "401"
    return "allowed" if caller in write.allowed else "403"


def judge(matrix: Matrix, seen: str, status: int, outcome: str) -> None:
    """Count one answer: an escape if a caller the rules leave out got a 2xx, a mismatch if the table expected
    something else."""
    matrix.cases += 1
    if outcome != "allowed" and 200 <= status < 300:
        matrix.escapes.append(seen)
    if not (status not in (401, 403) if outcome == "allowed" else str(status) == outcome):
        matrix.mismatches.append(f"{seen} (expected {outcome})")


def summarise(matrix: Matrix, title: str, settings: Settings, endpoints: int, kind: str) -> None:
    """Note the matrix's figures, and fail on any escape or unexpected answer."""
    database = "postgresql" if settings.database_url else "sqlite"
    note(
        f"{title} ({database}): {endpoints} {kind} endpoints x {len(CALLERS)} callers = {matrix.cases} cases, "
        f"{len(matrix.escapes)} escapes, {len(matrix.mismatches)} unexpected answers"
    )
    assert matrix.cases == endpoints * len(CALLERS)
    assert not matrix.escapes, "\n".join(matrix.escapes)
    assert not matrix.mismatches, "\n".join(matrix.mismatches)
