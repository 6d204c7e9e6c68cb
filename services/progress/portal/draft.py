"""One of the association's recommendations on its desk: revise, submit, withdraw, assign with a milestone plan."""

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from starlette.datastructures import FormData

from contracts.envelope import Role
from services.progress.portal.client import ApiRefused
from services.progress.portal.pages import Page, SignedIn, see_other
from services.progress.portal.recommendation import standing_words, timeline_of
from services.progress.portal.refusals import FormRefused
from services.progress.portal.route import PortalRoute

router = APIRouter(route_class=PortalRoute, include_in_schema=False)
TEXT_FIELDS = ("title", "problem_statement", "proposed_measures", "evidence")
MILESTONE_ROWS = 4  # rows of the plan form without script; blank rows are left out


async def show(page: Page, recommendation_id: UUID, refusal: FormRefused | None = None) -> Response:
    org = page.require(Role.LGA).org
    found, reference, timeline = await asyncio.gather(
        page.api.get("roadmaps", f"/recommendations/{recommendation_id}"),
        page.api.get("roadmaps", "/reference"),
        timeline_of(page.api, recommendation_id),
    )
    ours: dict[str, Any] = next((a for a in reference["associations"] if a["code"] == org), {"local_governments": []})
    return page.render(
        "draft.html",
        refusal=refusal,
        rec=found,
        standing_words=standing_words(timeline),
        local_governments=ours["local_governments"],
        rows=range(1, MILESTONE_ROWS + 1),
    )


@router.get("/desk/recommendations/{recommendation_id}")
async def draft_page(recommendation_id: UUID, page: SignedIn) -> Response:
    return await show(page, recommendation_id)


async def _command(page: Page, recommendation_id: UUID, form_name: str, path: str, body: Any = None) -> Response:
    page.require(Role.LGA)
    try:
        await page.api.post("roadmaps", f"/recommendations/{recommendation_id}{path}", body)
    except ApiRefused as refused:
        return await show(page, recommendation_id, FormRefused.of(form_name, refused))
    return see_other(f"/desk/recommendations/{recommendation_id}")


@router.post("/desk/recommendations/{recommendation_id}/versions")
async def revise(recommendation_id: UUID, page: SignedIn) -> Response:
    form = await page.form()
    current = await page.api.get("roadmaps", f"/recommendations/{recommendation_id}")
    changed = {f: form.get(f) for f in TEXT_FIELDS if f in form and form.get(f) != current.get(f)}
    return await _command(page, recommendation_id, "revise", "/versions", changed)


@router.post("/desk/recommendations/{recommendation_id}/submit")
async def submit(recommendation_id: UUID, page: SignedIn) -> Response:
    await page.form()
    return await _command(page, recommendation_id, "submit", "/submit")


@router.post("/desk/recommendations/{recommendation_id}/withdraw")
async def withdraw(recommendation_id: UUID, page: SignedIn) -> Response:
    form = await page.form()
    return await _command(page, recommendation_id, "withdraw", "/withdraw", {"reason": form.get("reason")})


def milestone_plan(form: FormData) -> dict[str, Any]:
    """The filled rows of the plan form; the local governments are those the rows name."""
    milestones = [
        {
            "title": form.get(f"title_{row}"),
            "due_date": form.get(f"due_{row}"),
            "local_government": form.get(f"lg_{row}"),
        }
        for row in range(1, MILESTONE_ROWS + 1)
        if form.get(f"title_{row}")
    ]
    return {"local_governments": sorted({str(m["local_government"]) for m in milestones}), "milestones": milestones}


@router.post("/desk/recommendations/{recommendation_id}/assignment")
async def assign(recommendation_id: UUID, page: SignedIn) -> Response:
    form = await page.form()
    return await _command(page, recommendation_id, "assign", "/assignment", milestone_plan(form))
