"""Local governments' social approaches, as progress knows them, over HTTP (JSON, CSV or XLSX)."""

from fastapi import APIRouter, Response

from services.progress import store
from services.progress.api.lists import Filter, Format, Language, Limit, Offset, answer
from services.progress.schemas import Page, SocialApproachRow
from sori.deps import CurrentActor, DatabaseDep
from sori.exports import EXPORT_RESPONSES, ExportFormat
from sori.i18n import DEFAULT

router = APIRouter(tags=["progress"])


@router.get("/social-approaches", response_model=Page[SocialApproachRow], responses=EXPORT_RESPONSES)
async def list_social_approaches(
    _actor: CurrentActor,
    db: DatabaseDep,
    association: Filter = None,
    economy: Filter = None,
    women_and_girls: bool | None = None,
    offset: Offset = 0,
    limit: Limit = store.DEFAULT_LIMIT,
    fmt: Format = ExportFormat.JSON,
    language: Language = DEFAULT,
) -> Page[SocialApproachRow] | Response:
    async with db.reading() as session:
        page = await store.list_social_approaches(
            session,
            association=association,
            economy=economy,
            women_and_girls=women_and_girls,
            offset=offset,
            limit=limit,
        )
    return answer(page, SocialApproachRow, fmt, "social-approaches", language)
