"""Working-group actions' progress over HTTP (JSON, CSV or XLSX)."""

from fastapi import APIRouter, Response

from services.progress import store
from services.progress.api.lists import Filter, Format, Language, Limit, Offset, answer
from services.progress.schemas import ActionRow, Page
from sori.deps import CurrentActor, DatabaseDep
from sori.exports import EXPORT_RESPONSES, ExportFormat
from sori.i18n import DEFAULT

router = APIRouter(tags=["progress"])


@router.get("/actions", response_model=Page[ActionRow], responses=EXPORT_RESPONSES)
async def list_actions(
    _actor: CurrentActor,
    db: DatabaseDep,
    kind: Filter = None,
    offset: Offset = 0,
    limit: Limit = store.DEFAULT_LIMIT,
    fmt: Format = ExportFormat.JSON,
    language: Language = DEFAULT,
) -> Page[ActionRow] | Response:
    async with db.reading() as session:
        page = await store.list_actions(session, kind=kind, offset=offset, limit=limit)
    return answer(page, ActionRow, fmt, "actions", language)
