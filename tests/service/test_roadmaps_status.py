"""A recommendation's status: withdrawn by its association before endorsement, and otherwise where the lifecycle
says it stands, without older lifecycle news undoing the association's latest command."""

from contracts.envelope import new_event
from contracts.lifecycle import RecommendationStatus, TransitionRejected
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted, RecommendationWithdrawn
from contracts.topics import LIFECYCLE
from tests.polling import eventually
from tests.support.roadmaps import (
    LIFECYCLE_ACTOR,
    a_drafted_recommendation,
    lifecycle_applies,
    published,
    read,
    settle,
    zels,
)
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


async def test_a_recommendation_under_review_is_withdrawn_with_the_reason(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    await settle(roadmaps, recommendation["id"], RecommendationStatus.UNDER_REVIEW)

    response = await roadmaps.http.post(
        f"/roadmaps/v1/recommendations/{recommendation['id']}/withdraw",
        json={"reason": "Merged into ZELS-2024-03"},
        headers=zels(tokens),
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "withdrawn"
    [withdrawn] = await published(roadmaps, RecommendationWithdrawn.TYPE)
    assert (withdrawn.data.reason, withdrawn.subject) == ("Merged into ZELS-2024-03", recommendation["id"])


async def test_an_endorsed_recommendation_cannot_be_withdrawn(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    await settle(roadmaps, recommendation["id"], RecommendationStatus.ENDORSED)

    response = await roadmaps.http.post(
        f"/roadmaps/v1/recommendations/{recommendation['id']}/withdraw", json={"reason": "r"}, headers=zels(tokens)
    )

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "a recommendation that is endorsed cannot be withdrawn; "
        "only changes_requested, drafted, submitted, under_review ones can"
    )


async def test_a_withdrawal_needs_a_reason(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)

    response = await roadmaps.http.post(
        f"/roadmaps/v1/recommendations/{recommendation['id']}/withdraw", json={"reason": ""}, headers=zels(tokens)
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "reason"]


async def test_when_the_lifecycle_refuses_a_command_the_status_follows_the_lifecycle(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    rid = recommendation["id"]
    await roadmaps.http.post(f"/roadmaps/v1/recommendations/{rid}/submit", headers=zels(tokens))
    [submitted] = await published(roadmaps, RecommendationSubmitted.TYPE)
    rejected = TransitionRejected(
        recommendation_id=rid,
        status=RecommendationStatus.DRAFTED,
        rejected_event_id=submitted.id,
        rejected_event_type=RecommendationSubmitted.TYPE,
        reason="not allowed",
    )

    await roadmaps.deliver(
        LIFECYCLE, new_event(rejected, subject=rid, actor=LIFECYCLE_ACTOR, source="lifecycle").to_json()
    )

    current = await eventually(
        lambda: read(roadmaps, tokens, f"/recommendations/{rid}"), until=lambda r: r["status"] == "drafted"
    )
    assert current["status"] == "drafted"


async def test_lifecycle_news_from_before_the_associations_last_command_does_not_undo_it(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)
    rid = recommendation["id"]
    await roadmaps.http.post(f"/roadmaps/v1/recommendations/{rid}/submit", headers=zels(tokens))
    [drafted] = await published(roadmaps, RecommendationDrafted.TYPE)

    await settle(roadmaps, rid, RecommendationStatus.DRAFTED, cause=drafted)
    still = await read(roadmaps, tokens, f"/recommendations/{rid}")
    await lifecycle_applies(roadmaps, RecommendationSubmitted.TYPE, RecommendationStatus.SUBMITTED)
    await settle(roadmaps, rid, RecommendationStatus.UNDER_REVIEW)
    later = await read(roadmaps, tokens, f"/recommendations/{rid}")

    assert still["status"] == "submitted"
    assert later["status"] == "under_review"
