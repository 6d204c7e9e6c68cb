"""One recommendation: status, timeline, versions and their differences, comments, milestones with evidence."""

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from contracts.envelope import Role
from contracts.roadmaps import RecommendationWithdrawn
from contracts.working_group import (
    ChangesRequested,
    ImplementationReturned,
    ImplementationVerified,
    RecommendationRejected,
)
from services.progress.portal.client import ApiRefused, ServiceApi
from services.progress.portal.pages import Page, SignedIn, see_other
from services.progress.portal.places import place_names
from services.progress.portal.refusals import FormRefused
from services.progress.portal.route import PortalRoute
from sori.i18n import _

router = APIRouter(route_class=PortalRoute, include_in_schema=False)

# The heading over what was written with a change, by the change's cause.
SAID_UNDER = {
    ChangesRequested.TYPE: _("What the working group asks"),
    ImplementationReturned.TYPE: _("Why the working group returned the implementation"),
    RecommendationRejected.TYPE: _("Why the working group rejected it"),
    ImplementationVerified.TYPE: _("The working group's note"),
    RecommendationWithdrawn.TYPE: _("Why it was withdrawn"),
}


async def timeline_of(api: ServiceApi, recommendation_id: UUID) -> list[dict[str, Any]]:
    try:
        found = await api.get("progress", f"/recommendations/{recommendation_id}/timeline")
    except ApiRefused as refused:
        if refused.status == 404:  # progress has not heard of it yet: nothing happened to show
            return []
        raise
    changes: list[dict[str, Any]] = found["changes"]
    return changes


def standing_words(timeline: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest change, with its heading, when words were written with it: what still stands (an open request
    for changes, say) until the next change."""
    latest = timeline[-1] if timeline else None
    if latest is None or not latest.get("comments") or latest["cause_event_type"] not in SAID_UNDER:
        return None
    return {**latest, "heading": SAID_UNDER[latest["cause_event_type"]]}


async def _milestones(api: ServiceApi, recommendation_id: UUID) -> list[dict[str, Any]]:
    planned: list[dict[str, Any]] = await api.get("roadmaps", f"/recommendations/{recommendation_id}/milestones")
    reports = await asyncio.gather(
        *(
            api.get("social_approaches", f"/recommendations/{recommendation_id}/milestones/{m['id']}/reports")
            for m in planned
        )
    )
    return [{**milestone, "reports": found} for milestone, found in zip(planned, reports, strict=True)]


async def show(
    page: Page, recommendation_id: UUID, compare: tuple[int, int] | None = None, refusal: FormRefused | None = None
) -> Response:
    api = page.api
    found = await api.get("roadmaps", f"/recommendations/{recommendation_id}")
    latest = found["version"]
    before, after = compare or (max(latest - 1, 1), latest)
    versions, comments, timeline, milestones, places = await asyncio.gather(
        api.get("roadmaps", f"/recommendations/{recommendation_id}/versions"),
        api.get("roadmaps", f"/recommendations/{recommendation_id}/versions/{latest}/comments"),
        timeline_of(api, recommendation_id),
        _milestones(api, recommendation_id),
        place_names(api),
    )
    diff = None
    if before != after:
        diff = await api.get(
            "roadmaps", f"/recommendations/{recommendation_id}/versions/diff", **{"from": before, "to": after}
        )
    return page.render(
        "recommendation.html",
        refusal=refusal,
        rec=found,
        versions=versions,
        diff=diff,
        comments=comments,
        timeline=timeline,
        standing_words=standing_words(timeline),
        milestones=milestones,
        places=places,
        may_comment=page.person is not None and page.person.role in (Role.NALAS, Role.LGA),
    )


@router.get("/recommendations/{recommendation_id}")
async def recommendation(
    recommendation_id: UUID, page: SignedIn, before: int | None = None, after: int | None = None
) -> Response:
    compare = (before, after) if before and after else None
    return await show(page, recommendation_id, compare)


@router.post("/recommendations/{recommendation_id}/comments")
async def comment(recommendation_id: UUID, page: SignedIn) -> Response:
    form = await page.form()
    version = str(form.get("version") or "")
    try:
        await page.api.post(
            "roadmaps", f"/recommendations/{recommendation_id}/versions/{version}/comments", {"body": form.get("body")}
        )
    except ApiRefused as refused:
        return await show(page, recommendation_id, refusal=FormRefused.of("comment", refused))
    return see_other(f"/recommendations/{recommendation_id}#comments")
