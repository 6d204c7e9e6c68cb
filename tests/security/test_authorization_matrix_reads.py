"""The authorization matrix's reads: every GET endpoint of every service and progress, times every kind of caller.

Who may read what is README *Security → Who reads what*, not the code's answers: recommendations (drafts too), the
working group's work, actions and their counts, an approach's public fields and every progress read are for every
signed-in role; a mapping, a milestone's reports and evidence for the owner's scope (NALAS and observers, the
local government's association, the local government itself); in notifications NALAS reads people, mail and
webhooks, each person only their own inbox and registration. Lists that a scope narrows answer everyone (what each
caller sees in them is `test_read_scopes.py`'s). A caller left out gets a 403, a bad token a 401; an allowed
caller must not meet either (a 404/409 from the state of things is fine).
"""

from collections.abc import Callable
from uuid import uuid4

import pytest

from contracts.lifecycle import RecommendationStatus
from contracts.topics import LIFECYCLE
from sori.settings import Settings
from tests.polling import eventually
from tests.security.matrix import (
    NALAS,
    NT,
    RM,
    SA,
    TABLES,
    WG,
    Matrix,
    World,
    Write,
    expected,
    judge,
    summarise,
)
from tests.support.actors import CALLERS, SIGNED_IN, header
from tests.support.notifications import status_changed
from tests.support.services import ServiceUnderTest, service_under_test, spec_and_factory
from tests.support.tokens import Tokens

Read = Write  # an endpoint, how to call it on the prepared world, and who may: the same shape as a write
ANYONE = frozenset(SIGNED_IN)
# The owner's scope for MK-KUMANOVO's records: nalas and observers, its association ZELS, the local government.
KUMANOVO_SCOPE = frozenset({"nalas", "observer", "lga ZELS", "lg assigned"})
PR = "/progress/v1"


def _everyone(prefix: str, paths: dict[str, str]) -> list[Read]:
    """Reads for every signed-in role: OpenAPI path → how to fill its parameters from the world."""
    return [Read("GET", f"{prefix}{path}", ANYONE, _filled(f"{prefix}{url}")) for path, url in paths.items()]


def _filled(template: str) -> Callable[[dict[str, str]], str]:
    return lambda world: template.format(**world)


DRAFT = "/recommendations/{drafted}"
ROADMAPS = _everyone(
    RM,
    {
        "/reference": "/reference",
        "/roadmaps": "/roadmaps",
        "/roadmaps/{roadmap_id}": "/roadmaps/{roadmap}",
        "/roadmaps/{roadmap_id}/sheet": "/roadmaps/{roadmap}/sheet",
        "/recommendations": "/recommendations",
        "/recommendations/{recommendation_id}": "/recommendations/{drafted}",
        "/recommendations/{recommendation_id}/milestones": "/recommendations/{in implementation}/milestones",
        "/recommendations/{recommendation_id}/versions": "/recommendations/{drafted}/versions",
        "/recommendations/{recommendation_id}/versions/diff": "/recommendations/{drafted}/versions/diff?from=1&to=1",
        "/recommendations/{recommendation_id}/versions/{number}": "/recommendations/{drafted}/versions/1",
        "/recommendations/{recommendation_id}/versions/{number}/comments": f"{DRAFT}/versions/1/comments",
    },
)

WORKING_GROUP = _everyone(
    WG,
    {
        "/members": "/members",
        "/meetings": "/meetings",
        "/meetings/{meeting_id}": "/meetings/{meeting}",
        "/review-queue": "/review-queue",
        "/recommendations/{recommendation_id}": "/recommendations/{submitted}",
        "/recommendations/{recommendation_id}/comments": "/recommendations/{submitted}/comments",
        "/actions": "/actions",
        "/actions/{action_id}": "/actions/{cycle}",
        "/actions/{action_id}/aggregates": "/actions/{cycle}/aggregates",
        "/actions/{action_id}/participants": "/actions/{cycle}/participants",  # records narrowed, never refused
        "/actions/{action_id}/participants/sheet": "/actions/{cycle}/participants/sheet",
        "/participants/aggregates": "/participants/aggregates",
    },
)

SOCIAL_APPROACHES = [
    *_everyone(
        SA,
        {
            "/approaches": "/approaches?local_government=MK-KUMANOVO",
            "/approaches/summary": "/approaches/summary?local_government=MK-KUMANOVO",
            "/approaches/{approach_id}": "/approaches/{approach}",
            "/mappings": "/mappings",
            "/milestones": "/milestones",
        },
    ),
    Read("GET", f"{SA}/mappings/{{mapping_id}}", KUMANOVO_SCOPE, _filled(f"{SA}/mappings/{{mapping}}")),
    Read("GET", f"{SA}/evidence/{{evidence_id}}", KUMANOVO_SCOPE, _filled(f"{SA}/evidence/{{evidence}}")),
    Read(
        "GET", f"{SA}/evidence/{{evidence_id}}/content", KUMANOVO_SCOPE, _filled(f"{SA}/evidence/{{evidence}}/content")
    ),
    Read(
        "GET",
        f"{SA}/recommendations/{{recommendation_id}}/milestones/{{milestone_id}}/reports",
        KUMANOVO_SCOPE,
        _filled(f"{SA}/recommendations/{{recommendation}}/milestones/{{milestone}}/reports"),
    ),
]

PROGRESS = _everyone(
    PR,
    {
        "/dashboard": "/dashboard",
        "/recommendations": "/recommendations",
        "/recommendations/{recommendation_id}": "/recommendations/{recommendation}",
        "/recommendations/{recommendation_id}/timeline": "/recommendations/{recommendation}/timeline",
        "/milestones": "/milestones",
        "/actions": "/actions",
        "/social-approaches": "/social-approaches",
        "/reports": "/reports",
        "/reports/{report_id}.html": "/reports/{report}.html",
        "/reports/{report_id}.pdf": "/reports/{report}.pdf",
    },
)

NOTIFICATIONS = [
    *_everyone(NT, {"/inbox": "/inbox", "/people/me": "/people/me"}),  # one's own; unregistered: a 404 or nothing
    *(
        Read("GET", f"{NT}{path}", NALAS, _filled(f"{NT}{url}"))
        for path, url in {
            "/people": "/people",
            "/mail": "/mail",
            "/webhooks": "/webhooks",
            "/webhooks/{webhook_id}/deliveries": "/webhooks/{hook}/deliveries",
        }.items()
    ),
]


async def _with_evidence(sut: ServiceUnderTest, tokens: Tokens) -> dict[str, str]:
    world = await TABLES["social_approaches"][1](sut, tokens)
    link = {"url": "https://kumanovo.gov.mk/day-centre-report.pdf", "name": "Day-centre report"}
    given = await sut.http.post(f"{SA}/evidence", json=link, headers=header("lg assigned", _secret(sut)))
    assert given.status_code == 201, given.text
    return world | {"evidence": given.json()["evidence_id"]}


async def _progress_world(sut: ServiceUnderTest, tokens: Tokens) -> dict[str, str]:
    nalas = header("nalas", _secret(sut))
    recommendation = uuid4()
    await sut.deliver(LIFECYCLE, status_changed(recommendation, RecommendationStatus.SUBMITTED).to_json())
    known = f"{PR}/recommendations/{recommendation}"
    await eventually(lambda: sut.http.get(known, headers=nalas), until=lambda r: r.status_code == 200)
    report = await sut.http.post(f"{PR}/reports", json={}, headers=nalas)
    assert report.status_code in (200, 201), report.text
    return {"recommendation": str(recommendation), "report": report.json()["id"]}


def _secret(sut: ServiceUnderTest) -> str:
    secret: str = sut.app.state.settings.signing_secret
    return secret


READS: dict[str, tuple[list[Read], World]] = {
    "roadmaps": (ROADMAPS, TABLES["roadmaps"][1]),
    "working_group": (WORKING_GROUP, TABLES["working_group"][1]),
    "social_approaches": (SOCIAL_APPROACHES, _with_evidence),
    "progress": (PROGRESS, _progress_world),
    "notifications": (NOTIFICATIONS, TABLES["notifications"][1]),
}
NOT_READS = {"/healthz", "/readyz"}  # operational, not routed from outside (README Security)


@pytest.mark.parametrize("service", list(READS))
async def test_only_the_callers_the_rules_name_may_read(service: str, settings: Settings, tokens: Tokens) -> None:
    reads, make_world = READS[service]
    spec, factory = spec_and_factory(service)
    matrix = Matrix()
    async with service_under_test(settings, spec, factory) as sut:
        documented = {p for p, ops in sut.app.openapi()["paths"].items() if "get" in ops} - NOT_READS
        assert {r.path for r in reads} == documented
        world = await make_world(sut, tokens)
        for read in reads:
            for caller in CALLERS:
                response = await sut.http.get(read.url(world), headers=header(caller, settings.signing_secret))
                status, outcome = response.status_code, expected(read, caller)
                judge(matrix, f"GET {read.path} as {caller}: {status} {response.text[:200]}", status, outcome)
    summarise(matrix, f"read matrix {service}", settings, len(reads), "read")
