"""An action's attendance sheet as an Excel import: the template, a dry run that names every problem by row and
column, then the import — every participant or none, through the registering command's own path.

Columns: `organisation`, `organisation_code` (its SoRi code, if it has one), `organisation_type`, `role`, `sex`,
`age_band` (codes, as the sheet `codes` lists them), `attended` (yes or no; yes if empty), `pre_score` and
`post_score` (0-100, or empty)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError

from contracts.working_group import AgeBand, OrganisationType, Sex
from services.working_group import domain, registering, store
from services.working_group.domain import actions as action_rules
from services.working_group.schemas.participants import ParticipantCreate
from sori import sheets
from sori.deps import CurrentActor, DatabaseDep
from sori.exports import workbook
from sori.sheets import ImportReport, Problem, RowAction, RowOutcome, SheetRow

router = APIRouter(prefix="/actions/{action_id}/participants/sheet", tags=["participants"])
COLUMNS = tuple(ParticipantCreate.model_fields)
REQUIRED = ("organisation", "organisation_type", "sex", "age_band")
CHOICES = {"organisation_type": OrganisationType, "sex": Sex, "age_band": AgeBand}
YES, NO = frozenset({"yes", "y", "true", "1", "x"}), frozenset({"no", "n", "false", "0"})


@router.get(
    "",
    response_class=Response,
    responses=sheets.XLSX_RESPONSES,
    summary="The attendance-sheet template: the header row, and the codes each column takes",
)
async def participants_template(action_id: UUID, _actor: CurrentActor, db: DatabaseDep) -> Response:
    async with db.reading() as session:
        await store.action(session, action_id)
    codes: list[list[str]] = [
        ["column", "code"],
        *([column, choice.value] for column, kind in CHOICES.items() for choice in kind),
        *(["attended", answer] for answer in ("yes", "no")),
    ]
    body = workbook([("participants", [list(COLUMNS)]), ("codes", codes)])
    headers = {"Content-Disposition": 'attachment; filename="participants-template.xlsx"'}
    return Response(body, media_type=sheets.XLSX_MEDIA_TYPE, headers=headers)


@router.post(
    "",
    response_model=ImportReport,
    openapi_extra=sheets.IMPORT_OPENAPI,
    summary="Import an attendance sheet (multipart, field `file`): dry_run=true says what it would do; otherwise "
    "every participant is registered or none",
    max_body_size=sheets.BODY_LIMIT,
)
async def import_participants(
    action_id: UUID,
    request: Request,
    actor: CurrentActor,
    db: DatabaseDep,
    dry_run: Annotated[bool, Query(description="check the sheet and say what it would do, without writing")] = False,
) -> ImportReport:
    domain.require_working_group(actor)
    table = sheets.read(await sheets.uploaded(request), known=COLUMNS, required=REQUIRED)
    people: list[tuple[int, ParticipantCreate]] = []
    problems: list[Problem] = []
    for row in table.rows:
        try:
            people.append((row.number, ParticipantCreate.model_validate(_document(row))))
        except ValidationError as exc:
            problems += sheets.problems_of(exc, row.number, lambda location: (str(location[0]), location[1:]))
    async with db.reading() as session:
        action_rules.require_not_reported((await store.action(session, action_id)).status)
    outcomes = [RowOutcome(row=number, action=RowAction.NEW, label=body.organisation) for number, body in people]
    if dry_run:
        return ImportReport(dry_run=True, rows=outcomes, problems=problems)
    if problems:
        raise sheets.SheetRefused(problems)
    async with db.transaction() as session:
        registered = await registering.register(session, action_id, [body for _, body in people])
    for outcome, participant in zip(outcomes, registered, strict=True):
        outcome.id = str(participant.id)
    return ImportReport(dry_run=False, rows=outcomes, problems=[])


def _document(row: SheetRow) -> dict[str, Any]:
    """The row as the registering command's body: codes in any case, yes or no for attended, empty cells left out."""
    document: dict[str, Any] = {name: row.text(name).strip() for name in COLUMNS if row.text(name).strip()}
    for name in CHOICES:
        if name in document:
            document[name] = document[name].lower()
    attended = row.cells.get("attended")
    if isinstance(attended, str):
        said = attended.strip().lower()
        document["attended"] = True if said in YES else False if said in NO else attended
    elif attended is not None:
        document["attended"] = attended
    for score in ("pre_score", "post_score"):
        if isinstance(row.cells.get(score), int | float):
            document[score] = row.cells[score]
    return document
