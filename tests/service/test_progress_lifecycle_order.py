"""Progress orders a recommendation's moves by the lifecycle's own sequence and dates them by their cause: moves
made in one instant keep their order, and a lifecycle that caught up after an outage keeps its true dates."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.lifecycle import RecommendationStatus, StatusChanged
from contracts.topics import LIFECYCLE
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

S = RecommendationStatus
LIFECYCLE_ACTOR = Actor(sub="sori-lifecycle", org="ZELS", role=Role.LGA)
INSTANT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MOVES = ((None, S.DRAFTED), (S.DRAFTED, S.SUBMITTED), (S.SUBMITTED, S.UNDER_REVIEW))


def move(
    rec: UUID,
    number: int,
    *,
    published_at: datetime,
    caused_at: datetime | None,
    event_id: UUID | None = None,
    numbered: bool = True,
) -> Envelope:
    """The lifecycle's `number`th move of MOVES, as it publishes it (`numbered=False`: as it did before numbering)."""
    before, after = MOVES[number - 1]
    payload = StatusChanged(
        recommendation_id=rec,
        from_status=before,
        to_status=after,
        cause_event_id=uuid4(),
        cause_event_type="sori.test.cause.v1",
        association="ZELS",
        sequence=number if numbered else None,
        cause_time=caused_at,
    )
    return new_event(
        payload, subject=str(rec), actor=LIFECYCLE_ACTOR, source="lifecycle", event_id=event_id, time=published_at
    )


def one_instant(rec: UUID, count: int) -> list[Envelope]:
    """`count` moves of one workflow task: one time, and ids that sort the other way round."""
    return [
        move(rec, n, published_at=INSTANT, caused_at=INSTANT, event_id=UUID(int=count - n + 1))
        for n in range(1, count + 1)
    ]


def as_json(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def deliver(progress: ServiceUnderTest, events: list[Envelope]) -> None:
    for event in events:
        await progress.deliver(LIFECYCLE, event.to_json())


async def get(progress: ServiceUnderTest, tokens: Tokens, path: str, **params: Any) -> Any:
    response = await progress.http.get(path, params=params, headers=tokens.header(Role.NALAS, "NALAS"))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("delivered", ["as published", "reversed"])
async def test_moves_made_in_one_instant_keep_the_lifecycles_order(
    progress: ServiceUnderTest, tokens: Tokens, delivered: str
) -> None:
    rec = uuid4()
    events = one_instant(rec, 3)
    await deliver(progress, events if delivered == "as published" else events[::-1])

    timeline = await get(progress, tokens, f"/progress/v1/recommendations/{rec}/timeline")
    assert [c["to_status"] for c in timeline["changes"]] == ["drafted", "submitted", "under_review"]
    assert [c["sequence"] for c in timeline["changes"]] == [1, 2, 3]
    assert timeline["status"] == "under_review"
    then = await get(progress, tokens, f"/progress/v1/recommendations/{rec}/timeline", as_of=INSTANT.isoformat())
    assert (then["status"], len(then["changes"])) == ("under_review", 3)
    assert (await get(progress, tokens, f"/progress/v1/recommendations/{rec}"))["status"] == "under_review"


async def test_a_report_names_where_moves_of_one_instant_began_and_ended(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    await deliver(progress, one_instant(uuid4(), 2))
    nalas = tokens.header(Role.NALAS, "NALAS")
    period_end = (INSTANT + timedelta(days=1)).isoformat()
    response = await progress.http.post("/progress/v1/reports", json={"period_end": period_end}, headers=nalas)
    assert response.status_code == 201, response.text
    html = await progress.http.get(response.json()["html_url"], headers=nalas)
    assert "new → submitted (2 moves)" in html.text


async def test_moves_applied_late_after_an_outage_keep_the_time_of_their_cause(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    rec = uuid4()
    outage = timedelta(hours=6)
    caused = [INSTANT, INSTANT + timedelta(minutes=5)]
    await deliver(progress, [move(rec, n, published_at=INSTANT + outage, caused_at=caused[n - 1]) for n in (1, 2)])

    recommendation = await get(progress, tokens, f"/progress/v1/recommendations/{rec}")
    assert (recommendation["submitted_at"], recommendation["updated_at"]) == (as_json(caused[1]), as_json(caused[1]))
    path = f"/progress/v1/recommendations/{rec}/timeline"
    assert [c["at"] for c in (await get(progress, tokens, path))["changes"]] == [as_json(m) for m in caused]
    during = await get(progress, tokens, path, as_of=(INSTANT + timedelta(hours=1)).isoformat())
    assert during["status"] == "submitted"


async def test_moves_from_before_the_sequence_go_by_time_and_before_numbered_ones(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    rec = uuid4()
    unnumbered = [
        move(rec, n, published_at=INSTANT + timedelta(minutes=n), caused_at=None, numbered=False) for n in (1, 2)
    ]
    # Numbered from the lifecycle's next run on; its instant ties with the first move's, which time alone would miss.
    numbered = move(rec, 3, published_at=INSTANT + timedelta(minutes=1), caused_at=INSTANT + timedelta(minutes=1))
    await deliver(progress, [numbered, *unnumbered[::-1]])

    timeline = await get(progress, tokens, f"/progress/v1/recommendations/{rec}/timeline")
    assert [c["to_status"] for c in timeline["changes"]] == ["drafted", "submitted", "under_review"]
    assert (await get(progress, tokens, f"/progress/v1/recommendations/{rec}"))["status"] == "under_review"
