"""The open data at /public/data/, for anyone, without signing in: each table as JSON and CSV, the Data Package that
describes them, the IATI activity file and the Atom feed of public changes. Every answer carries an ETag (a 304 when
it stands) and may be cached for a few minutes; all of it is read through the public selection alone."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response

from services.progress.asyncapi import unchanged_for
from services.progress.public import data, feed, iati
from services.progress.public.selection import PublicProgramme, public_programme
from sori.db import Database
from sori.errors import CommandRefused, RefusalKind
from sori.settings import Settings

PREFIX = "/public/data"
CACHE_CONTROL = "public, max-age=300"
CSV = "text/csv; charset=utf-8; header=present"
JSON = "application/json"

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@dataclass(frozen=True)
class Published:
    programme: PublicProgramme
    base: str
    settings: Settings


Render = Callable[[Published], bytes]
IATI = "iati-activities.xml"


async def _published(request: Request) -> Published:
    db: Database = request.app.state.db
    async with db.reading() as session:
        programme = await public_programme(session)
    return Published(programme, str(request.base_url).rstrip("/"), request.app.state.settings)


def _answer(request: Request, body: bytes, media_type: str) -> Response:
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "X-Content-Type-Options": "nosniff"}
    if unchanged_for(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _table(table: data.Table, write: Callable[[data.Table, PublicProgramme, str], bytes]) -> Render:
    return lambda p: write(table, p.programme, p.base)


FILES: dict[str, tuple[str, Render]] = {
    "datapackage.json": (
        JSON,
        lambda p: data.datapackage(p.settings.open_data_license, p.programme.updated_at),
    ),
    IATI: ("application/xml", lambda p: iati.activities(p.programme, p.settings, p.base)),
    "changes.atom": ("application/atom+xml", lambda p: feed.atom(p.programme, p.base)),
    **{
        f"{table.name}.{fmt}": (media, _table(table, write))
        for table in data.TABLES
        for fmt, media, write in (("json", JSON, data.as_json), ("csv", CSV, data.as_csv))
    },
}


@router.get("/")
async def index(request: Request) -> Response:
    """What is here, with a link to each file."""
    base = str(request.base_url).rstrip("/") + PREFIX
    iati_too = _iati_is_set(request.app.state.settings)
    listing = [
        {"name": name, "url": f"{base}/{name}", "media_type": media}
        for name, (media, _) in FILES.items()
        if name != IATI or iati_too
    ]
    return _answer(request, data.json_bytes({"files": listing}), JSON)


@router.get("/{name}")
async def open_data_file(name: str, request: Request) -> Response:
    if name not in FILES:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no open-data file {name[:80]!r}: {PREFIX}/ lists what there is")
    if name == IATI and not _iati_is_set(request.app.state.settings):
        raise CommandRefused(
            RefusalKind.NOT_FOUND, "no IATI file here: SORI_IATI_REPORTING_ORG is not set for this installation"
        )
    media, render = FILES[name]
    return _answer(request, render(await _published(request)), media)


def _iati_is_set(settings: Settings) -> bool:
    return settings.iati_reporting_org is not None
