"""Every association's roadmaps, and one roadmap with its recommendations."""

from uuid import UUID

from fastapi import APIRouter, Response

from services.progress.portal.pages import SignedIn
from services.progress.portal.route import PortalRoute

router = APIRouter(route_class=PortalRoute, include_in_schema=False)


@router.get("/roadmaps")
async def roadmaps(page: SignedIn) -> Response:
    found = await page.api.get("roadmaps", "/roadmaps")
    ordered = sorted(found, key=lambda r: (r["association"], r["programme"]))
    return page.render("roadmaps.html", roadmaps=ordered)


@router.get("/roadmaps/{roadmap_id}")
async def roadmap(roadmap_id: UUID, page: SignedIn) -> Response:
    found = await page.api.get("roadmaps", f"/roadmaps/{roadmap_id}")
    listed = await page.api.get(
        "roadmaps", "/recommendations", association=found["association"], programme=found["programme"], limit=200
    )
    recommendations = [r for r in listed["items"] if r["roadmap_id"] == str(roadmap_id)]
    return page.render("roadmap.html", roadmap=found, recommendations=recommendations)
