"""SoRi's event catalogue, the AsyncAPI document `sori asyncapi` writes to contracts/, served at /asyncapi.json.

Like each service's /openapi.json it needs no sign-in: it describes interfaces, not anyone's data. The bytes are the
file's, unchanged, so that what a program downloads is what the repository holds.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, Request, Response

PATH = "/asyncapi.json"
# The document changes only with SoRi's version: a cache may keep it a few minutes, then asks again with its ETag
# and gets a 304 while the version stands.
CACHE_CONTROL = "public, max-age=300"

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Published:
    body: bytes
    content: dict[str, Any]

    @property
    def etag(self) -> str:
        return f'"{hashlib.sha256(self.body).hexdigest()[:32]}"'

    @property
    def media_type(self) -> str:
        # IANA's type for an AsyncAPI document in JSON, with the specification's version as its parameter.
        return f"application/asyncapi+json; version={self.content['asyncapi']}"


@cache
def published() -> Published:
    body = (files("contracts") / "asyncapi.json").read_bytes()
    return Published(body, json.loads(body))


def unchanged_for(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match names this version (RFC 9110 §13.1.2: weak comparison, `*` is any)."""
    asked = request.headers.get("if-none-match")
    if asked is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in asked.split(",")}
    return "*" in tags or etag in tags


@router.get(PATH)
def asyncapi_document(request: Request) -> Response:
    document = published()
    headers = {"ETag": document.etag, "Cache-Control": CACHE_CONTROL, "X-Content-Type-Options": "nosniff"}
    if unchanged_for(request, document.etag):
        return Response(status_code=304, headers=headers)
    return Response(document.body, media_type=document.media_type, headers=headers)
