"""Progress reports over HTTP: the kept list, one made on demand (NALAS), and each one's HTML and PDF."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from services.progress import store
from services.progress.models import ProgressReport
from services.progress.reports.produce import ensure_may_order, produce_report
from services.progress.schemas import ProgressReportPublic, ReportRequest
from sori.deps import CurrentActor, DatabaseDep, SettingsDep
from sori.idempotency import IdempotentRoute

router = APIRouter(prefix="/reports", tags=["reports"], route_class=IdempotentRoute)


@router.get("", response_model=list[ProgressReportPublic], summary="Progress reports kept, newest period first")
async def list_reports(
    _actor: CurrentActor,
    db: DatabaseDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ProgressReportPublic]:
    async with db.reading() as session:
        reports = await store.kept_reports(session, offset, limit)
    return [ProgressReportPublic.of(report) for report in reports]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgressReportPublic,
    responses={200: {"model": ProgressReportPublic, "description": "that period's report, made before and kept"}},
    summary="Make the report for a period now (NALAS); 200 with the kept one if that period's exists",
)
async def order_report(
    request: ReportRequest, actor: CurrentActor, db: DatabaseDep, settings: SettingsDep, response: Response
) -> ProgressReportPublic:
    ensure_may_order(actor, request)
    report, made_now = await produce_report(db, settings, request)
    if not made_now:
        response.status_code = status.HTTP_200_OK
    return ProgressReportPublic.of(report)


def _download(report: ProgressReport, extension: str, media_type: str, body: bytes) -> Response:
    name = f"sori-progress-report-{report.period_end:%Y-%m-%d}-{report.language}.{extension}"
    disposition = "inline" if extension == "html" else "attachment"
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'{disposition}; filename="{name}"'})


@router.get(
    "/{report_id}.html",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}, "description": "the page"}},
    summary="A report as one self-contained HTML page",
)
async def download_html(report_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> Response:
    async with db.reading() as session:
        report = await store.report_by_id(session, report_id)
    return _download(report, "html", "text/html; charset=utf-8", report.html)


@router.get(
    "/{report_id}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the PDF, as an attachment"}},
    summary="A report as a PDF",
)
async def download_pdf(report_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> Response:
    async with db.reading() as session:
        report = await store.report_by_id(session, report_id)
    return _download(report, "pdf", "application/pdf", report.pdf)
