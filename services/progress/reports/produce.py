"""Producing progress reports: one per period end and language, however often it is asked for."""

import asyncio
import calendar
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Actor, Role
from services.progress.dashboard import dashboard
from services.progress.models import ProgressReport
from services.progress.reports.content import ReportContent, changes_in_period
from services.progress.reports.html import render_html
from services.progress.reports.labels import LABELS
from services.progress.reports.layout import lay_out
from services.progress.reports.pdf import render_pdf
from services.progress.schemas import ReportRequest
from services.progress.store import find_report, last_scheduled_end
from sori.db import Database
from sori.errors import CommandRefused, RefusalKind
from sori.settings import Settings


def ensure_may_order(actor: Actor, request: ReportRequest) -> None:
    if actor.role is not Role.NALAS:
        raise CommandRefused(RefusalKind.FORBIDDEN, f"only NALAS orders progress reports; {actor.org} is {actor.role}")
    if request.language not in LABELS:
        written = ", ".join(LABELS)
        raise CommandRefused(RefusalKind.INVALID, f"reports are written in {written}, not {request.language}")


def period_key(request: ReportRequest, now: datetime) -> datetime:
    """The period's end, to the second: the key that makes a repeated request find the report already made."""
    return (request.period_end or now).astimezone(UTC).replace(microsecond=0)


def month_before(moment: datetime) -> datetime:
    year, month = (moment.year, moment.month - 1) if moment.month > 1 else (moment.year - 1, 12)
    last_day = calendar.monthrange(year, month)[1]  # 31 March → 28 or 29 February
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


async def period_start(session: AsyncSession, end: datetime) -> datetime:
    """Where the last scheduled report before `end` stopped; a month back when there was none."""
    found = await last_scheduled_end(session, end)
    return found.astimezone(UTC) if found else month_before(end)


def _render(content: ReportContent) -> tuple[bytes, bytes]:
    document = lay_out(content)
    return render_html(document), render_pdf(document)


async def produce_report(db: Database, settings: Settings, request: ReportRequest) -> tuple[ProgressReport, bool]:
    """The report for the request's period, and whether it was made now (False: it existed already)."""
    end = period_key(request, datetime.now(UTC))
    async with db.reading() as session:
        if existing := await find_report(session, end, request.language):
            return existing, False
        start = await period_start(session, end)
        board = await dashboard(session, women_and_girls_target=settings.women_and_girls_target_percent)
        changes = await changes_in_period(session, start, end)
    content = ReportContent(
        period_start=start, period_end=end, language=request.language, dashboard=board, changes=changes
    )
    html, pdf = await asyncio.to_thread(_render, content)  # fpdf2 is pure Python: keep the event loop free
    report = ProgressReport(
        period_start=start,
        period_end=end,
        language=request.language,
        trigger=request.trigger,
        html=html,
        pdf=pdf,
        html_size=len(html),
        pdf_size=len(pdf),
    )
    try:
        async with db.transaction() as session:
            session.add(report)
    except IntegrityError:  # the same period was made meanwhile by a concurrent request (a retried activity)
        async with db.reading() as session:
            if existing := await find_report(session, end, request.language):
                return existing, False
        raise
    return report, True
