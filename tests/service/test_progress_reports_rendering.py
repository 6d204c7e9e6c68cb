"""A report shows the dashboard's figures, the same in its HTML and its PDF, in any script the region writes."""

from datetime import UTC, datetime

from services.progress.reports.content import ReportContent
from services.progress.reports.html import render_html
from services.progress.reports.layout import lay_out
from services.progress.reports.pdf import render_pdf
from services.progress.reports.produce import month_before
from tests.support.pdf_text import page_count, pdf_text
from tests.support.report_content import ALBANIAN, SERBIAN_CYRILLIC

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
