"""The working group's actions (trainings, courses, visits, conferences) and their participants."""

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from contracts.envelope import Role
from services.progress.dashboard_cache import DashboardsDep, Filters
from services.progress.portal.client import ApiRefused
from services.progress.portal.pages import Page, SignedIn, see_other
from services.progress.portal.refusals import FormRefused
from services.progress.portal.route import PortalRoute
from services.progress.schemas import Participants

router = APIRouter(route_class=PortalRoute, include_in_schema=False)
PARTICIPANT_FIELDS = ("organisation", "organisation_code", "organisation_type", "role", "sex", "age_band")


def counted(people: Participants) -> dict[str, Any]:
    """The programme's participants in the shape of one action's counts, for the same cards."""
    return {
        "participants": people.participants,
        "attended": people.attended,
        "participants_by_sex": people.by_sex,
        "participants_by_organisation_type": people.by_organisation_type,
    }


@router.get("/actions")
async def actions(page: SignedIn, dashboards: DashboardsDep) -> Response:
    """The programme's figures are the dashboard's and the reports' (actions held, as counted then), never a second
    count of the working group's registrations, which include actions still to come."""
    found = await page.api.get("working_group", "/actions")
    board = await dashboards.read(Filters())
    ordered = sorted(found, key=lambda a: a["starts_on"], reverse=True)
    return page.render("actions.html", actions=ordered, counts=counted(board.participants))


async def show(page: Page, action_id: UUID, refusal: FormRefused | None = None) -> Response:
    found, participants, counts = await asyncio.gather(
        page.api.get("working_group", f"/actions/{action_id}"),
        page.api.get("working_group", f"/actions/{action_id}/participants"),
        page.api.get("working_group", f"/actions/{action_id}/aggregates"),
    )
    may_register = page.person is not None and page.person.role == Role.NALAS
    return page.render(
        "action.html",
        refusal=refusal,
        action=found,
        participants=participants,
        counts=counts,
        may_register=may_register,
    )


@router.get("/actions/{action_id}")
async def action(action_id: UUID, page: SignedIn) -> Response:
    return await show(page, action_id)


@router.post("/actions/{action_id}/participants")
async def register(action_id: UUID, page: SignedIn) -> Response:
    page.require(Role.NALAS)
    form = await page.form()
    body: dict[str, Any] = {field: form.get(field) for field in PARTICIPANT_FIELDS if form.get(field)}
    body["attended"] = form.get("attended") == "yes"
    try:
        await page.api.post("working_group", f"/actions/{action_id}/participants", body)
    except ApiRefused as refused:
        return await show(page, action_id, FormRefused.of("participant", refused))
    return see_other(f"/actions/{action_id}#participants")
