"""The demo gives ZELS a roadmap with three recommendations, two of them submitted to the working group, through the
API."""

from contracts.envelope import Role
from services.roadmaps.demo import DEMO_RECOMMENDATIONS, load_demo
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


async def test_the_demo_drafts_zels_recommendations_and_submits_two(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmaps.http.headers.update(tokens.header(Role.LGA, "ZELS"))

    summary = await load_demo(roadmaps.http)

    listed = (await roadmaps.http.get("/roadmaps/v1/recommendations", params={"association": "ZELS"})).json()
    assert sorted((r["title"], r["status"]) for r in listed["items"]) == sorted(
        (title, "submitted" if submitted else "drafted") for title, submitted in DEMO_RECOMMENDATIONS
    )
    assert summary == "a ZELS roadmap with 3 recommendations, 2 submitted"
