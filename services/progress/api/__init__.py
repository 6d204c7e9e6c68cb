"""Progress' HTTP API under /progress/v1, one router per resource: the dashboard, lists (JSON, CSV or XLSX) of
recommendations, milestones, actions and social approaches, a recommendation and its timeline, and the reports.

Every endpoint is for anyone signed in (any role): progress shows what the programme publishes to its members;
milestones, as their owner (social approaches) shows them, only within the reader's scope (README *Security*);
only NALAS orders a report.
"""

from fastapi import APIRouter

from services.progress.api import actions, dashboard, milestones, recommendations, reports, social_approaches

router = APIRouter()
for resource in (dashboard, recommendations, milestones, actions, social_approaches, reports):
    router.include_router(resource.router)
