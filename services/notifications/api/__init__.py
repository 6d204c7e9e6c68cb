"""Notifications' HTTP API under /notifications/v1: one router of the routers of its resources, in this order."""

from fastapi import APIRouter

from services.notifications.api import inbox, mail, people, webhooks

router = APIRouter(prefix="/notifications/v1")
for resource in (people, inbox, mail, webhooks):
    router.include_router(resource.router)
