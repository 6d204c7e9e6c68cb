"""The dashboard over HTTP: where the roadmap stands, for anyone signed in."""

from fastapi import APIRouter, Response

from services.progress.api.lists import Filter
from services.progress.dashboard_cache import DashboardsDep, Filters
from services.progress.schemas import Dashboard
from sori.deps import CurrentActor

router = APIRouter(tags=["progress"])


@router.get("/dashboard", response_model=Dashboard, summary="Where the roadmap stands (funnels, overdue, participants)")
async def read_dashboard(
    _actor: CurrentActor,
    dashboards: DashboardsDep,
    programme: Filter = None,
    economy: Filter = None,
    association: Filter = None,
) -> Response:
    # The JSON as the dashboard's last computation wrote it (its model is the response_model above).
    answer = await dashboards.read_json(Filters(programme, economy, association))
    return Response(answer, media_type="application/json")
