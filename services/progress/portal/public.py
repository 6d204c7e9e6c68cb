"""The public pages under /public, for anyone, without signing in: the programme, each roadmap, each public
recommendation, the local governments, the working group's actions and a list by economy. Everything on them is read
through the public selection (services.progress.public.selection) alone, so nothing reaches a page that the rules left
out. A page depends only on the programme and its language (?lang=, else the language cookie): it carries an ETag,
answers 304 to it, and may be kept by any cache for a few minutes."""

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from services.progress.asyncapi import unchanged_for
from services.progress.portal import labels, session
from services.progress.portal.pages import PAGE_HEADERS, environment
from services.progress.portal.refusals import PageRefused
from services.progress.portal.route import PortalRoute
from services.progress.public.routes import CACHE_CONTROL
from services.progress.public.selection import (
    PublicApproach,
    PublicProgramme,
    PublicRecommendation,
    public_programme,
)
from sori.db import Database
from sori.i18n import LANGUAGES, Formats, _, translations

router = APIRouter(prefix="/public", route_class=PortalRoute, include_in_schema=False)

# Shared caches may keep a page; the language may come from the cookie, so a cache keeps one copy per cookie.
HEADERS = {**PAGE_HEADERS, "Cache-Control": CACHE_CONTROL, "Vary": "Cookie"}
MILESTONE_STATES = {
    "planned": _("Planned"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "done": _("Done"),
    "overdue": _("Overdue"),
}
APPROACH_STATUSES = {"planned": _("Planned"), "in_progress": _("In progress"), "implemented": _("Implemented")}
ACTION_STAGES = {"planned": _("Planned"), "held": _("Held"), "reported": _("Reported")}


@dataclass(frozen=True)
class PublicPage:
    """What base.html needs of a page, for nobody in particular: no person, no form token, no navigation."""

    request: Request
    lang: str
    person: None = None
    csrf: str = ""
    navigation: tuple[()] = ()

    def gettext(self, message: str) -> str:
        return translations(self.lang).gettext(message)

    def here(self, path: str) -> str:
        """A public page's address in this page's language."""
        return f"{path}?lang={self.lang}"

    def render(self, template: str, **context: Any) -> Response:
        body = (
            environment(self.lang)
            .get_template(template)
            .render(
                page=self,
                fmt=Formats(self.lang),
                languages=LANGUAGES,
                labels=labels,
                states=MILESTONE_STATES,
                approach_statuses=APPROACH_STATUSES,
                stages=ACTION_STAGES,
                path=self.request.url.path,
                **context,
            )
            .encode()
        )
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers = {**HEADERS, "ETag": etag}
        if unchanged_for(self.request, etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="text/html; charset=utf-8", headers=headers)


def public_page(request: Request, lang: Annotated[str | None, Query(max_length=10)] = None) -> PublicPage:
    if lang is None:
        return PublicPage(request, session.language_of(request))
    if lang not in LANGUAGES:
        chosen = PublicPage(request, session.language_of(request))
        raise PageRefused(404, chosen.gettext("SoRi's pages are not available in that language."))
    return PublicPage(request, lang)


Public = Annotated[PublicPage, Depends(public_page)]


async def _programme(request: Request) -> PublicProgramme:
    db: Database = request.app.state.db
    async with db.reading() as reading:
        return await public_programme(reading)


@dataclass(frozen=True)
class LocalGovernment:
    code: str
    economy: str | None
    recommendations: tuple[PublicRecommendation, ...]
    approaches: tuple[PublicApproach, ...]

    @property
    def women_and_girls(self) -> bool:
        return any(a.women_and_girls for a in self.approaches)


def local_governments(programme: PublicProgramme) -> list[LocalGovernment]:
    codes = {lg for r in programme.recommendations for lg in r.local_governments} | {
        a.local_government for a in programme.approaches
    }
    found = []
    for code in sorted(codes):
        recommendations = tuple(r for r in programme.recommendations if code in r.local_governments)
        approaches = tuple(a for a in programme.approaches if a.local_government == code)
        economies = [r.economy for r in recommendations if r.economy] + [a.economy for a in approaches if a.economy]
        found.append(LocalGovernment(code, economies[0] if economies else None, recommendations, approaches))
    return found


@dataclass(frozen=True)
class Roadmap:
    id: UUID
    association: str | None
    programme: str | None
    economy: str | None
    recommendations: tuple[PublicRecommendation, ...]


def roadmaps(recommendations: Iterable[PublicRecommendation]) -> list[Roadmap]:
    grouped: dict[UUID, list[PublicRecommendation]] = {}
    for r in recommendations:
        if r.roadmap_id is not None:
            grouped.setdefault(r.roadmap_id, []).append(r)
    found = [Roadmap(id, rs[0].association, rs[0].programme, rs[0].economy, tuple(rs)) for id, rs in grouped.items()]
    return sorted(found, key=lambda m: (m.association or "", m.programme or "", str(m.id)))


@dataclass(frozen=True)
class IndicatorTotal:
    """One indicator across the programme: its latest value at every milestone measuring it, added up."""

    name: str
    recommendations: int
    reported: float
    approved: float


def indicator_totals(programme: PublicProgramme) -> list[IndicatorTotal]:
    by_name: dict[str, list[UUID]] = {}
    latest: dict[tuple[str, UUID], tuple[float, bool]] = {}
    for indicator in programme.indicators:
        by_name.setdefault(indicator.name, []).append(indicator.recommendation_id)
        for actual in indicator.actuals:  # oldest first: the last one at a milestone stands
            latest[(indicator.name, actual.milestone_id)] = (actual.value, actual.approved)
    return [
        IndicatorTotal(
            name,
            len(set(recommendations)),
            sum(value for (n, _m), (value, _a) in latest.items() if n == name),
            sum(value for (n, _m), (value, approved) in latest.items() if n == name and approved),
        )
        for name, recommendations in sorted(by_name.items())
    ]


@router.get("")
async def programme_page(page: Public, request: Request) -> Response:
    programme = await _programme(request)
    return page.render(
        "public_programme.html",
        programme=programme,
        by_status=Counter(r.status.value for r in programme.recommendations),
        indicators=indicator_totals(programme),
        roadmaps=roadmaps(programme.recommendations),
    )


@router.get("/roadmaps/{roadmap_id}")
async def roadmap_page(roadmap_id: UUID, page: Public, request: Request) -> Response:
    programme = await _programme(request)
    found = [m for m in roadmaps(programme.recommendations) if m.id == roadmap_id]
    if not found:
        raise PageRefused(404, page.gettext("There is no public roadmap at this address."))
    return page.render("public_roadmap.html", roadmap=found[0])


@router.get("/recommendations/{recommendation_id}")
async def recommendation_page(recommendation_id: UUID, page: Public, request: Request) -> Response:
    programme = await _programme(request)
    found = [r for r in programme.recommendations if r.id == recommendation_id]
    if not found:
        raise PageRefused(404, page.gettext("There is no public recommendation at this address."))
    return page.render(
        "public_recommendation.html",
        rec=found[0],
        changes=sorted((c for c in programme.changes if c.recommendation_id == recommendation_id), key=lambda c: c.at),
        milestones=[m for m in programme.milestones if m.recommendation_id == recommendation_id],
        indicators=[i for i in programme.indicators if i.recommendation_id == recommendation_id],
    )


@router.get("/local-governments")
async def local_governments_page(page: Public, request: Request) -> Response:
    programme = await _programme(request)
    return page.render("public_local_governments.html", local_governments=local_governments(programme))


@router.get("/actions")
async def actions_page(page: Public, request: Request) -> Response:
    programme = await _programme(request)
    return page.render("public_actions.html", actions=programme.actions)


@router.get("/economies")
async def economies_page(page: Public, request: Request) -> Response:
    programme = await _programme(request)
    found = roadmaps(programme.recommendations)
    economies: dict[str, list[LocalGovernment]] = {m.economy or "": [] for m in found}
    for lg in local_governments(programme):
        economies.setdefault(lg.economy or "", []).append(lg)
    return page.render("public_economies.html", economies=sorted(economies.items()), roadmaps=found)
