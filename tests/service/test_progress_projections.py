"""Progress projects every topic: one recommendation's story, actions and social approaches, in any delivery order."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from contracts.envelope import Role
from tests.support.progress import (
    REC,
    T0,
    assert_the_story_is_projected,
    deliver_all,
    delivery_orders,
    get,
    in_order,
    story,
)
from tests.support.retired import as_written_before_cloudevents
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


@pytest.mark.parametrize("order", delivery_orders())
async def test_every_topic_is_projected_the_same_whatever_the_order(
    progress: ServiceUnderTest, tokens: Tokens, order: str
) -> None:
    s, at = story()
    await deliver_all(progress, in_order(s.events, order))
    await assert_the_story_is_projected(progress, tokens, at)


async def test_the_story_told_in_the_envelope_before_cloudevents_is_projected_the_same(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    s, at = story()
    for event in s.events:
        await progress.deliver(event.data.TOPIC, as_written_before_cloudevents(event))
    await assert_the_story_is_projected(progress, tokens, at)

    await deliver_all(progress, s.events)  # the same events again, as CloudEvents: each is one the inbox knows
    await assert_the_story_is_projected(progress, tokens, at)


async def test_the_timeline_tells_the_status_on_any_past_date(progress: ServiceUnderTest, tokens: Tokens) -> None:
    s, at = story()
    await deliver_all(progress, s.events)
    path = f"/progress/v1/recommendations/{REC}/timeline"

    whole = await get(progress, tokens, path)
    assert [c["to_status"] for c in whole["changes"]] == [
        "drafted",
        "submitted",
        "under_review",
        "endorsed",
        "in_implementation",
    ]
    between = await get(progress, tokens, path, as_of=(at["under_review"] + timedelta(seconds=30)).isoformat())
    assert (between["status"], len(between["changes"])) == ("under_review", 3)
    before = await get(progress, tokens, path, as_of=(T0 - timedelta(days=1)).isoformat())
    assert (before["status"], before["changes"]) == (None, [])


async def test_a_review_still_awaited_is_overdue(progress: ServiceUnderTest, tokens: Tokens) -> None:
    s, _ = story()
    await deliver_all(progress, s.events[:5])  # drafted … review overdue, still submitted

    board = await get(progress, tokens, "/progress/v1/dashboard", association="ZELS")
    assert [r["recommendation_id"] for r in board["overdue_reviews"]] == [str(REC)]
    assert (await get(progress, tokens, "/progress/v1/dashboard", association="AAM"))["overdue_reviews"] == []


async def test_lists_filter_and_page(progress: ServiceUnderTest, tokens: Tokens) -> None:
    s, _ = story()
    await deliver_all(progress, s.events)

    async def count(path: str, **params: Any) -> int:
        total: int = (await get(progress, tokens, path, **params))["total"]
        return total

    recommendations = "/progress/v1/recommendations"
    assert await count(recommendations, lg="MK-STRUMICA", economy="MK", programme="SoRi 3") == 1
    assert await count(recommendations, status="verified") == 0
    assert await count(recommendations, lg="AL-ELBASAN") == 0
    assert await count("/progress/v1/milestones", overdue="true") == 1
    assert await count("/progress/v1/milestones", lg="MK-KUMANOVO", overdue="false") == 1
    assert await count("/progress/v1/social-approaches", women_and_girls="true") == 1
    page = await get(progress, tokens, "/progress/v1/milestones", offset=1, limit=1)
    assert (page["total"], page["offset"], len(page["items"])) == (2, 1, 1)


@pytest.mark.parametrize(
    "path",
    [
        "/progress/v1/dashboard",
        "/progress/v1/recommendations",
        "/progress/v1/milestones",
        "/progress/v1/actions",
        "/progress/v1/social-approaches",
        f"/progress/v1/recommendations/{REC}/timeline",
    ],
)
async def test_every_read_needs_a_signed_in_reader(progress: ServiceUnderTest, path: str) -> None:
    response = await progress.http.get(path)
    assert response.status_code == 401


async def test_an_unknown_recommendation_has_no_timeline(progress: ServiceUnderTest, tokens: Tokens) -> None:
    response = await progress.http.get(
        f"/progress/v1/recommendations/{uuid4()}/timeline", headers=tokens.header(Role.LG, "MK-KUMANOVO")
    )
    assert response.status_code == 404
    assert "no progress known" in response.json()["detail"]


async def test_a_recommendation_heard_of_before_its_lifecycle_has_no_status_time(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    """Roadmaps' fact arrives first: the status time is unknown (null), never the Unix epoch, in every read."""
    s, _ = story()
    await deliver_all(progress, s.events[:1])  # drafted, from roadmaps

    one = await get(progress, tokens, f"/progress/v1/recommendations/{REC}")
    assert (one["status"], one["updated_at"]) == ("drafted", None)
    reader = tokens.header(Role.OBSERVER, "OBSERVER")
    for fmt in ("json", "csv"):
        listed = await progress.http.get("/progress/v1/recommendations", params={"format": fmt}, headers=reader)
        assert listed.status_code == 200
        assert "ZELS-2026-01" in listed.text
        assert "1970" not in listed.text
