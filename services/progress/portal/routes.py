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
    offline,
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
    offline,
    public,
):
    router.include_router(pages.router)
