"""Progress keeps where each recommendation stands from the lifecycle topic; repeats and garbage change nothing."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.lifecycle import RecommendationStatus, StatusChanged
from contracts.topics import LIFECYCLE, dlq
from services.progress.gauges import refresh_status_gauge
from sori.kafka import DLQ_REASON
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

WORKFLOW = Actor(sub="lifecycle", org="ZELS", role=Role.LGA)


def status_changed(
    recommendation_id: UUID,
    before: RecommendationStatus | None,
    after: RecommendationStatus,
    at: datetime,
    comments: tuple[str, ...] = (),
) -> Envelope:
    payload = StatusChanged(
        recommendation_id=recommendation_id,
        from_status=before,
        to_status=after,
        cause_event_id=uuid4(),
        cause_event_type="sori.roadmaps.recommendation.submitted.v1",
        comments=list(comments),
    )
    return new_event(payload, subject=str(recommendation_id), actor=WORKFLOW, source="lifecycle", time=at)


async def read_status(progress: ServiceUnderTest, tokens: Tokens, recommendation_id: UUID) -> str:
    response = await progress.http.get(
        f"/progress/v1/recommendations/{recommendation_id}", headers=tokens.header(Role.OBSERVER, "NALAS")
    )
    assert response.status_code == 200, response.text
    status: str = response.json()["status"]
    return status


async def test_status_follows_the_lifecycle(progress: ServiceUnderTest, tokens: Tokens) -> None:
    rec = uuid4()
    now = datetime.now(UTC)
    await progress.deliver(LIFECYCLE, status_changed(rec, None, RecommendationStatus.DRAFTED, now).to_json())
    assert await read_status(progress, tokens, rec) == "drafted"
    submitted = status_changed(rec, RecommendationStatus.DRAFTED, RecommendationStatus.SUBMITTED, now)
    await progress.deliver(LIFECYCLE, submitted.to_json())
    assert await read_status(progress, tokens, rec) == "submitted"


async def test_redelivered_event_changes_nothing(progress: ServiceUnderTest, tokens: Tokens) -> None:
    rec = uuid4()
    now = datetime.now(UTC)
    drafted = status_changed(rec, None, RecommendationStatus.DRAFTED, now)
    submitted = status_changed(rec, RecommendationStatus.DRAFTED, RecommendationStatus.SUBMITTED, now)
    for event in (drafted, submitted, drafted):
        await progress.deliver(LIFECYCLE, event.to_json())
    assert await read_status(progress, tokens, rec) == "submitted"


async def test_an_older_event_arriving_late_does_not_win(progress: ServiceUnderTest, tokens: Tokens) -> None:
    rec = uuid4()
    now = datetime.now(UTC)
    newer = status_changed(rec, RecommendationStatus.DRAFTED, RecommendationStatus.SUBMITTED, now)
    older = status_changed(rec, None, RecommendationStatus.DRAFTED, now - timedelta(seconds=5))
    for event in (newer, older):
        await progress.deliver(LIFECYCLE, event.to_json())
    assert await read_status(progress, tokens, rec) == "submitted"


async def test_garbage_goes_to_the_dlq_and_consumption_goes_on(progress: ServiceUnderTest, tokens: Tokens) -> None:
    await progress.deliver(LIFECYCLE, b"{not json")
    await progress.deliver(LIFECYCLE, b'{"type": "sori.lifecycle.recommendation.exploded.v1"}')
    rec = uuid4()
    await progress.deliver(
        LIFECYCLE, status_changed(rec, None, RecommendationStatus.DRAFTED, datetime.now(UTC)).to_json()
    )
    assert await read_status(progress, tokens, rec) == "drafted"
    assert progress.published.raw[dlq(LIFECYCLE)] == [
        b"{not json",
        b'{"type": "sori.lifecycle.recommendation.exploded.v1"}',
    ]
    reasons = [h[DLQ_REASON] for h in progress.published.headers[dlq(LIFECYCLE)]]
    assert reasons[0].startswith("not JSON")
    assert reasons[1] == "unknown event type 'sori.lifecycle.recommendation.exploded.v1'"


async def test_unknown_recommendation_is_a_404(progress: ServiceUnderTest, tokens: Tokens) -> None:
    response = await progress.http.get(
        f"/progress/v1/recommendations/{uuid4()}", headers=tokens.header(Role.NALAS, "NALAS")
    )
    assert response.status_code == 404
    assert "no progress known" in response.json()["detail"]


async def test_recommendations_are_counted_by_status_for_prometheus(progress: ServiceUnderTest, tokens: Tokens) -> None:
    now = datetime.now(UTC)
    first, second = uuid4(), uuid4()
    for event in (
        status_changed(first, None, RecommendationStatus.DRAFTED, now),
        status_changed(second, None, RecommendationStatus.DRAFTED, now),
        status_changed(second, RecommendationStatus.DRAFTED, RecommendationStatus.SUBMITTED, now),
    ):
        await progress.deliver(LIFECYCLE, event.to_json())

    counts = await refresh_status_gauge(progress.app.state.db)
    assert counts == {"drafted": 1, "submitted": 1}
    metrics = (await progress.http.get("/metrics")).text
    assert 'sori_workflows_by_status{status="submitted"} 1.0' in metrics
    assert 'sori_workflows_by_status{status="verified"} 0.0' in metrics


async def test_dead_letters_are_counted_for_prometheus(progress: ServiceUnderTest) -> None:
    await progress.deliver(LIFECYCLE, b"not an event")
    metrics = (await progress.http.get("/metrics")).text
    line = next(m for m in metrics.splitlines() if m.startswith('sori_dead_letters_total{consumer="progress"'))
    assert float(line.rsplit(" ", 1)[1]) >= 1


ASKED = ("Add a budget line per municipality.", "Name the <b>households</b> reached.")


async def test_what_the_working_group_asked_is_in_the_timeline_and_on_the_recommendation_while_it_stands(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    rec, now = uuid4(), datetime.now(UTC)
    path = [
        status_changed(rec, None, RecommendationStatus.DRAFTED, now),
        status_changed(rec, RecommendationStatus.DRAFTED, RecommendationStatus.SUBMITTED, now + timedelta(seconds=1)),
        status_changed(
            rec,
            RecommendationStatus.SUBMITTED,
            RecommendationStatus.CHANGES_REQUESTED,
            now + timedelta(seconds=2),
            ASKED,
        ),
    ]
    for event in path:
        await progress.deliver(LIFECYCLE, event.to_json())
    association = tokens.header(Role.LGA, "ZELS")

    response = await progress.http.get(f"/progress/v1/recommendations/{rec}/timeline", headers=association)
    assert response.status_code == 200, response.text
    assert [change["comments"] for change in response.json()["changes"]] == [[], [], list(ASKED)]
    found = await progress.http.get(f"/progress/v1/recommendations/{rec}", headers=association)
    assert found.json()["comments"] == list(ASKED)

    resubmitted = status_changed(
        rec, RecommendationStatus.CHANGES_REQUESTED, RecommendationStatus.SUBMITTED, now + timedelta(seconds=3)
    )
    await progress.deliver(LIFECYCLE, resubmitted.to_json())
    found = await progress.http.get(f"/progress/v1/recommendations/{rec}", headers=association)
    assert found.json()["comments"] == []  # answered: what it asked stays in the timeline
    response = await progress.http.get(f"/progress/v1/recommendations/{rec}/timeline", headers=association)
    assert response.json()["changes"][2]["comments"] == list(ASKED)
