"""Every portal page, in one router for the progress app."""

from fastapi import APIRouter

from services.progress.portal import (
    actions,
    dashboard,
    desk,
    developers,
    draft,
    exports,
    imports,
    inbox,
    public,
    recommendation,
    reporting,
    reviews,
    roadmaps,
    signin,
)

router = APIRouter(include_in_schema=False)
for pages in (
    signin,
    dashboard,
    roadmaps,
    recommendation,
    desk,
    draft,
    reviews,
    reporting,
    actions,
    inbox,
    exports,
    imports,
    developers,
    public,
):
    router.include_router(pages.router)
