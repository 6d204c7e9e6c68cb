"""Social-approaches HTTP API under /social-approaches/v1: one router of the routers of its resources, in this order."""

from fastapi import APIRouter

from services.social_approaches.api import approaches, evidence, mappings, milestones

router = APIRouter(prefix="/social-approaches/v1")
for resource in (milestones, mappings, approaches, evidence):
    router.include_router(resource.router)
