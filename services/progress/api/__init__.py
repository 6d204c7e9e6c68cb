"""Progress' HTTP API under /progress/v1: one router of the routers of its resources, in this order: the dashboard;
recommendations (the list, one, its timeline); milestones; actions; social approaches; the reports. Lists answer
JSON, CSV or XLSX (lists.py).

Every endpoint is for anyone signed in (any role): progress shows what the programme publishes to its members;
milestones, as their owner (social approaches) shows them, only within the reader's scope (README *Security*);
only NALAS orders a report.
"""

from fastapi import APIRouter

from services.progress.api import actions, dashboard, milestones, recommendations, reports, social_approaches

router = APIRouter(prefix="/progress/v1")
for resource in (dashboard, recommendations, milestones, actions, social_approaches, reports):
    router.include_router(resource.router)
