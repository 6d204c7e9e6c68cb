"""NALAS orders a progress report; everyone signed in lists and downloads it; one period makes one report."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from contracts.envelope import Actor, Role, new_event
from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus, StatusChanged
from contracts.roadmaps import RecommendationDrafted
from contracts.topics import LIFECYCLE, ROADMAPS
from tests.polling import eventually
from tests.support.pdf_text import page_count, pdf_text
from tests.support.progress import REPORTS, order
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

ZELS = Actor(sub="drafter", org="ZELS", role=Role.LGA)
TITLE = "Дневни центри за лица со попреченост"  # noqa: RUF001 (Macedonian, in Cyrillic on purpose)


async def draft_and_submit(progress: ServiceUnderTest, at: datetime) -> UUID:
    rec = uuid4()
    drafted = RecommendationDrafted(
        recommendation_id=rec, roadmap_id=uuid4(), association="ZELS", code="ZELS-2026-07", title=TITLE,
        language=Language.MACEDONIAN, version=1, programme="SoRi 3",
    )  # fmt: skip
    await progress.deliver(ROADMAPS, new_event(drafted, subject=str(rec), actor=ZELS, source="roadmaps").to_json())
    moves = ((None, RecommendationStatus.DRAFTED), (RecommendationStatus.DRAFTED, RecommendationStatus.SUBMITTED))
    for minute, (before, after) in enumerate(moves):
        changed = StatusChanged(
            recommendation_id=rec, from_status=before, to_status=after,
            cause_event_id=uuid4(), cause_event_type="sori.roadmaps.recommendation.submitted.v1", association="ZELS",
        )  # fmt: skip
        moment = at + timedelta(minutes=minute)
        event = new_event(changed, subject=str(rec), actor=ZELS, source="lifecycle", time=moment)
        await progress.deliver(LIFECYCLE, event.to_json())
    return rec


async def test_nalas_orders_a_report_that_shows_the_period_and_its_changes(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    await draft_and_submit(progress, datetime.now(UTC) - timedelta(days=3))
    response = await progress.http.post(REPORTS, json={}, headers=tokens.header(Role.NALAS, "NALAS"))
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["trigger"] == "on_demand"
    assert report["language"] == "en"
    reader = tokens.header(Role.LG, "MK-KUMANOVO")
    html = await progress.http.get(report["html_url"], headers=reader)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert TITLE in html.text
    assert "new → submitted (2 moves)" in html.text  # one row per recommendation, however often it moved
    pdf = await progress.http.get(report["pdf_url"], headers=reader)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert len(pdf.content) == report["pdf_size"]
    text = pdf_text(pdf.content)
    assert "ZELS-2026-07" in text
    assert "new → submitted (2 moves)" in text
    assert "Дневни центри" in text


async def test_the_same_period_end_gives_back_the_kept_report(progress: ServiceUnderTest, tokens: Tokens) -> None:
    end = "2026-12-01T06:00:00Z"
    first = await order(progress, tokens, period_end=end, trigger="scheduled")
    again = await progress.http.post(
        REPORTS, json={"period_end": end, "trigger": "scheduled"}, headers=tokens.header(Role.NALAS, "NALAS")
    )
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    listed = await progress.http.get(REPORTS, headers=tokens.header(Role.OBSERVER, "OBSERVER"))
    assert [r["id"] for r in listed.json()] == [first["id"]]


async def test_a_period_starts_where_the_last_scheduled_report_ended(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    first = await order(progress, tokens, period_end="2026-11-01T06:00:00Z", trigger="scheduled")
    assert first["period_start"].startswith("2026-10-01T06:00:00")
    on_demand = await order(progress, tokens, period_end="2026-11-20T10:00:00Z")
    second = await order(progress, tokens, period_end="2026-12-01T06:00:00Z", trigger="scheduled")
    assert on_demand["period_start"] == second["period_start"] == first["period_end"]
    listed = await progress.http.get(REPORTS, headers=tokens.header(Role.LGA, "ZELS"))
    assert [r["id"] for r in listed.json()] == [second["id"], on_demand["id"], first["id"]]


async def test_only_nalas_orders_reports(progress: ServiceUnderTest, tokens: Tokens) -> None:
    for role, org in ((Role.LGA, "ZELS"), (Role.LG, "MK-KUMANOVO"), (Role.OBSERVER, "OBSERVER")):
        response = await progress.http.post(REPORTS, json={}, headers=tokens.header(role, org))
        assert response.status_code == 403
        assert "only NALAS" in response.json()["detail"]
    assert (await progress.http.post(REPORTS, json={})).status_code == 401


async def test_refusals_say_why(progress: ServiceUnderTest, tokens: Tokens) -> None:
    nalas = tokens.header(Role.NALAS, "NALAS")
    unwritten = await progress.http.post(REPORTS, json={"language": "mk"}, headers=nalas)
    assert unwritten.status_code == 422
    assert "written in en" in unwritten.json()["detail"]
    missing = await progress.http.get(f"{REPORTS}/{uuid4()}.pdf", headers=nalas)
    assert missing.status_code == 404
    assert "no progress report" in missing.json()["detail"]
    naive = await progress.http.post(REPORTS, json={"period_end": "2026-12-01T06:00:00"}, headers=nalas)
    assert naive.status_code == 422
    assert (await progress.http.get(REPORTS)).status_code == 401


async def test_a_report_counts_what_the_projections_hold(progress: ServiceUnderTest, tokens: Tokens) -> None:
    await draft_and_submit(progress, datetime.now(UTC) - timedelta(hours=1))
    await eventually(
        lambda: progress.http.get("/progress/v1/dashboard", headers=tokens.header(Role.NALAS, "NALAS")),
        until=lambda r: r.status_code == 200 and r.json()["totals"]["total"] == 1,
    )
    report = await order(progress, tokens)
    pdf = await progress.http.get(report["pdf_url"], headers=tokens.header(Role.NALAS, "NALAS"))
    assert page_count(pdf.content) >= 1
    text = pdf_text(pdf.content)
    assert "Recommendations\n1\n" in text
    assert "submitted\n1" in text
