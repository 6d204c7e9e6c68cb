"""For developers: SoRi's events as its AsyncAPI document describes them, for anyone (no sign-in, like the
document at /asyncapi.json that the page links to)."""

from functools import cache

from fastapi import APIRouter, Response

from services.progress.asyncapi import PATH, published
from services.progress.portal.event_catalogue import DEAD_LETTER_SUFFIX, Catalogue, read_catalogue
from services.progress.portal.pages import AnyPage
from services.progress.portal.route import PortalRoute

router = APIRouter(route_class=PortalRoute, include_in_schema=False)


@cache
def catalogue() -> Catalogue:
    return read_catalogue(published().content)


@router.get("/developers")
async def developers(page: AnyPage) -> Response:
    return page.render("developers.html", catalogue=catalogue(), document=PATH, suffix=DEAD_LETTER_SUFFIX)
