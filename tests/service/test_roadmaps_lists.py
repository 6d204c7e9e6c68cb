"""NALAS finds recommendations across every roadmap: by programme, association, status, topic and group, by words
of their titles, a page at a time."""

from typing import Any

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus
from tests.support.roadmaps import create_roadmap, draft, settle
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


async def listed(service: ServiceUnderTest, tokens: Tokens, query: str = "") -> Any:
    response = await service.http.get(
        f"/roadmaps/v1/recommendations{query}", headers=tokens.header(Role.NALAS, "NALAS")
    )
    assert response.status_code == 200, response.text
    return response.json()


def titles(page: Any) -> list[str]:
    return [item["title"] for item in page["items"]]


async def two_roadmaps(service: ServiceUnderTest, tokens: Tokens) -> None:
    zels = await create_roadmap(service, tokens, org="ZELS")
    akm = await create_roadmap(service, tokens, org="AKM", title="AKM roadmap")
    await draft(service, tokens, zels["id"], title="Day care in RURAL areas", target_groups=["rural_residents"])
    mobile = await draft(
        service,
        tokens,
        zels["id"],
        title="Mobile outreach teams",
        target_groups=["roma", "women_girls"],
        topics=["social_services"],
        translations={"sq": {"title": "Ekipe të lëvizshme"}},
    )
    await draft(service, tokens, akm["id"], org="AKM", title="Housing for returnees", topics=["housing"])
    await settle(service, mobile["id"], RecommendationStatus.ENDORSED)


async def test_recommendations_are_filtered_by_association_status_topic_and_group(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    await two_roadmaps(roadmaps, tokens)

    assert titles(await listed(roadmaps, tokens)) == [
        "Day care in RURAL areas",
        "Mobile outreach teams",
        "Housing for returnees",
    ]
    assert titles(await listed(roadmaps, tokens, "?association=AKM")) == ["Housing for returnees"]
    assert titles(await listed(roadmaps, tokens, "?status=endorsed")) == ["Mobile outreach teams"]
    assert titles(await listed(roadmaps, tokens, "?topic=housing")) == ["Housing for returnees"]
    assert titles(await listed(roadmaps, tokens, "?group=roma&association=ZELS")) == ["Mobile outreach teams"]
    assert titles(await listed(roadmaps, tokens, "?programme=SoRi 3&group=elderly")) == []


async def test_q_finds_words_of_titles_in_any_case_and_in_translations(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    await two_roadmaps(roadmaps, tokens)

    assert titles(await listed(roadmaps, tokens, "?q=rural")) == ["Day care in RURAL areas"]
    assert titles(await listed(roadmaps, tokens, "?q=OUTREACH")) == ["Mobile outreach teams"]
    assert titles(await listed(roadmaps, tokens, "?q=lëvizshme")) == ["Mobile outreach teams"]
    assert titles(await listed(roadmaps, tokens, "?q=100%")) == []


async def test_a_long_list_comes_a_page_at_a_time_with_a_cursor(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await create_roadmap(roadmaps, tokens)
    drafted = [(await draft(roadmaps, tokens, roadmap["id"], title=f"Measure {n}"))["title"] for n in range(5)]

    pages, cursor = [], ""
    while True:
        page = await listed(roadmaps, tokens, f"?limit=2{cursor}")
        pages.append(titles(page))
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"

    assert pages == [drafted[0:2], drafted[2:4], drafted[4:5]]


async def test_a_cursor_the_list_did_not_give_out_is_refused(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    response = await roadmaps.http.get(
        "/roadmaps/v1/recommendations?cursor=not-a-cursor", headers=tokens.header(Role.NALAS, "NALAS")
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "the cursor is not one this list gave out"


async def test_a_page_larger_than_200_or_an_unknown_status_is_refused(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    headers = tokens.header(Role.NALAS, "NALAS")

    too_long = await roadmaps.http.get("/roadmaps/v1/recommendations?limit=500", headers=headers)
    no_such_status = await roadmaps.http.get("/roadmaps/v1/recommendations?status=lost", headers=headers)

    assert too_long.status_code == 422
    assert too_long.json()["detail"][0]["loc"] == ["query", "limit"]
    assert no_such_status.status_code == 422
    assert no_such_status.json()["detail"][0]["loc"] == ["query", "status"]
