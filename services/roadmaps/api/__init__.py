"""Roadmaps' HTTP API, one router per resource, joined into the service's router."""

from fastapi import APIRouter

from services.roadmaps.api import comments, milestones, recommendations, reference, roadmaps, sheets, versions

router = APIRouter()
for resource in (reference, roadmaps, recommendations, versions, comments, milestones, sheets):
    router.include_router(resource.router)
