"""Milestones' progress over HTTP (JSON, CSV or XLSX): only within the reader's scope, as their owner (social
approaches) shows them (README *Security*)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from services.progress import store
from services.progress.api.lists import Filter, Format, Language, Limit, Offset, answer
from services.progress.schemas import MilestoneRow, Page
from sori.deps import CurrentActor, DatabaseDep
from sori.exports import EXPORT_RESPONSES, ExportFormat
from sori.i18n import DEFAULT
from sori.scopes import reading_scope, require_reader

router = APIRouter(tags=["progress"])


@router.get("/milestones", response_model=Page[MilestoneRow], responses=EXPORT_RESPONSES)
async def list_milestones(
    actor: CurrentActor,
    db: DatabaseDep,
    recommendation_id: UUID | None = None,
    association: Filter = None,
    lg: Annotated[str | None, Query(max_length=50, description="the local government that carries it out")] = None,
    overdue: bool | None = None,
    offset: Offset = 0,
    limit: Limit = store.DEFAULT_LIMIT,
    fmt: Format = ExportFormat.JSON,
    language: Language = DEFAULT,
) -> Page[MilestoneRow] | Response:
    async with db.reading() as session:
        if lg is not None:
            # A 403 for a local government out of scope, as the owner (social approaches) answers. One no plan
            # names yet has no milestones to show, so an association is not refused it: the scope leaves it empty.
            require_reader(actor, lg, await store.association_of(session, lg) or actor.org)
        page = await store.list_milestones(
            session,
            recommendation_id=recommendation_id,
            association=association,
            local_government=lg,
            overdue=overdue,
            scope=reading_scope(actor),
            offset=offset,
            limit=limit,
        )
    return answer(page, MilestoneRow, fmt, "milestones", language)
