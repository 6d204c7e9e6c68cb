"""Excel imports in the portal: an association's recommendations into its roadmap, NALAS's attendance sheets into an
action. Download the template (or the roadmap as it stands), upload the filled-in sheet, read the preview of what
will change (the service's dry run: new, updated, unchanged, problems by row and column), then confirm.

Without script, the confirming form carries the uploaded file back (base64 in a hidden field), so that nothing is
kept between the two steps; the service checks the file again when it imports it, every row or none."""

import base64
import binascii
from collections import Counter
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from starlette.datastructures import FormData, UploadFile

from contracts.envelope import Role
from services.progress.portal.client import ApiRefused
from services.progress.portal.pages import Page, SignedIn, see_other
from services.progress.portal.refusals import FormRefused, PageRefused
from services.progress.portal.route import PortalRoute
from sori import sheets
from sori.i18n import _

router = APIRouter(route_class=PortalRoute, include_in_schema=False)
# The confirming form: the file as base64 (4 bytes for every 3) beside the CSRF token.
CONFIRM_BODY_LIMIT = sheets.MAX_BYTES * 4 // 3 + 64 * 1024
PROBLEMS = {
    sheets.ProblemKind.REQUIRED: _("required, but empty"),
    sheets.ProblemKind.TOO_LONG: _("too long"),
    sheets.ProblemKind.NOT_VALID: _("not valid"),
    sheets.ProblemKind.UNKNOWN_CODE: _("a code SoRi does not know (see the sheet “codes”)"),
    sheets.ProblemKind.NOT_IN_ROADMAP: _("not a recommendation of this roadmap"),
    sheets.ProblemKind.NOT_EDITABLE: _("no longer a draft: it cannot be changed by an import"),
    sheets.ProblemKind.REPEATED: _("another row names the same recommendation"),
}


@dataclass(frozen=True)
class Kind:
    """What is imported into what: the service, the path of the target (the portal's page has the same), its sheet's
    path, and who may import."""

    service: str
    target: str
    sheet: str
    role: Role
    heading: str
    exports: bool  # the sheet of what is there already can be downloaded too

    def path(self, target: UUID) -> str:
        return self.sheet.format(target=target)


KINDS = {
    "roadmap": Kind(
        "roadmaps",
        "/roadmaps/{target}",
        "/roadmaps/{target}/sheet",
        Role.LGA,
        _("Import recommendations from Excel"),
        exports=True,
    ),
    "attendance": Kind(
        "working_group",
        "/actions/{target}",
        "/actions/{target}/participants/sheet",
        Role.NALAS,
        _("Import an attendance sheet from Excel"),
        exports=False,
    ),
}


def kind_of(page: Page, name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise PageRefused(404, page.gettext("There is no such import."))
    page.require(kind.role)
    return kind


async def _target(page: Page, kind: Kind, target: UUID) -> dict[str, Any]:
    """The roadmap or action, which must be the person's to import into."""
    found: dict[str, Any] = await page.api.get(kind.service, kind.target.format(target=target))
    if "association" in found and page.person is not None and found["association"] != page.person.org:
        raise PageRefused(403, page.gettext("This roadmap belongs to another association."))
    return found


async def show(
    page: Page,
    name: str,
    target: UUID,
    *,
    refusal: FormRefused | None = None,
    report: dict[str, Any] | None = None,
    content: bytes = b"",
    imported: int | None = None,
) -> Response:
    kind = kind_of(page, name)
    found = await _target(page, kind, target)
    return page.render(
        "import.html",
        refusal=refusal,
        kind=kind,
        name=name,
        target=found,
        base=f"/imports/{name}/{target}",
        back=kind.target.format(target=target),
        report=report,
        tally=Counter(row["action"] for row in report["rows"]) if report else Counter(),
        problem_words=PROBLEMS,
        sheet=base64.b64encode(content).decode() if content else "",
        imported=imported,
        xlsx_type=sheets.XLSX_MEDIA_TYPE,
    )


@router.get("/imports/{name}/{target}")
async def import_page(name: str, target: UUID, page: SignedIn, imported: int | None = None) -> Response:
    return await show(page, name, target, imported=imported)


@router.get("/imports/{name}/{target}/{download}.xlsx")
async def download(name: str, target: UUID, download: str, page: SignedIn) -> Response:
    """The template, or (for a roadmap) the sheet of what is in it, fetched with the person's token."""
    kind = kind_of(page, name)
    if download not in ("template", "current") or (download == "current" and not kind.exports):
        raise PageRefused(404, page.gettext("There is no such download."))
    params = {"blank": "true"} if download == "template" and kind.exports else {}
    found = await page.api.send("GET", kind.service, kind.path(target), params=params)
    disposition = found.headers.get("content-disposition", f'attachment; filename="{download}.xlsx"')
    return Response(found.content, media_type=sheets.XLSX_MEDIA_TYPE, headers={"Content-Disposition": disposition})


async def _send(page: Page, kind: Kind, target: UUID, content: bytes, *, dry_run: bool) -> Any:
    files = {"file": ("sheet.xlsx", content, sheets.XLSX_MEDIA_TYPE)}
    params = {"dry_run": "true" if dry_run else "false"}
    return await page.api.call("POST", kind.service, kind.path(target), files=files, params=params)


@router.post("/imports/{name}/{target}", max_body_size=sheets.BODY_LIMIT)
async def preview(name: str, target: UUID, page: SignedIn) -> Response:
    kind = kind_of(page, name)
    form = await page.form()
    upload = form.get("sheet")
    if not isinstance(upload, UploadFile) or not upload.filename:
        refusal = FormRefused("upload", page.gettext("Choose the Excel file to import."), 422)
        return await show(page, name, target, refusal=refusal)
    content = await upload.read(sheets.MAX_BYTES + 1)
    try:
        report = await _send(page, kind, target, content, dry_run=True)
    except ApiRefused as refused:
        return await show(page, name, target, refusal=FormRefused.of("upload", refused))
    return await show(page, name, target, report=report, content=content)


@router.post("/imports/{name}/{target}/confirm", max_body_size=CONFIRM_BODY_LIMIT)
async def confirm(name: str, target: UUID, page: SignedIn) -> Response:
    kind = kind_of(page, name)
    content = _carried(page, await page.form())
    try:
        done = await _send(page, kind, target, content, dry_run=False)
    except ApiRefused as refused:
        return await show(page, name, target, refusal=FormRefused.of("upload", refused))
    written = sum(1 for row in done["rows"] if row["action"] != sheets.RowAction.UNCHANGED)
    return see_other(f"/imports/{name}/{target}?imported={written}")


def _carried(page: Page, form: FormData) -> bytes:
    try:
        return base64.b64decode(str(form.get("sheet", "")), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PageRefused(422, page.gettext("The file to import was lost on the way. Please upload it again.")) from exc
