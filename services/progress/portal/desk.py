"""The association's drafting desk: its recommendations, a new roadmap, a new draft."""

import asyncio
from collections.abc import Awaitable
from typing import Any

from fastapi import APIRouter, Response

from contracts.envelope import Role
from services.progress.portal.client import ApiRefused
from services.progress.portal.pages import Page, SignedIn, see_other
from services.progress.portal.refusals import FormRefused
from services.progress.portal.route import PortalRoute

router = APIRouter(route_class=PortalRoute, include_in_schema=False)
DRAFT_FIELDS = ("title", "language", "problem_statement", "proposed_measures")


async def show(page: Page, refusal: FormRefused | None = None) -> Response:
    org = page.require(Role.LGA).org
    reference, roadmaps, listed = await asyncio.gather(
        page.api.get("roadmaps", "/reference"),
        page.api.get("roadmaps", "/roadmaps", association=org),
        page.api.get("roadmaps", "/recommendations", association=org, limit=200),
    )
    return page.render(
        "desk.html", refusal=refusal, reference=reference, roadmaps=roadmaps, recommendations=listed["items"]
    )


@router.get("/desk")
async def desk(page: SignedIn) -> Response:
    return await show(page)


async def _attempt(page: Page, form_name: str, command: Awaitable[Any]) -> Response:
    try:
        await command
    except ApiRefused as refused:
        return await show(page, FormRefused.of(form_name, refused))
    return see_other("/desk")


@router.post("/desk/roadmaps")
async def create_roadmap(page: SignedIn) -> Response:
    page.require(Role.LGA)
    form = await page.form()
    body = {"programme": form.get("programme"), "title": form.get("title")}
    return await _attempt(page, "roadmap", page.api.post("roadmaps", "/roadmaps", body))


@router.post("/desk/recommendations")
async def draft(page: SignedIn) -> Response:
    page.require(Role.LGA)
    form = await page.form()
    body = {field: form.get(field) for field in DRAFT_FIELDS if form.get(field)}
    path = f"/roadmaps/{form.get('roadmap_id')}/recommendations"
    return await _attempt(page, "draft", page.api.post("roadmaps", path, body))
