"""Evidence: a local government uploads a file (kept by its sha256) or gives a link, to back its reports."""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import FileResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from services.social_approaches import domain, evidence_files, store
from services.social_approaches.models import Evidence
from services.social_approaches.schemas.evidence import EvidenceLink, EvidencePublic
from sori.deps import CurrentActor, DatabaseDep, SettingsDep
from sori.errors import UPLOAD_BODY_LIMIT, CommandRefused, RefusalKind
from sori.idempotency import IdempotentRoute

router = APIRouter(tags=["evidence"], route_class=IdempotentRoute)

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                },
            },
            "application/json": {
                "schema": EvidenceLink.model_json_schema(),
                "example": {"url": "https://kumanovo.gov.mk/day-centre-report-2025.pdf", "name": "Day-centre report"},
            },
        },
    },
    "responses": {
        "413": {"description": "the file is larger than 20 MB"},
        "415": {"description": "the bytes are not PDF, PNG, JPEG, CSV/plain text, DOCX or XLSX"},
    },
}


@router.post(
    "/evidence",
    status_code=status.HTTP_201_CREATED,
    response_model=EvidencePublic,
    summary="Upload a file (multipart, field `file`, at most 20 MB) or give a link (JSON {url, name})",
    openapi_extra=_UPLOAD_BODY,
    max_body_size=UPLOAD_BODY_LIMIT,  # a body declared beyond it is refused unread
)
async def add_evidence(request: Request, actor: CurrentActor, db: DatabaseDep, settings: SettingsDep) -> Evidence:
    owner = domain.require_local_government(actor)
    async with db.reading() as session:
        await store.association_of_writer(session, owner)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        evidence = await _uploaded(request, owner, settings.home / "evidence")
    elif content_type.startswith("application/json"):
        evidence = _linked(await _json_body(request), owner)
    else:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send multipart/form-data with a `file`, or JSON {url, name}"
        )
    async with db.transaction() as session:
        session.add(evidence)
    return evidence


@router.get("/evidence/{evidence_id}", response_model=EvidencePublic, summary="One evidence item's description")
async def read_evidence(evidence_id: UUID, actor: CurrentActor, db: DatabaseDep) -> Evidence:
    async with db.reading() as session:
        evidence = await store.get_or_404(session, Evidence, evidence_id, "evidence")
        domain.require_reader(actor, evidence.owner, await store.association_of(session, evidence.owner))
    return evidence


@router.get(
    "/evidence/{evidence_id}/content",
    summary="An uploaded file's bytes, with the content type sniffed at upload",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}, 409: {"description": "the evidence is a link"}},
)
async def download_evidence(
    evidence_id: UUID, actor: CurrentActor, db: DatabaseDep, settings: SettingsDep
) -> FileResponse:
    evidence = await read_evidence(evidence_id, actor, db)
    if evidence.sha256 is None:
        raise CommandRefused(RefusalKind.CONFLICT, f"evidence {evidence_id} is a link, not a file: {evidence.url}")
    return FileResponse(
        settings.home / "evidence" / evidence.sha256,
        media_type=evidence.content_type,
        filename=evidence.name,
        content_disposition_type="attachment",
    )


async def _uploaded(request: Request, owner: str, directory: Path) -> Evidence:
    async with request.form(max_files=1) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise CommandRefused(RefusalKind.INVALID, "the multipart body has no file in the field `file`")
        name = evidence_files.check_name(upload.filename or "")
        content = await upload.read(evidence_files.MAX_BYTES + 1)
    if len(content) > evidence_files.MAX_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, evidence_files.TOO_LARGE)
    try:
        sniffed = evidence_files.sniff(content, name)
    except evidence_files.UnsupportedType as exc:
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, str(exc)) from exc
    stored = evidence_files.store(directory, content, sniffed)
    return Evidence(owner=owner, name=name, sha256=stored.sha256, size=stored.size, content_type=stored.content_type)


async def _json_body(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError as exc:
        raise CommandRefused(RefusalKind.INVALID, f"the body is not JSON: {exc}") from exc


def _linked(document: Any, owner: str) -> Evidence:
    try:
        link = EvidenceLink.model_validate(document)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise CommandRefused(RefusalKind.INVALID, reasons) from exc
    if urlsplit(link.url).scheme not in ("http", "https") or not urlsplit(link.url).netloc:
        raise CommandRefused(RefusalKind.INVALID, f"the link {link.url!r} is not an http(s) address")
    return Evidence(owner=owner, name=evidence_files.check_name(link.name), url=link.url)
