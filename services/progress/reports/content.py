"""What a progress report says: the dashboard at the period's end and the recommendations that moved in it."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from services.progress.models import RecommendationProgress, StatusChange
from services.progress.schemas import Dashboard
from services.progress.store import LIFECYCLE_ORDER


class ChangedRecommendation(BaseModel):
    """One recommendation that moved in the period: where it stood before its first move and after its last."""

    recommendation_id: UUID
    code: str | None
    title: str | None
    association: str | None
    from_status: RecommendationStatus | None
    to_status: RecommendationStatus
    at: datetime = Field(description="its last move in the period")
    moves: int = 1


class ReportContent(BaseModel):
    period_start: datetime
    period_end: datetime
    language: Language
    dashboard: Dashboard
    changes: list[ChangedRecommendation]


async def changes_in_period(session: AsyncSession, start: datetime, end: datetime) -> list[ChangedRecommendation]:
    """The recommendations whose status changed with start <= at < end, by their last move, with what the
    projection knows of them."""
    changes, recommendations = StatusChange.__table__, RecommendationProgress.__table__  # type: ignore[attr-defined]
    change, recommendation = changes.c, recommendations.c
    query = (
        select(change, recommendation.code, recommendation.title, recommendation.association)
        .select_from(changes.outerjoin(recommendations, recommendation.recommendation_id == change.recommendation_id))
        .where(change.at >= start, change.at < end)
        .order_by(*LIFECYCLE_ORDER)
    )
    moved: dict[UUID, ChangedRecommendation] = {}
    for row in (await session.execute(query)).mappings():
        first = moved.get(row["recommendation_id"])
        since = first.from_status if first else row["from_status"]
        moves = first.moves + 1 if first else 1
        moved[row["recommendation_id"]] = ChangedRecommendation.model_validate(
            {**row, "from_status": since, "moves": moves}
        )
    return sorted(moved.values(), key=lambda change: change.at)
