"""Social-approaches HTTP commands, under /social-approaches/v1: one router made of the service's parts."""

from fastapi import APIRouter

from services.social_approaches import approaches, evidence, mappings, milestones

router = APIRouter(prefix="/social-approaches/v1")
for part in (milestones, mappings, approaches, evidence):
    router.include_router(part.router)
