"""The local government's milestone reports: what it is expected to deliver, and the form with evidence upload."""

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData, UploadFile

from contracts.envelope import Role
from services.progress.portal.client import ApiRefused, ServiceApi
from services.progress.portal.pages import Page, SignedIn, see_other
from services.progress.portal.places import place_names
from services.progress.portal.refusals import FormRefused, PageRefused
from services.progress.portal.route import PortalRoute
from sori.errors import UPLOAD_BODY_LIMIT

router = APIRouter(route_class=PortalRoute, include_in_schema=False)
IDEMPOTENCY_KEY = "Idempotency-Key"


@router.get("/reporting")
async def expected(page: SignedIn) -> Response:
    org = page.require(Role.LG).org
    milestones = await page.api.get("social_approaches", "/milestones", local_government=org)
    return page.render("reporting.html", milestones=milestones)


async def show(page: Page, recommendation_id: UUID, milestone_id: UUID, refusal: FormRefused | None = None) -> Response:
    org = page.require(Role.LG).org
    milestones = await page.api.get("social_approaches", "/milestones", local_government=org)
    milestone = next((m for m in milestones if m["milestone_id"] == str(milestone_id)), None)
    if milestone is None:
        raise PageRefused(404, page.gettext("This milestone is not one of yours."))
    path = f"/recommendations/{recommendation_id}/milestones/{milestone_id}/reports"
    reports, places = await asyncio.gather(page.api.get("social_approaches", path), place_names(page.api))
    return page.render("report_form.html", refusal=refusal, milestone=milestone, reports=reports, places=places)


@router.get("/reporting/{recommendation_id}/{milestone_id}")
async def report_form(recommendation_id: UUID, milestone_id: UUID, page: SignedIn) -> Response:
    return await show(page, recommendation_id, milestone_id)


def idempotency(request: Request) -> dict[str, str]:
    """The browser's Idempotency-Key for the report (README, "Reporting offline"), passed on to the service with the
    evidence upload and with the report (a key belongs to its command too), so that a resend after a lost answer
    finds both as they were the first time."""
    key = request.headers.get(IDEMPOTENCY_KEY)
    return {IDEMPOTENCY_KEY: key} if key else {}


async def _evidence_ids(api: ServiceApi, form: FormData, keyed: dict[str, str]) -> list[str]:
    upload = form.get("evidence")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return []
    content = await upload.read()
    content_type = upload.content_type or "application/octet-stream"
    stored = await api.upload("social_approaches", "/evidence", upload.filename, content, content_type, headers=keyed)
    return [stored["evidence_id"]]


def _indicators(form: FormData) -> list[dict[str, Any]]:
    names = form.getlist("indicator")
    values = form.getlist("indicator_value")
    return [{"indicator": n, "value": v} for n, v in zip(names, values, strict=False) if str(v).strip()]


@router.post("/reporting/{recommendation_id}/{milestone_id}", max_body_size=UPLOAD_BODY_LIMIT)
async def report(recommendation_id: UUID, milestone_id: UUID, page: SignedIn) -> Response:
    page.require(Role.LG)
    form = await page.form()
    path = f"/recommendations/{recommendation_id}/milestones/{milestone_id}/reports"
    try:
        body = {
            "status": form.get("status"),
            "narrative": form.get("narrative") or "",
            "indicators": _indicators(form),
            "evidence_ids": await _evidence_ids(page.api, form, idempotency(page.request)),
        }
        await page.api.post("social_approaches", path, body, headers=idempotency(page.request))
    except ApiRefused as refused:
        return await show(page, recommendation_id, milestone_id, FormRefused.of("report", refused))
    return see_other("/reporting?reported=1")


@router.get("/evidence/{evidence_id}")
async def evidence(evidence_id: UUID, page: SignedIn) -> Response:
    """Evidence as the person may see it: their token goes to the service, the file comes back to them."""
    described = await page.api.get("social_approaches", f"/evidence/{evidence_id}")
    if described.get("url"):
        # Shown, never followed for the person: a redirect from this site would lend the link SoRi's name.
        return page.render("evidence_link.html", url=described["url"])
    content = await page.api.send("GET", "social_approaches", f"/evidence/{evidence_id}/content")
    disposition = content.headers.get("content-disposition", "attachment")
    return Response(
        content.content,
        media_type=content.headers.get("content-type"),
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )
