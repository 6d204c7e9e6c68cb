"""An association keeps one roadmap per programme, drafts recommendations in it and submits them; the events leave
through the outbox. The story's helpers are in
tests/support/roadmaps.py."""

from typing import Any

from contracts.envelope import Role
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted, ReferenceEntryChanged
from contracts.topics import ROADMAPS
from tests.polling import eventually
from tests.support.roadmaps import (
    RECOMMENDATION,
    ROADMAP,
    a_drafted_recommendation,
    create_roadmap,
    draft,
    published,
    read,
    zels,
)
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


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

    events = await eventually(_roadmaps_events(roadmaps), until=lambda e: len(e) == 2)
    assert [e.type for e in events] == [RecommendationDrafted.TYPE, RecommendationSubmitted.TYPE]
    assert {e.subject for e in events} == {recommendation["id"]}
    assert events[1].actor.org == "ZELS"


def _roadmaps_events(service: ServiceUnderTest) -> Any:
    """The recommendations' events on roadmaps' topic (the reference data loaded at start aside)."""

    async def events() -> list[Any]:
        return [e for e in service.published.events(ROADMAPS) if e.type != ReferenceEntryChanged.TYPE]

    return events


async def test_codes_count_up_per_association(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    codes = [(await draft(roadmaps, tokens, roadmap["id"]))["code"] for _ in range(3)]
    assert [c.rsplit("-", 1)[1] for c in codes] == ["01", "02", "03"]


async def test_a_draft_tells_its_code_alike_in_its_answer_row_and_event(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    # Ten drafts, so that the codes cross from one digit to two, with tags and without (different statements).
    roadmap = await create_roadmap(roadmaps, tokens)
    tagged: dict[str, Any] = {"target_groups": ["roma"], "topics": ["social_services"]}
    untagged: dict[str, Any] = {}
    answers = [await draft(roadmaps, tokens, roadmap["id"], **(tagged if n % 3 == 0 else untagged)) for n in range(10)]
    assert [a["code"].rsplit("-", 1)[1] for a in answers] == [f"{n:02d}" for n in range(1, 11)]
    for answer in answers:
        assert await read(roadmaps, tokens, f"/recommendations/{answer['id']}") == answer
        assert (await read(roadmaps, tokens, f"/recommendations/{answer['id']}/versions/1"))["number"] == 1
    drafted = await eventually(_roadmaps_events(roadmaps), until=lambda e: len(e) == 10)
    # Events of different recommendations (keys) may leave in any order.
    assert {(e.subject, e.data.code) for e in drafted} == {(a["id"], a["code"]) for a in answers}


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
    assert "SORI_HOME" in response.json()["detail"]


async def test_unknown_roadmap_is_a_404(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    response = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps/00000000-0000-0000-0000-000000000000/recommendations",
        json=RECOMMENDATION,
        headers=tokens.header(Role.LGA, "ZELS"),
    )
    assert response.status_code == 404
    assert "no roadmap" in response.json()["detail"]


async def test_the_draft_event_names_the_roadmaps_programme(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)

    [drafted] = await published(roadmaps, RecommendationDrafted.TYPE)
    assert drafted.data.programme == "SoRi 4"
    assert drafted.subject == recommendation["id"]
    assert recommendation["programme"] == "SoRi 4"


async def test_a_second_roadmap_of_an_association_for_the_same_programme_is_refused(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    first = await create_roadmap(roadmaps, tokens)

    again = await roadmaps.http.post("/roadmaps/v1/roadmaps", json=ROADMAP, headers=tokens.header(Role.LGA, "ZELS"))

    assert again.status_code == 409
    assert again.json()["detail"] == f"ZELS already has a roadmap for SoRi 4: {first['id']}"
    assert (again.json()["code"], again.json()["params"]) == (
        "roadmap_exists",
        {"association": "ZELS", "programme": "SoRi 4"},
    )


async def test_each_association_has_its_own_roadmap_for_a_programme(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    zels = await create_roadmap(roadmaps, tokens, org="ZELS")
    aam = await create_roadmap(roadmaps, tokens, org="AAM", title="AAM roadmap")

    assert (zels["association"], aam["association"]) == ("ZELS", "AAM")


async def test_a_roadmap_takes_the_programmes_period_unless_given_one(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens, priority_topics=["social_services"], target_groups=["roma"])

    assert (roadmap["period_start"], roadmap["period_end"]) == ("2025-12-01", "2028-11-30")
    assert roadmap["priority_topics"] == ["social_services"]
    assert roadmap["target_groups"] == ["roma"]
    assert roadmap["status"] == "draft"


async def test_a_roadmap_for_an_unknown_programme_is_refused_naming_the_known_ones(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    response = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps", json={**ROADMAP, "programme": "SoRi 9"}, headers=tokens.header(Role.LGA, "ZELS")
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "unknown programme 'SoRi 9'; known programmes: SoRi 3, SoRi 4"


async def test_no_roadmap_is_made_for_a_programme_that_has_ended(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    response = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps", json={**ROADMAP, "programme": "SoRi 3"}, headers=tokens.header(Role.LGA, "ZELS")
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "programme SoRi 3 ended on 2025-11-30; work in a programme that is running"
    assert response.json()["params"] == {"programme": "SoRi 3", "ends_on": "2025-11-30"}
    assert await read(roadmaps, tokens, "/roadmaps?programme=SoRi 3") == []


async def test_nothing_is_drafted_into_a_programme_once_it_has_ended(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    await draft(roadmaps, tokens, roadmap["id"])
    ended = {"name": "SoRi, fourth phase", "starts_on": "2025-12-01", "ends_on": "2026-01-31"}
    put = await roadmaps.http.put(
        "/roadmaps/v1/reference/programmes/SoRi 4", json=ended, headers=tokens.header(Role.NALAS, "NALAS")
    )
    assert put.status_code == 200, put.text

    response = await roadmaps.http.post(
        f"/roadmaps/v1/roadmaps/{roadmap['id']}/recommendations", json=RECOMMENDATION, headers=zels(tokens)
    )

    assert response.status_code == 409
    assert response.json()["code"] == "programme_ended"
    assert len((await read(roadmaps, tokens, "/recommendations"))["items"]) == 1


async def test_a_roadmap_with_unknown_group_or_topic_codes_is_refused_naming_them(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    headers = tokens.header(Role.LGA, "ZELS")
    groups = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps", json={**ROADMAP, "target_groups": ["roma", "aliens"]}, headers=headers
    )
    topics = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps", json={**ROADMAP, "priority_topics": ["space_travel"]}, headers=headers
    )

    assert groups.status_code == 422
    assert groups.json()["detail"].startswith("unknown vulnerable groups: aliens")
    assert topics.status_code == 422
    assert topics.json()["detail"].startswith("unknown social topics: space_travel")


async def test_a_roadmap_period_that_ends_before_it_starts_is_refused(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    response = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps",
        json={**ROADMAP, "period_start": "2025-01-01", "period_end": "2024-01-01"},
        headers=tokens.header(Role.LGA, "ZELS"),
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "the period ends (2024-01-01) before it starts (2025-01-01)"


async def test_roadmaps_are_listed_by_programme_and_association(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    await create_roadmap(roadmaps, tokens, org="ZELS")
    await create_roadmap(roadmaps, tokens, org="AKM", title="AKM roadmap")
    observer = tokens.header(Role.OBSERVER, "OBSERVER")

    everything = await roadmaps.http.get("/roadmaps/v1/roadmaps", headers=observer)
    of_akm = await roadmaps.http.get("/roadmaps/v1/roadmaps?association=AKM&programme=SoRi 4", headers=observer)
    of_other = await roadmaps.http.get("/roadmaps/v1/roadmaps?programme=SoRi 2", headers=observer)

    assert [r["association"] for r in everything.json()] == ["AKM", "ZELS"]
    assert [r["title"] for r in of_akm.json()] == ["AKM roadmap"]
    assert of_other.json() == []


async def test_the_association_changes_its_roadmap(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)

    response = await roadmaps.http.patch(
        f"/roadmaps/v1/roadmaps/{roadmap['id']}",
        json={"status": "adopted", "target_groups": ["elderly"]},
        headers=tokens.header(Role.LGA, "ZELS"),
    )

    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["target_groups"]) == ("adopted", ["elderly"])
    assert response.json()["title"] == ROADMAP["title"]


async def test_lga_cannot_edit_another_lgas_roadmap(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)

    response = await roadmaps.http.patch(
        f"/roadmaps/v1/roadmaps/{roadmap['id']}", json={"title": "Ours now"}, headers=tokens.header(Role.LGA, "AAM")
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "this roadmap belongs to ZELS; you act for AAM"


async def test_a_roadmap_change_to_null_or_an_unknown_topic_is_refused(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    path, headers = f"/roadmaps/v1/roadmaps/{roadmap['id']}", tokens.header(Role.LGA, "ZELS")

    null_title = await roadmaps.http.patch(path, json={"title": None}, headers=headers)
    unknown_topic = await roadmaps.http.patch(path, json={"priority_topics": ["space_travel"]}, headers=headers)

    assert null_title.status_code == 422
    assert null_title.json()["detail"] == "title cannot be null"
    assert unknown_topic.status_code == 422
    assert "space_travel" in unknown_topic.json()["detail"]
