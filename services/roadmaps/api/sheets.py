"""A roadmap as an Excel sheet, both ways: the export (or, blank, the template), and the import of a filled-in sheet
— first as a dry run that names every problem by row and column, then for real: every row or none, each new row a
drafted recommendation and each row with an id a new version of that draft, through the API's own commands."""

import json
import re
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from contracts.lifecycle import RecommendationStatus
from services.roadmaps import domain, drafting, sheet, store
from services.roadmaps.domain import imports
from services.roadmaps.domain.text import EXAMPLE, Priority, ResponsibleLevel
from services.roadmaps.models import Recommendation
from services.roadmaps.reference import SocialTopic, VulnerableGroup
from sori import sheets
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind
from sori.exports import workbook
from sori.sheets import ImportReport, Problem, ProblemKind, RowAction, SheetRefused

router = APIRouter(prefix="/roadmaps/v1/roadmaps/{roadmap_id}/sheet", tags=["imports"])
RESULTS_EXAMPLE = json.dumps(EXAMPLE["expected_results"], ensure_ascii=False)
DryRun = Annotated[bool, Query(description="check the sheet and say what it would do, without writing anything")]


@router.get(
    "",
    response_class=Response,
    responses=sheets.XLSX_RESPONSES,
    summary="The roadmap's recommendations as an XLSX sheet to edit and import again (blank=true: the template)",
)
async def roadmap_sheet(
    roadmap_id: UUID,
    _actor: CurrentActor,
    db: DatabaseDep,
    blank: Annotated[bool, Query(description="only the header row and the codes: the template")] = False,
) -> Response:
    async with db.reading() as session:
        roadmap = await store.roadmap(session, roadmap_id)
        listed = [] if blank else await _recommendations(session, roadmap_id)
        codes = await _codes(session)
    recommendations = [{"id": r.id, "code": r.code, "status": r.status, "text": r.text} for r in listed]
    body = workbook([("recommendations", sheet.rows(recommendations)), ("codes", codes)])
    name = re.sub(r"[^A-Za-z0-9-]+", "-", f"roadmap-{roadmap.association}-{roadmap.programme}").strip("-")
    filename = f"{name}-template.xlsx" if blank else f"{name}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=sheets.XLSX_MEDIA_TYPE, headers=headers)


@router.post(
    "",
    response_model=ImportReport,
    openapi_extra=sheets.IMPORT_OPENAPI,
    summary="Import a filled-in sheet (multipart, field `file`): dry_run=true says what it would do; otherwise every "
    "row is written or none",
    max_body_size=sheets.BODY_LIMIT,
)
async def import_sheet(
    roadmap_id: UUID,
    request: Request,
    actor: CurrentActor,
    db: DatabaseDep,
    dry_run: DryRun = False,
) -> ImportReport:
    async with db.reading() as session:
        roadmap = await store.roadmap_ref(session, roadmap_id)
    domain.require_association_staff(actor, roadmap.association)
    table = sheets.read(await sheets.uploaded(request), known=sheet.COLUMNS, required=sheet.REQUIRED)
    if not any(name.startswith("title/") for name in table.header):
        raise CommandRefused(
            RefusalKind.INVALID,
            "the sheet lacks columns: a title/<language> column (start from the template)",
            "sheet_missing_columns",
            {"columns": "title/…"},
        )
    read = [sheet.read_row(row) for row in table.rows]
    async with db.reading() as session:
        if any(row.id is None for row in read):
            programme = await store.programme(session, roadmap.programme)
            domain.require_running(programme.code, programme.ends_on, datetime.now(UTC).date())
        plan = imports.plan(
            actor,
            roadmap_id,
            read,
            await _existing(session, [row.id for row in read if row.id]),
            set(await session.scalars(select(VulnerableGroup.code))),
            set(await session.scalars(select(SocialTopic.code))),
        )
    if dry_run:
        return ImportReport(dry_run=True, rows=plan.outcomes(), problems=plan.problems)
    if plan.problems:
        raise SheetRefused(plan.problems)
    return ImportReport(dry_run=False, rows=await _written(db, roadmap_id, plan, actor), problems=[])


async def _written(
    db: DatabaseDep, roadmap_id: UUID, plan: imports.Plan, actor: CurrentActor
) -> list[sheets.RowOutcome]:
    """Every step in one transaction, through the commands' own path; a refusal names its row and undoes them all."""
    outcomes = plan.outcomes()
    async with db.transaction() as session:
        for step, outcome in zip(plan.steps, outcomes, strict=True):
            try:
                if step.action is RowAction.NEW:
                    outcome.id = str((await drafting.draft(session, roadmap_id, step.text, actor))["id"])
                elif step.action is RowAction.UPDATED and step.id is not None:
                    await drafting.revise(session, step.id, step.text.model_dump(mode="json"), actor)
            except CommandRefused as refused:
                problem = Problem(row=step.row, column="id", kind=ProblemKind.NOT_EDITABLE, problem=refused.reason)
                raise SheetRefused([problem]) from refused
    return outcomes


async def _recommendations(session: AsyncSession, roadmap_id: UUID) -> list[Recommendation]:
    query = (
        select(Recommendation)
        .where(Recommendation.roadmap_id == roadmap_id)
        .order_by(col(Recommendation.created_at), col(Recommendation.id))
    )
    return list(await session.scalars(query))


async def _existing(session: AsyncSession, ids: list[UUID]) -> dict[UUID, imports.Existing]:
    if not ids:
        return {}
    found = await session.scalars(select(Recommendation).where(col(Recommendation.id).in_(ids)))
    return {r.id: imports.Existing(r.roadmap_id, r.association, RecommendationStatus(r.status), r.text) for r in found}


async def _codes(session: AsyncSession) -> list[list[str]]:
    """The second sheet: every code a column takes, with what it means."""
    groups = await session.scalars(select(VulnerableGroup).order_by(col(VulnerableGroup.code)))
    topics = await session.scalars(select(SocialTopic).order_by(col(SocialTopic.code)))
    return [
        ["column", "code", "meaning"],
        *(["target_groups", g.code, g.label] for g in groups),
        *(["topics", t.code, t.label] for t in topics),
        *(["language", language, ""] for language in sheet.LANGUAGES),
        *(["responsible_level", level.value, ""] for level in ResponsibleLevel),
        *(["priority", priority.value, ""] for priority in Priority),
        ["sdg_targets", "10.2", "an SDG target: goal.target, comma-separated"],
        ["expected_results", RESULTS_EXAMPLE, "JSON: results, each with its indicators"],
    ]
