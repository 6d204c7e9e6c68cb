"""A local government maps its vulnerable groups and runs social approaches; its association and NALAS read along."""

from typing import Any
from uuid import UUID, uuid4

import pytest

from contracts.envelope import Role
from contracts.social_approaches import ApproachStatusChanged, MappingCompleted
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import (
    API,
    APPROACH,
    LG,
    LGA,
    MAPPING,
    NEIGHBOUR_LG,
    OTHER_LGA,
    ROMA,
    create_approach,
    create_mapping,
    lg,
    published,
)
from tests.support.tokens import Tokens

# --- the story's steps, shared by this service's test modules ------------------------------------------------------


# --- social mappings -----------------------------------------------------------------------------------------------


async def test_lg_maps_its_vulnerable_groups_and_completes_the_mapping(sa: ServiceUnderTest, tokens: Tokens) -> None:
    mapping = await create_mapping(sa, tokens)
    assert mapping["status"] == "draft"
    assert mapping["association"] == LGA
    finding_id = mapping["findings"][0]["finding_id"]

    completed = await sa.http.post(f"{API}/mappings/{mapping['id']}/complete", headers=lg(tokens))

    assert completed.status_code == 200, completed.text
    assert completed.json()["status"] == "completed"
    [event] = await published(sa, MappingCompleted.TYPE, 1)
    assert event.subject == mapping["id"]
    assert isinstance(event.data, MappingCompleted)
    assert event.data.groups[0].total == 120
    assert event.data.finding_ids == [UUID(finding_id)]
    assert event.data.data_sources_count == 1
    assert "Roma women" not in event.to_json().decode()


@pytest.mark.parametrize(
    ("group", "reason"),
    [
        ({**ROMA, "by_sex": {"female": 60, "male": 56}}, "groups 'roma': by_sex sums to 116, not the total 120"),
        ({**ROMA, "by_age_band": {"0-17": 50, "18+": 80}}, "groups 'roma': by_age_band sums to 130, not the total 120"),
    ],
)
async def test_a_breakdown_that_does_not_sum_to_the_total_is_refused_with_the_reason(
    sa: ServiceUnderTest, tokens: Tokens, group: dict[str, Any], reason: str
) -> None:
    response = await sa.http.post(f"{API}/mappings", json={**MAPPING, "groups": [group]}, headers=lg(tokens))

    assert response.status_code == 422
    assert response.json()["detail"] == reason
    listed = await sa.http.get(f"{API}/mappings", headers=lg(tokens))
    assert listed.json() == []


async def test_lg_edits_a_draft_mapping_and_its_findings_keep_their_ids(sa: ServiceUnderTest, tokens: Tokens) -> None:
    mapping = await create_mapping(sa, tokens)
    kept = mapping["findings"][0]
    new_finding = {"text": "Elderly people in villages live alone"}

    response = await sa.http.put(
        f"{API}/mappings/{mapping['id']}",
        json={**MAPPING, "findings": [kept, new_finding], "gaps": []},
        headers=lg(tokens),
    )

    assert response.status_code == 200, response.text
    findings = response.json()["findings"]
    assert findings[0]["finding_id"] == kept["finding_id"]
    assert findings[1]["finding_id"] not in (None, kept["finding_id"])
    assert response.json()["gaps"] == []


async def test_a_completed_mapping_no_longer_changes(sa: ServiceUnderTest, tokens: Tokens) -> None:
    mapping = await create_mapping(sa, tokens)
    path = f"{API}/mappings/{mapping['id']}"
    assert (await sa.http.post(f"{path}/complete", headers=lg(tokens))).status_code == 200

    edited = await sa.http.put(path, json=MAPPING, headers=lg(tokens))
    again = await sa.http.post(f"{path}/complete", headers=lg(tokens))

    assert (edited.status_code, again.status_code) == (409, 409)
    assert edited.json()["detail"] == "the mapping is completed; only a draft can change"


async def test_a_mapping_without_vulnerable_groups_cannot_be_completed(sa: ServiceUnderTest, tokens: Tokens) -> None:
    mapping = await create_mapping(sa, tokens, groups=[])

    response = await sa.http.post(f"{API}/mappings/{mapping['id']}/complete", headers=lg(tokens))

    assert response.status_code == 422
    assert "at least one vulnerable group" in response.json()["detail"]


async def test_a_second_mapping_for_the_same_topic_is_a_conflict(sa: ServiceUnderTest, tokens: Tokens) -> None:
    first = await create_mapping(sa, tokens)

    second = await sa.http.post(f"{API}/mappings", json=MAPPING, headers=lg(tokens))

    assert second.status_code == 409
    assert second.json()["detail"] == f"{LG} already has a mapping for topic 'access-to-social-services': {first['id']}"


async def test_each_reader_lists_the_mappings_it_may_see(sa: ServiceUnderTest, tokens: Tokens) -> None:
    await create_mapping(sa, tokens, org=LG)
    await create_mapping(sa, tokens, org="AL-ELBASAN")

    async def seen(role: Role, org: str) -> list[str]:
        response = await sa.http.get(f"{API}/mappings", headers=tokens.header(role, org))
        assert response.status_code == 200, response.text
        return sorted(m["local_government"] for m in response.json())

    assert await seen(Role.NALAS, "NALAS") == ["AL-ELBASAN", LG]
    assert await seen(Role.OBSERVER, "UNDP") == ["AL-ELBASAN", LG]
    assert await seen(Role.LGA, LGA) == [LG]
    assert await seen(Role.LGA, OTHER_LGA) == ["AL-ELBASAN"]
    assert await seen(Role.LG, NEIGHBOUR_LG) == []


async def test_unknown_mapping_is_a_404(sa: ServiceUnderTest, tokens: Tokens) -> None:
    response = await sa.http.get(f"{API}/mappings/{uuid4()}", headers=tokens.header(Role.NALAS, "NALAS"))

    assert response.status_code == 404
    assert response.json()["detail"].startswith("no mapping ")


# --- social approaches ---------------------------------------------------------------------------------------------


async def test_lg_runs_an_approach_from_planned_to_implemented(sa: ServiceUnderTest, tokens: Tokens) -> None:
    mapping = await create_mapping(sa, tokens)
    recommendation_id = str(uuid4())
    approach = await create_approach(sa, tokens, mapping_id=mapping["id"], recommendation_ids=[recommendation_id])
    assert approach["status"] == "planned"
    path = f"{API}/approaches/{approach['id']}/status"
    reached = [{"group": "roma", "total": 30, "by_sex": {"female": 30}}]

    started = await sa.http.post(path, json={"status": "in_progress"}, headers=lg(tokens))
    done = await sa.http.post(
        path, json={"status": "implemented", "beneficiaries_reached": reached}, headers=lg(tokens)
    )

    assert started.status_code == 200, started.text
    assert done.status_code == 200, done.text
    assert done.json()["beneficiaries_reached"][0]["total"] == 30
    events = await published(sa, ApproachStatusChanged.TYPE, 3)
    moves = [(e.data.from_status, e.data.to_status) for e in events if isinstance(e.data, ApproachStatusChanged)]
    assert moves == [(None, "planned"), ("planned", "in_progress"), ("in_progress", "implemented")]
    last = events[-1].data
    assert isinstance(last, ApproachStatusChanged)
    assert (last.women_and_girls, last.beneficiaries_planned, last.beneficiaries_reached) == (True, 120, 30)
    assert last.recommendation_ids == [UUID(recommendation_id)]
    assert {e.subject for e in events} == {approach["id"]}


@pytest.mark.parametrize(
    ("steps", "reason"),
    [
        (["implemented"], "an approach that is planned cannot become implemented: only in_progress comes next"),
        (
            ["in_progress", "planned"],
            "an approach that is in_progress cannot become planned: only implemented comes next",
        ),
        (
            ["in_progress", "implemented", "in_progress"],
            "an approach that is implemented cannot become in_progress: it is final",
        ),
    ],
)
async def test_an_approach_moves_one_step_at_a_time(
    sa: ServiceUnderTest, tokens: Tokens, steps: list[str], reason: str
) -> None:
    approach = await create_approach(sa, tokens)
    path = f"{API}/approaches/{approach['id']}/status"
    responses = [await sa.http.post(path, json={"status": step}, headers=lg(tokens)) for step in steps]

    assert [r.status_code for r in responses] == [200] * (len(steps) - 1) + [409]
    assert responses[-1].json()["detail"] == reason


async def test_reached_beneficiaries_that_do_not_add_up_are_refused(sa: ServiceUnderTest, tokens: Tokens) -> None:
    approach = await create_approach(sa, tokens)
    reached = [{"group": "roma", "total": 30, "by_sex": {"female": 20, "male": 5}}]

    response = await sa.http.post(
        f"{API}/approaches/{approach['id']}/status",
        json={"status": "in_progress", "beneficiaries_reached": reached},
        headers=lg(tokens),
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "beneficiaries_reached 'roma': by_sex sums to 25, not the total 30"
    current = await sa.http.get(f"{API}/approaches/{approach['id']}", headers=lg(tokens))
    assert current.json()["status"] == "planned"


async def test_an_approach_links_only_its_own_local_governments_mapping(sa: ServiceUnderTest, tokens: Tokens) -> None:
    neighbours = await create_mapping(sa, tokens, org=NEIGHBOUR_LG)

    foreign = await sa.http.post(
        f"{API}/approaches", json={**APPROACH, "mapping_id": neighbours["id"]}, headers=lg(tokens)
    )
    unknown = await sa.http.post(f"{API}/approaches", json={**APPROACH, "mapping_id": str(uuid4())}, headers=lg(tokens))

    assert foreign.status_code == 422
    assert foreign.json()["detail"] == f"the mapping belongs to {NEIGHBOUR_LG}; link a mapping of {LG}"
    assert unknown.status_code == 404


async def test_an_unknown_approach_type_is_refused_with_the_reason(sa: ServiceUnderTest, tokens: Tokens) -> None:
    response = await sa.http.post(
        f"{API}/approaches", json={**APPROACH, "approach_type": "bake_sale"}, headers=lg(tokens)
    )

    assert response.status_code == 422
    assert "day_care_centre" in str(response.json()["detail"])


async def test_summary_counts_approaches_and_the_women_and_girls_marker(sa: ServiceUnderTest, tokens: Tokens) -> None:
    await create_approach(sa, tokens)
    await create_approach(sa, tokens, approach_type="day_care_centre", women_and_girls=False)
    await create_approach(sa, tokens, org="AL-SHKODER")

    everywhere = await sa.http.get(f"{API}/approaches/summary", headers=tokens.header(Role.NALAS, "NALAS"))
    zels = await sa.http.get(f"{API}/approaches/summary", headers=tokens.header(Role.LGA, LGA))

    assert everywhere.status_code == 200, everywhere.text
    assert everywhere.json() == {
        "total": 3,
        "women_and_girls": 2,
        "by_status": {"planned": 3},
        "by_type": {"mobile_outreach_team": 2, "day_care_centre": 1},
        "by_local_government": {LG: 2, "AL-SHKODER": 1},
        "beneficiaries_planned": 360,
        "beneficiaries_reached": 0,
    }
    assert zels.json() == everywhere.json(), "the figures are public: an association counts every approach"


async def test_approaches_filter_by_the_women_and_girls_marker(sa: ServiceUnderTest, tokens: Tokens) -> None:
    marked = await create_approach(sa, tokens)
    await create_approach(sa, tokens, women_and_girls=False)

    response = await sa.http.get(f"{API}/approaches", params={"women_and_girls": True}, headers=lg(tokens))

    assert [a["id"] for a in response.json()] == [marked["id"]]


# --- documentation -----------------------------------------------------------------------------------------------


async def test_every_endpoint_is_documented_with_a_summary_and_examples(sa: ServiceUnderTest) -> None:
    document = (await sa.http.get("/openapi.json")).json()
    operations = [
        (path, operation)
        for path, item in document["paths"].items()
        if path.startswith(API)
        for operation in item.values()
    ]
    schemas = document["components"]["schemas"]

    assert len(operations) == 16
    assert all(operation.get("summary") for _path, operation in operations)
    for name in ("MappingWrite", "MappingPublic", "ApproachCreate", "ApproachPublic", "ReportCreate", "ReportPublic"):
        assert schemas[name].get("examples"), name
