"""The working group's review queue, and its decision and verification forms."""

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from contracts.envelope import Role
from services.progress.portal.client import ApiRefused
from services.progress.portal.pages import Page, SignedIn, see_other
from services.progress.portal.refusals import FormRefused
from services.progress.portal.route import PortalRoute

router = APIRouter(route_class=PortalRoute, include_in_schema=False)


def lines(text: object) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


@router.get("/reviews")
async def queue(page: SignedIn) -> Response:
    page.require(Role.NALAS)
    waiting, implemented = await asyncio.gather(
        page.api.get("working_group", "/review-queue"),
        page.api.get("roadmaps", "/recommendations", status="implemented", limit=200),
    )
    texts = await asyncio.gather(
        *(page.api.get("roadmaps", f"/recommendations/{q['recommendation_id']}") for q in waiting)
    )
    queued = [{**q, "rec": text} for q, text in zip(waiting, texts, strict=True)]
    return page.render("reviews.html", queued=queued, implemented=implemented["items"])


async def _standing(page: Page, recommendation_id: UUID) -> dict[str, Any] | None:
    """Where the working group last heard the recommendation stands; None until the lifecycle has told it."""
    try:
        found: dict[str, Any] = await page.api.get("working_group", f"/recommendations/{recommendation_id}")
    except ApiRefused as refused:
        if refused.status == 404:
            return None
        raise
    return found


async def show(page: Page, recommendation_id: UUID, refusal: FormRefused | None = None) -> Response:
    page.require(Role.NALAS)
    found, standing = await asyncio.gather(
        page.api.get("roadmaps", f"/recommendations/{recommendation_id}"), _standing(page, recommendation_id)
    )
    # The forms follow the working group's own view, which is what its commands are checked against.
    status = standing["status"] if standing else None
    return page.render("review.html", refusal=refusal, rec=found, standing=status)


@router.get("/reviews/{recommendation_id}")
async def review_page(recommendation_id: UUID, page: SignedIn) -> Response:
    return await show(page, recommendation_id)


async def _command(page: Page, recommendation_id: UUID, form_name: str, body: dict[str, Any]) -> Response:
    page.require(Role.NALAS)
    try:
        await page.api.post("working_group", f"/recommendations/{recommendation_id}/{form_name}", body)
    except ApiRefused as refused:
        return await show(page, recommendation_id, FormRefused.of(form_name, refused))
    return see_other(f"/reviews/{recommendation_id}")


@router.post("/reviews/{recommendation_id}/review")
async def start_review(recommendation_id: UUID, page: SignedIn) -> Response:
    await page.form()
    return await _command(page, recommendation_id, "review", {"reviewers": []})


@router.post("/reviews/{recommendation_id}/decision")
async def decide(recommendation_id: UUID, page: SignedIn) -> Response:
    form = await page.form()
    body = {
        "decision": form.get("decision"),
        "comments": lines(form.get("comments")),
        "reason": form.get("reason") or "",
    }
    return await _command(page, recommendation_id, "decision", body)


@router.post("/reviews/{recommendation_id}/verification")
async def verify(recommendation_id: UUID, page: SignedIn) -> Response:
    form = await page.form()
    body = {"outcome": form.get("outcome"), "note": form.get("note") or "", "reasons": lines(form.get("reasons"))}
    return await _command(page, recommendation_id, "verification", body)
