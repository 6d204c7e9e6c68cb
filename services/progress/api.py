"""Progress' HTTP reads: where a recommendation stands."""

from uuid import UUID

from fastapi import APIRouter

from services.progress.models import RecommendationProgress, RecommendationProgressPublic
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind

router = APIRouter(prefix="/progress/v1", tags=["progress"])


@router.get("/recommendations/{recommendation_id}", response_model=RecommendationProgressPublic)
async def read_recommendation_progress(
    recommendation_id: UUID, _actor: CurrentActor, db: DatabaseDep
) -> RecommendationProgress:
    async with db.reading() as session:
        progress = await session.get(RecommendationProgress, recommendation_id)
    if progress is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no progress known for recommendation {recommendation_id}")
    return progress
