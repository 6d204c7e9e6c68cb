"""The working group's HTTP API under /working-group/v1: one router of the routers of its resources, in this order."""

from fastapi import APIRouter

from services.working_group.api import (
    actions,
    meetings,
    members,
    participant_sheets,
    participants,
    publication,
    reviews,
)

router = APIRouter(prefix="/working-group/v1")
for resource in (members, meetings, reviews, actions, participants, participant_sheets, publication):
    router.include_router(resource.router)
