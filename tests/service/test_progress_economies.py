"""Progress learns which economy an association belongs to from roadmaps' reference events, never from roadmaps'
files: rows projected before the event get their economy when it arrives, and rows projected after get it at once."""

from typing import Any
from uuid import uuid4

from contracts.envelope import Actor, EventPayload, Role, new_event
from contracts.languages import Language
from contracts.roadmaps import RecommendationDrafted, ReferenceEntryChanged
from contracts.social_approaches import ApproachStatus, ApproachStatusChanged
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

NALAS = Actor(sub="nalas@NALAS", org="NALAS", role=Role.NALAS)
# An association the revisions do not seed (they carry the economies of reference data 2026.2), so that nothing
# but the event tells progress of it.
ZOCG_IN_ME = ReferenceEntryChanged(kind="associations", code="ZOCG", economy="ME")


async def deliver(progress: ServiceUnderTest, *payloads: EventPayload) -> None:
    for payload in payloads:
        event = new_event(payload, subject="test", actor=NALAS, source="test")
        await progress.deliver(event.data.TOPIC, event.to_json())


def drafted() -> RecommendationDrafted:
    return RecommendationDrafted(
        recommendation_id=uuid4(),
        roadmap_id=uuid4(),
        association="ZOCG",
        code=f"ZOCG-{uuid4().hex[:6]}",
        title="Day care",
        language=Language("en"),
        version=1,
    )


def approach() -> ApproachStatusChanged:
    return ApproachStatusChanged(
        approach_id=uuid4(),
        local_government="ME-KOTOR",
        association="ZOCG",
        approach_type="mobile_outreach_team",
        women_and_girls=True,
        from_status=None,
        to_status=ApproachStatus.PLANNED,
        beneficiaries_planned=40,
        beneficiaries_reached=0,
    )


async def economy_of_recommendation(progress: ServiceUnderTest, tokens: Tokens, fact: RecommendationDrafted) -> Any:
    response = await progress.http.get(
        f"/progress/v1/recommendations/{fact.recommendation_id}", headers=tokens.header(Role.OBSERVER, "OBSERVER")
    )
    assert response.status_code == 200, response.text
    return response.json()["economy"]


async def approaches_in(progress: ServiceUnderTest, tokens: Tokens, economy: str) -> int:
    response = await progress.http.get(
        "/progress/v1/social-approaches", params={"economy": economy}, headers=tokens.header(Role.OBSERVER, "OBSERVER")
    )
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


async def test_the_economy_of_an_association_arrives_by_event(progress: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = drafted()

    await deliver(progress, ZOCG_IN_ME, recommendation, approach())

    assert await economy_of_recommendation(progress, tokens, recommendation) == "ME"
    assert await approaches_in(progress, tokens, "ME") == 1


async def test_rows_projected_before_the_reference_event_get_their_economy_when_it_arrives(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = drafted()
    await deliver(progress, recommendation, approach())
    assert await economy_of_recommendation(progress, tokens, recommendation) is None
    assert await approaches_in(progress, tokens, "ME") == 0

    await deliver(progress, ZOCG_IN_ME)

    assert await economy_of_recommendation(progress, tokens, recommendation) == "ME"
    assert await approaches_in(progress, tokens, "ME") == 1


async def test_a_reference_event_that_names_no_economy_leaves_it_as_known(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    """Events from before they carried the economy, and other kinds of entries, say nothing of it."""
    recommendation = drafted()
    older = ReferenceEntryChanged(kind="associations", code="ZOCG")
    local_government = ReferenceEntryChanged(kind="local-governments", code="ME-BUDVA", association="ZOCG")

    await deliver(progress, ZOCG_IN_ME, recommendation, older, local_government)

    assert await economy_of_recommendation(progress, tokens, recommendation) == "ME"
