"""CSV and XLSX downloads of progress' lists, fetched with the person's token (a link cannot carry a bearer)."""

from fastapi import APIRouter, Request, Response

from services.progress.portal.pages import SignedIn
from services.progress.portal.refusals import PageRefused
from services.progress.portal.route import PortalRoute

router = APIRouter(route_class=PortalRoute, include_in_schema=False)
LISTS = frozenset({"recommendations", "milestones", "actions", "social-approaches"})
FORMATS = frozenset({"csv", "xlsx"})


@router.get("/exports/{name}")
async def export(name: str, page: SignedIn, request: Request) -> Response:
    listed, _, fmt = name.rpartition(".")
    if listed not in LISTS or fmt not in FORMATS:
        raise PageRefused(404, page.gettext("There is no such download."))
    params = {**request.query_params, "format": fmt, "limit": "10000", "lang": page.lang}
    found = await page.api.send("GET", "progress", f"/{listed}", params=params)
    return Response(
        found.content,
        media_type=found.headers.get("content-type"),
        headers={"Content-Disposition": found.headers.get("content-disposition", f'attachment; filename="{name}"')},
    )
