"""Progress' HTTP reads under /progress/v1: the dashboard, lists (JSON, CSV or XLSX), a recommendation, its timeline.

Every endpoint is for anyone signed in (any role): progress shows what the programme publishes to its members;
milestones, as their owner (social approaches) shows them, only within the reader's scope (README *Security*).
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from contracts.lifecycle import RecommendationStatus
from services.progress import reads
from services.progress.dashboard_cache import DashboardsDep, Filters
from services.progress.domain import as_utc
from services.progress.views import (
    ActionRow,
    Dashboard,
    MilestoneRow,
    Page,
    RecommendationDetail,
    RecommendationRow,
    RowT,
    SocialApproachRow,
    Timeline,
)
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind
from sori.exports import EXPORT_RESPONSES, ExportFormat, download
from sori.i18n import DEFAULT, ui_language
from sori.scopes import reading_scope, require_reader

router = APIRouter(prefix="/progress/v1", tags=["progress"])

Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Limit = Annotated[int, Query(ge=1, le=10_000, description="rows at most")]
Format = Annotated[ExportFormat, Query(alias="format", description="json (a page), or a csv / xlsx download")]
Filter = Annotated[str | None, Query(max_length=50)]
Language = Annotated[
    str,
    Query(
        alias="lang",
        max_length=10,
        description="the language of a CSV's yes and no (en, mk, sq, bs, hr, sr-Latn, sr-Cyrl)",
    ),
]


def _answer(page: Page[RowT], model: type[RowT], fmt: ExportFormat, name: str, language: str) -> Page[RowT] | Response:
    return page if fmt is ExportFormat.JSON else download(page.items, model, fmt, name, ui_language(language))


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
    limit: Limit = reads.DEFAULT_LIMIT,
    fmt: Format = ExportFormat.JSON,
    language: Language = DEFAULT,
) -> Page[RecommendationRow] | Response:
    async with db.reading() as session:
        page = await reads.list_recommendations(
            session,
            status=status,
            association=association,
            programme=programme,
            economy=economy,
            local_government=lg,
            offset=offset,
            limit=limit,
        )
    return _answer(page, RecommendationRow, fmt, "recommendations", language)


@router.get("/recommendations/{recommendation_id}", response_model=RecommendationDetail)
async def read_recommendation_progress(
    recommendation_id: UUID, _actor: CurrentActor, db: DatabaseDep
) -> RecommendationDetail:
    async with db.reading() as session:
        found = await reads.find_recommendation(session, recommendation_id)
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
        if await reads.find_recommendation(session, recommendation_id) is None:
            raise CommandRefused(RefusalKind.NOT_FOUND, f"no progress known for recommendation {recommendation_id}")
        return await reads.timeline(session, recommendation_id, as_utc(as_of) if as_of else None)


@router.get("/milestones", response_model=Page[MilestoneRow], responses=EXPORT_RESPONSES)
async def list_milestones(
    actor: CurrentActor,
    db: DatabaseDep,
    recommendation_id: UUID | None = None,
    association: Filter = None,
    lg: Annotated[str | None, Query(max_length=50, description="the local government that carries it out")] = None,
    overdue: bool | None = None,
    offset: Offset = 0,
    limit: Limit = reads.DEFAULT_LIMIT,
    fmt: Format = ExportFormat.JSON,
    language: Language = DEFAULT,
) -> Page[MilestoneRow] | Response:
    async with db.reading() as session:
        if lg is not None:
            # A 403 for a local government out of scope, as the owner (social approaches) answers. One no plan
            # names yet has no milestones to show, so an association is not refused it: the scope leaves it empty.
            require_reader(actor, lg, await reads.association_of(session, lg) or actor.org)
        page = await reads.list_milestones(
            session,
            recommendation_id=recommendation_id,
            association=association,
            local_government=lg,
            overdue=overdue,
            scope=reading_scope(actor),
            offset=offset,
            limit=limit,
        )
    return _answer(page, MilestoneRow, fmt, "milestones", language)


@router.get("/actions", response_model=Page[ActionRow], responses=EXPORT_RESPONSES)
async def list_actions(
    _actor: CurrentActor,
    db: DatabaseDep,
    kind: Filter = None,
    offset: Offset = 0,
    limit: Limit = reads.DEFAULT_LIMIT,
    fmt: Format = ExportFormat.JSON,
    language: Language = DEFAULT,
) -> Page[ActionRow] | Response:
    async with db.reading() as session:
        page = await reads.list_actions(session, kind=kind, offset=offset, limit=limit)
    return _answer(page, ActionRow, fmt, "actions", language)


@router.get("/social-approaches", response_model=Page[SocialApproachRow], responses=EXPORT_RESPONSES)
async def list_social_approaches(
    _actor: CurrentActor,
    db: DatabaseDep,
    association: Filter = None,
    economy: Filter = None,
    women_and_girls: bool | None = None,
    offset: Offset = 0,
    limit: Limit = reads.DEFAULT_LIMIT,
    fmt: Format = ExportFormat.JSON,
    language: Language = DEFAULT,
) -> Page[SocialApproachRow] | Response:
    async with db.reading() as session:
        page = await reads.list_social_approaches(
            session,
            association=association,
            economy=economy,
            women_and_girls=women_and_girls,
            offset=offset,
            limit=limit,
        )
    return _answer(page, SocialApproachRow, fmt, "social-approaches", language)
