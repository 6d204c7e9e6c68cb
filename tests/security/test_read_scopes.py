"""Reads, times every kind of caller: progress reveals what the owning service reveals, and no more than its scope.

The rules are README *Security → Who reads what*: an approach's type, marker, status and beneficiary totals are
for every signed-in role, in the service and in progress; its other fields, mappings, milestones, their reports and
evidence follow the owner's scope (nalas and observers all, an association its local governments', a local
government its own); a participant's record is for NALAS and the participant's own organisation, the rest read
counts. One world is made in social approaches, and what it published is projected by progress.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from httpx import Response

from contracts.envelope import Role
from contracts.topics import LIFECYCLE, SOCIAL_APPROACHES
from services.progress.app import SPEC as PROGRESS_SPEC
from services.progress.app import create_app as create_progress
from services.social_approaches.app import SPEC as SA_SPEC
from services.social_approaches.app import create_app as create_social_approaches
from services.working_group.app import SPEC as WG_SPEC
from services.working_group.app import create_app as create_working_group
from sori.settings import Settings
from tests.polling import eventually
from tests.security.matrix import PARTICIPANT, TRAINING_CYCLE
from tests.security.report import note
from tests.support.actors import AAM_LG, CALLERS, OTHER_ZELS_LG, SIGNED_IN, UNAUTHENTICATED, ZELS_LG, header
from tests.support.services import ServiceUnderTest, service_under_test
from tests.support.social_approaches import create_approach, create_mapping, plan
from tests.support.tokens import Tokens

SA, PROGRESS, WG = "/social-approaches/v1", "/progress/v1", "/working-group/v1"
ASSOCIATION = {ZELS_LG: "ZELS", OTHER_ZELS_LG: "ZELS", AAM_LG: "AAM"}
PUBLIC_APPROACH_FIELDS = ("local_government", "association", "approach_type", "women_and_girls", "status")


def in_scope(caller: str, local_government: str) -> bool:
    """The owner's scope, written out from the rules rather than taken from the code."""
    role, org = SIGNED_IN[caller]
    if role is Role.LGA:
        return ASSOCIATION[local_government] == org
    if role is Role.LG:
        return local_government == org
    return True


@asynccontextmanager
async def owner_and_progress(settings: Settings) -> AsyncIterator[tuple[ServiceUnderTest, ServiceUnderTest]]:
    async with (
        service_under_test(settings, SA_SPEC, create_social_approaches) as sa,
        service_under_test(settings, PROGRESS_SPEC, create_progress) as progress,
    ):
        yield sa, progress


async def social_world(sa: ServiceUnderTest, progress: ServiceUnderTest, tokens: Tokens) -> dict[str, Any]:
    """An approach and a mapping of three local governments in two associations, and a milestone of two."""
    world: dict[str, Any] = {"approaches": {}, "mappings": {}, "milestones": {}}
    for org in ASSOCIATION:
        world["approaches"][org] = (await create_approach(sa, tokens, org=org, description=f"{org}'s plan"))["id"]
        world["mappings"][org] = (await create_mapping(sa, tokens, org=org))["id"]
    for org in (ZELS_LG, OTHER_ZELS_LG):
        world["milestones"][org] = [str(i) for i in await plan(sa, org=org)]
    published = await eventually(
        lambda: _published(sa), until=lambda bodies: len(bodies[SOCIAL_APPROACHES]) >= len(ASSOCIATION)
    )
    for topic, bodies in published.items():
        for body in bodies:
            await progress.deliver(topic, body)
    nalas = header("nalas", progress.app.state.settings.signing_secret)
    await eventually(
        lambda: _totals(progress, nalas), until=lambda totals: totals == (len(ASSOCIATION), len(world["milestones"]))
    )
    return world


async def _published(sa: ServiceUnderTest) -> dict[str, list[bytes]]:
    return {topic: list(sa.published.raw.get(topic, [])) for topic in (SOCIAL_APPROACHES, LIFECYCLE)}


async def _totals(progress: ServiceUnderTest, nalas: dict[str, str]) -> tuple[int, int]:
    approaches = await progress.http.get(f"{PROGRESS}/social-approaches", headers=nalas)
    milestones = await progress.http.get(f"{PROGRESS}/milestones", headers=nalas)
    return approaches.json()["total"], milestones.json()["total"]


def _public(approach: dict[str, Any], id_field: str) -> tuple[Any, ...]:
    """Progress names the totals `beneficiaries_planned`; the owner keeps per-group figures there, totals beside."""
    suffix = "" if id_field == "approach_id" else "_total"
    totals = (approach[f"beneficiaries_{kind}{suffix}"] for kind in ("planned", "reached"))
    return (approach[id_field], *(approach[f] for f in PUBLIC_APPROACH_FIELDS), *totals)


def _answer(response: Response) -> Any:
    """What a read reveals: the refusal's status, or the body."""
    return response.status_code if response.status_code >= 400 else response.json()


async def test_progress_reveals_what_the_owners_reveal_and_no_caller_reads_outside_its_scope(
    settings: Settings, tokens: Tokens
) -> None:
    problems: list[str] = []
    cases = 0
    async with owner_and_progress(settings) as (sa, progress):
        world = await social_world(sa, progress, tokens)
        for caller in CALLERS:
            asked = header(caller, settings.signing_secret)

            async def both(owner_path: str, progress_path: str, **params: str) -> tuple[Any, Any]:
                owner = await sa.http.get(f"{SA}{owner_path}", params=params, headers=asked)  # noqa: B023
                read = await progress.http.get(f"{PROGRESS}{progress_path}", params=params, headers=asked)  # noqa: B023
                return _answer(owner), _answer(read)

            def check(what: str, seen: bool) -> None:
                nonlocal cases
                cases += 1
                if not seen:
                    problems.append(f"{caller}: {what}")  # noqa: B023

            owner, read = await both("/approaches", "/social-approaches")
            if caller in UNAUTHENTICATED:
                check(f"approaches answered {owner} / {read}, not 401", owner == read == 401)
                continue
            mine = sorted(_public(a, "id") for a in owner)
            check(
                f"approaches differ: owner {mine}, progress {read}",
                mine == sorted(_public(r, "approach_id") for r in read["items"]),
            )
            check("the owner does not show every approach's public fields", len(owner) == len(ASSOCIATION))
            for approach in owner:
                full = approach["title"] is not None
                check(
                    f"approach of {approach['local_government']} full={full}",
                    full == in_scope(caller, approach["local_government"]),
                )
            for org, approach_id in world["approaches"].items():
                one = _answer(await sa.http.get(f"{SA}/approaches/{approach_id}", headers=asked))
                check(
                    f"approach {org} answered {one}",
                    one != 403 and (one["description"] is not None) == in_scope(caller, org),
                )
                filtered = _answer(
                    await sa.http.get(f"{SA}/approaches", params={"local_government": org}, headers=asked)
                )
                check(f"approaches of {org} answered {filtered}", filtered != 403 and len(filtered) == 1)
            for org, mapping_id in world["mappings"].items():
                one = _answer(await sa.http.get(f"{SA}/mappings/{mapping_id}", headers=asked))
                check(f"mapping of {org} answered {one}", (one != 403) == in_scope(caller, org))
            mappings = _answer(await sa.http.get(f"{SA}/mappings", headers=asked))
            check(
                f"mappings {mappings}",
                sorted(m["local_government"] for m in mappings)
                == sorted(o for o in ASSOCIATION if in_scope(caller, o)),
            )
            owner, read = await both("/milestones", "/milestones")
            expected_milestones = sorted(m for o, (_, m) in world["milestones"].items() if in_scope(caller, o))
            check(f"milestones: owner {owner}", sorted(m["milestone_id"] for m in owner) == expected_milestones)
            check(
                f"milestones: progress {read}", sorted(m["milestone_id"] for m in read["items"]) == expected_milestones
            )
            for org, (recommendation, milestone) in world["milestones"].items():
                owner = _answer(await sa.http.get(f"{SA}/milestones", params={"local_government": org}, headers=asked))
                read = _answer(await progress.http.get(f"{PROGRESS}/milestones", params={"lg": org}, headers=asked))
                refused = not in_scope(caller, org)
                check(
                    f"milestones of {org}: owner {owner}, progress {read}", (owner == 403) == (read == 403) == refused
                )
                path = f"{SA}/recommendations/{recommendation}/milestones/{milestone}/reports"
                reports = _answer(await sa.http.get(path, headers=asked))
                check(f"reports of {org} answered {reports}", (reports == 403) == refused)
    note(
        f"read scopes: social approaches and progress x {len(CALLERS)} callers = {cases} checks, {len(problems)} wrong"
    )
    assert not problems, "\n".join(problems)


# --- participants --------------------------------------------------------------------------------------------------

PARTICIPANT_ORGS = {"lga ZELS": "ZELS", "lg assigned": ZELS_LG}


async def test_a_participant_record_is_read_by_nalas_and_its_own_organisation_only(
    settings: Settings, tokens: Tokens
) -> None:
    async with service_under_test(settings, WG_SPEC, create_working_group) as wg:
        nalas = header("nalas", settings.signing_secret)
        created = await wg.http.post(f"{WG}/actions", json=TRAINING_CYCLE, headers=nalas)
        assert created.status_code == 201, created.text
        action = created.json()["id"]
        for code in (*PARTICIPANT_ORGS.values(), None):
            body = {**PARTICIPANT, "organisation_code": code}
            registered = await wg.http.post(f"{WG}/actions/{action}/participants", json=body, headers=nalas)
            assert registered.status_code == 201, registered.text
        seen: dict[str, Any] = {}
        for caller in CALLERS:
            asked = header(caller, settings.signing_secret)
            records = _answer(await wg.http.get(f"{WG}/actions/{action}/participants", headers=asked))
            counts = _answer(await wg.http.get(f"{WG}/actions/{action}/aggregates", headers=asked))
            seen[caller] = (
                records if isinstance(records, int) else sorted(str(r["organisation_code"]) for r in records),
                counts if isinstance(counts, int) else counts["participants"],
            )
    expected: dict[str, Any] = {caller: (401, 401) for caller in UNAUTHENTICATED}
    for caller, (_, org) in SIGNED_IN.items():
        own = [org] if caller in PARTICIPANT_ORGS else []
        expected[caller] = (["MK-KUMANOVO", "None", "ZELS"] if caller == "nalas" else own, 3)
    assert seen == expected
