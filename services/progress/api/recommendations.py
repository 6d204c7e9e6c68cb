"""Recommendations' progress over HTTP: the list (JSON, CSV or XLSX), one recommendation, and its timeline."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from contracts.lifecycle import RecommendationStatus
from services.progress import store
from services.progress.api.lists import Filter, Format, Language, Limit, Offset, answer
from services.progress.domain import as_utc
from services.progress.schemas import Page, RecommendationDetail, RecommendationRow, Timeline
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind
from sori.exports import EXPORT_RESPONSES, ExportFormat
from sori.i18n import DEFAULT

router = APIRouter(tags=["progress"])


@router.get("/recommendations", response_model=Page[RecommendationRow], responses=EXPORT_RESPONSES)
async def list_recommendations(
    _actor: CurrentActor,
    db: DatabaseDep,
    status: RecommendationStatus | None = None,
    association: Filter = None,
    programme: Filter = None,
    economy: Filter = None,
    lg: Annotated[str | None, Query(max_length=50, description="a local government it is assigned to")] = None,
    offset: Offset = 0,
    limit: Limit = store.DEFAULT_LIMIT,
    fmt: Format = ExportFormat.JSON,
    language: Language = DEFAULT,
) -> Page[RecommendationRow] | Response:
    async with db.reading() as session:
        page = await store.list_recommendations(
            session,
            status=status,
            association=association,
            programme=programme,
            economy=economy,
            local_government=lg,
            offset=offset,
            limit=limit,
        )
    return answer(page, RecommendationRow, fmt, "recommendations", language)


@router.get("/recommendations/{recommendation_id}", response_model=RecommendationDetail)
async def read_recommendation_progress(
    recommendation_id: UUID, _actor: CurrentActor, db: DatabaseDep
) -> RecommendationDetail:
    async with db.reading() as session:
        found = await store.find_recommendation(session, recommendation_id)
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no progress known for recommendation {recommendation_id}")
    return found


@router.get("/recommendations/{recommendation_id}/timeline", response_model=Timeline)
async def read_timeline(
    recommendation_id: UUID,
    _actor: CurrentActor,
    db: DatabaseDep,
    as_of: Annotated[datetime | None, Query(description="the moment to look back at (UTC if no offset)")] = None,
) -> Timeline:
    async with db.reading() as session:
        if await store.find_recommendation(session, recommendation_id) is None:
            raise CommandRefused(RefusalKind.NOT_FOUND, f"no progress known for recommendation {recommendation_id}")
        return await store.timeline(session, recommendation_id, as_utc(as_of) if as_of else None)
