"""A report shows the dashboard's figures, the same in its HTML and its PDF, in any script the region writes."""

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from services.progress.reports.content import ChangedRecommendation, ReportContent
from services.progress.reports.html import render_html
from services.progress.reports.layout import lay_out
from services.progress.reports.pdf import render_pdf
from services.progress.reports.produce import month_before
from services.progress.schemas import (
    Dashboard,
    Funnel,
    LocalGovernmentMilestones,
    MilestoneRow,
    Participants,
    WomenAndGirls,
)
from tests.service.pdf_text import page_count, pdf_text

ALBANIAN = "Shërbime sociale për gratë dhe vajzat në Çair"
SERBIAN_CYRILLIC = "Социјалне услуге у Нишу — ђаци, љубав, џеп"  # noqa: RUF001 (Cyrillic on purpose)


def funnel(key: str, drafted: int, submitted: int, verified: int) -> Funnel:
    total = drafted + submitted + verified
    by_status = {
        RecommendationStatus.DRAFTED: drafted,
        RecommendationStatus.SUBMITTED: submitted,
        RecommendationStatus.VERIFIED: verified,
    }
    share = round(100 * verified / total, 1)
    return Funnel(key=key, total=total, by_status=by_status, implemented_percent=share, verified_percent=share)


def a_dashboard() -> Dashboard:
    late = MilestoneRow(
        milestone_id=uuid4(), recommendation_id=uuid4(), association="SKGO", local_government="RS-NIS",
        title=SERBIAN_CYRILLIC, due_date=date(2026, 10, 15), report_status=None, reported_at=None, reports=0,
        evidence_count=0, overdue=True, escalated=False,
    )  # fmt: skip
    return Dashboard(
        programme=None, economy=None, association=None,
        totals=funnel("all", 4, 5, 3),
        by_programme=[funnel("SoRi 3", 4, 5, 3)],
        by_economy=[funnel("MK", 1, 4, 2), funnel("XK", 3, 1, 1)],
        by_association=[funnel("ZELS", 1, 4, 2), funnel("AKM", 3, 1, 1)],
        overdue_reviews=[], overdue_reviews_total=0,
        overdue_milestones=[late], overdue_milestones_total=1,
        milestones_by_local_government=[
            LocalGovernmentMilestones(local_government="RS-NIS", planned=6, due=4, reported=3, done=2, overdue=1)
        ],
        participants=Participants(
            actions=3, participants=87, attended=71, by_sex={"female": 52, "male": 35},
            by_organisation_type={"local_government": 60, "association": 27},
        ),
        social_approaches=WomenAndGirls(
            approaches=20, marked=7, marked_percent=35.0, target_percent=30.0, target_met=True
        ),
    )  # fmt: skip


@pytest.fixture
def content() -> ReportContent:
    moved = ChangedRecommendation(
        recommendation_id=uuid4(), code="AKM-2026-02", title=ALBANIAN, association="AKM",
        from_status=RecommendationStatus.DRAFTED, to_status=RecommendationStatus.SUBMITTED,
        at=datetime(2026, 11, 12, 9, 30, tzinfo=UTC),
    )  # fmt: skip
    return ReportContent(
        period_start=datetime(2026, 11, 1, 6, tzinfo=UTC),
        period_end=datetime(2026, 12, 1, 6, tzinfo=UTC),
        language=Language.ENGLISH,
        dashboard=a_dashboard(),
        changes=[moved],
    )


FIGURES = (
    "2026-11-01 06:00 UTC",
    "2026-12-01 06:00 UTC",
    "25.0 %",  # verified share of all twelve
    "7 / 20 (35.0 %; target 30.0 %, met)",
    "87",
    "AKM-2026-02",
    "drafted → submitted",
    "RS-NIS",
    "52",
)


def test_the_html_report_shows_the_dashboards_figures_and_the_periods_changes(content: ReportContent) -> None:
    html = render_html(lay_out(content)).decode()
    for figure in (*FIGURES, ALBANIAN, SERBIAN_CYRILLIC):
        assert figure in html, figure
    assert '<html lang="en">' in html
    assert "<svg" in html  # the funnel chart


def test_the_html_report_fetches_nothing(content: ReportContent) -> None:
    html = render_html(lay_out(content)).decode()
    assert "http://" not in html
    assert "https://" not in html
    assert "<link" not in html
    assert "<script" not in html


def test_the_pdf_report_shows_the_same_figures_in_cyrillic_and_albanian(content: ReportContent) -> None:
    pdf = render_pdf(lay_out(content))
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) >= 1
    text = pdf_text(pdf)
    for figure in FIGURES:
        assert figure in text, figure
    flat = text.replace("\n", " ")
    assert ALBANIAN in flat
    assert SERBIAN_CYRILLIC in flat


def test_user_written_text_is_escaped_in_the_html(content: ReportContent) -> None:
    content.changes[0].title = "<script>alert(1)</script>"
    html = render_html(lay_out(content)).decode()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_first_period_reaches_back_one_calendar_month() -> None:
    assert month_before(datetime(2026, 12, 1, 6, tzinfo=UTC)) == datetime(2026, 11, 1, 6, tzinfo=UTC)
    assert month_before(datetime(2027, 3, 31, tzinfo=UTC)) == datetime(2027, 2, 28, tzinfo=UTC)
    assert month_before(datetime(2027, 1, 15, tzinfo=UTC)) == datetime(2026, 12, 15, tzinfo=UTC)
