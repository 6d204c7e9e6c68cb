"""`Idempotency-Key`: a command that creates something, sent again with the same key, answers as it did the first
time and writes nothing; sent with the same key and another body, it is refused (409).

A key belongs to its caller (the token's organisation and subject) and the command (route) it is sent to: two
people's keys never meet, and one client may send one key with several commands. It is kept with a hash of the
request (method, path and body; a multipart body's parts one by one, since its boundary changes with every send)
and the first answer (status, type and bytes), for `SORI_IDEMPOTENCY_HOURS` (24 at least); an expired key may be
used again, and expired keys are purged by the next command that claims one.

The key's row is written first in the command's own transaction and its answer last, in that same transaction
(`sori.db.Held`): a command is never written without its key, nor a key without its command. Two requests with one
key at once: the second's claim waits on the key's unique row until the first commits, then answers the first's
answer (or 409 if its body differs); if the first fails, nothing of it was kept and the second runs.
"""

import hashlib
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import Column, DateTime, Integer, LargeBinary, MetaData, String, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from starlette.datastructures import UploadFile
from starlette.types import Message

from sori.auth import InvalidToken, verify_token
from sori.db import HELD, Database, Held
from sori.errors import CommandRefused, RefusalKind
from sori.moments import as_utc
from sori.settings import Settings

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
COMMAND_LENGTH = 200
_KEY = re.compile(rf"[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}")
_CHUNK = 1024 * 1024

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def add_idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_key",
        metadata,
        Column("caller", String(200), primary_key=True),
        Column("command", String(COMMAND_LENGTH), primary_key=True),
        Column("key", String(MAX_KEY_LENGTH), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, index=True),
        # Written last, in the claim's own transaction: a committed row always has its answer.
        Column("status", Integer, nullable=True),
        Column("media_type", String(200), nullable=True),
        Column("body", LargeBinary, nullable=True),
    )


# Every service's table has this shape, so statements built on this copy run against any of them.
keys_table = add_idempotency_table(MetaData())


@dataclass(frozen=True)
class Kept:
    """A key's row: the request it came with and the answer it got."""

    fingerprint: str
    created_at: datetime
    status: int
    media_type: str
    body: bytes


class Outcome(Enum):
    RUN = "run"  # a new key (or an expired one): the command runs
    REPLAY = "replay"  # the same request again: the first answer, nothing written
    CONFLICT = "conflict"  # another request with this key: refused


def decide(kept: Kept | None, fingerprint: str, now: datetime, kept_for: timedelta) -> Outcome:
    """The rule, without I/O."""
    if kept is None or as_utc(kept.created_at) + kept_for <= now:
        return Outcome.RUN
    return Outcome.REPLAY if kept.fingerprint == fingerprint else Outcome.CONFLICT


def key_used_for_another_request(key: str) -> CommandRefused:
    return CommandRefused(
        RefusalKind.CONFLICT,
        f"the Idempotency-Key {key!r} was used for another request (another body, path or method); "
        "send a new key for a new request",
        code="idempotency_key_reused",
        params={"key": key},
    )


class _KeyTaken(Exception):
    """Another request claimed the key between this one's look and its claim."""


class IdempotentRoute(APIRoute):
    """The route class of routers with commands that create something: each POST that answers 201 honours an
    `Idempotency-Key` header (and says so in OpenAPI); without the header it runs as before."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        self.creates = set(kwargs.get("methods") or ()) == {"POST"} and kwargs.get("status_code") == 201
        if self.creates:
            extra = dict(kwargs.get("openapi_extra") or {})
            extra["parameters"] = [*extra.get("parameters", []), KEY_PARAMETER]
            kwargs["openapi_extra"] = extra
        super().__init__(path, endpoint, **kwargs)
        if self.creates and len(self.unique_id) > COMMAND_LENGTH:  # the command's name is part of the key's row
            raise ValueError(f"the route {self.unique_id!r} is named longer than {COMMAND_LENGTH} characters")

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        if not self.creates:
            return handle

        async def once(request: Request) -> Response:
            key = request.headers.get(HEADER)
            if key is None:  # as before, without verifying the token a second time
                return await handle(request)
            caller = _caller(request)
            if caller is None:  # no valid token: the route answers 401
                return await handle(request)
            if not _KEY.fullmatch(key):
                raise CommandRefused(
                    RefusalKind.INVALID,
                    f"the {HEADER} header must be 1 to {MAX_KEY_LENGTH} visible ASCII characters (a UUID is best)",
                )
            return await _idempotently(request, handle, Claimant(caller, self.unique_id, key))

        return once


KEY_PARAMETER: Mapping[str, Any] = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Any unique string (a UUID) that makes a retry safe: the same key and the same request again answer the first "
        f"answer (with `{REPLAYED}: true`) and write nothing; the same key with another request is refused with 409. "
        "Keys are the caller's own and kept for 24 hours at least (SORI_IDEMPOTENCY_HOURS)."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[\\x21-\\x7e]+$"},
}


@dataclass(frozen=True)
class Claimant:
    """Whose key it is: a caller's, for one command (a route), so that one key may serve a client's several commands
    (the portal's report form uploads its evidence, then reports, with the form's one key)."""

    caller: str
    command: str
    key: str

    def where(self) -> tuple[ColumnElement[bool], ...]:
        k = keys_table.c
        return (k.caller == self.caller, k.command == self.command, k.key == self.key)


async def _idempotently(request: Request, handle: Callable[[Request], Awaitable[Response]], who: Claimant) -> Response:
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    kept_for = timedelta(hours=settings.idempotency_hours)
    now = clock()
    fingerprint = await fingerprint_of(request)
    kept = await _kept(db, who)
    outcome = decide(kept, fingerprint, now, kept_for)
    if outcome is Outcome.RUN:
        held = Held(lambda session: _claim(session, who, fingerprint, now, now - kept_for))
        token = HELD.set(held)
        try:
            response = await handle(request)
        except _KeyTaken:
            kept = await _kept(db, who)
            outcome = decide(kept, fingerprint, now, kept_for)
        except BaseException:
            await held.rollback()
            raise
        else:
            if held.session is None:  # the command wrote nothing: nothing to keep
                return response
            if response.status_code >= 400 or not isinstance(getattr(response, "body", None), bytes):
                await held.rollback()
                return response
            await held.commit(lambda session: _answer(session, who, response))
            return response
        finally:
            HELD.reset(token)
    if outcome is Outcome.REPLAY and kept is not None:
        return Response(kept.body, kept.status, headers={REPLAYED: "true"}, media_type=kept.media_type)
    if outcome is Outcome.CONFLICT:
        raise key_used_for_another_request(who.key)
    raise CommandRefused(  # the other request's claim vanished between its commit and this look: try again
        RefusalKind.CONFLICT, f"another request with the Idempotency-Key {who.key!r} is in progress; send it again"
    )


def _caller(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    settings: Settings = request.app.state.settings
    try:
        actor = verify_token(settings.signing_secret, token.strip())
        return f"{actor.org}:{actor.sub}"
    except InvalidToken:
        return None


async def fingerprint_of(request: Request) -> str:
    """A hash of the request: its method, path and query, its body's type and its body (a multipart body part by part:
    its boundary is new at every send)."""
    digest = hashlib.sha256(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    content_type = request.headers.get("content-type", "")
    body = await request.body()  # kept by the request: the route reads it again
    if content_type.startswith("multipart/form-data"):
        digest.update(b"multipart/form-data\n")
        await _hash_parts(digest, request, body)
    else:
        digest.update(content_type.partition(";")[0].strip().encode() + b"\n")
        digest.update(body)
    return digest.hexdigest()


async def _hash_parts(digest: Any, request: Request, body: bytes) -> None:
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    # A request of its own over the same bytes: the route parses its form with its own limits.
    async with Request(request.scope, receive).form() as form:
        for name, value in form.multi_items():
            digest.update(f"part {name!r}\n".encode())
            if isinstance(value, UploadFile):
                digest.update(f"file {value.filename!r} {value.content_type!r}\n".encode())
                while chunk := await value.read(_CHUNK):
                    digest.update(chunk)
            else:
                digest.update(value.encode())
            digest.update(b"\n")


async def _kept(db: Database, who: Claimant) -> Kept | None:
    k = keys_table.c
    async with db.reading() as session:
        row = (
            await session.execute(
                select(k.fingerprint, k.created_at, k.status, k.media_type, k.body).where(*who.where())
            )
        ).one_or_none()
    if row is None or row.status is None:
        return None
    return Kept(row.fingerprint, row.created_at, row.status, row.media_type or "application/json", row.body or b"")


async def _claim(
    session: AsyncSession, who: Claimant, fingerprint: str, now: datetime, expired_before: datetime
) -> None:
    """The command's first statements: expired keys go, then this one is claimed (waiting for, or failing on, a
    claim of it that another transaction holds)."""
    await session.execute(delete(keys_table).where(keys_table.c.created_at <= expired_before))
    try:
        await session.execute(
            insert(keys_table).values(
                caller=who.caller, command=who.command, key=who.key, fingerprint=fingerprint, created_at=now
            )
        )
    except IntegrityError as taken:
        raise _KeyTaken(who.key) from taken


async def _answer(session: AsyncSession, who: Claimant, response: Response) -> None:
    await session.execute(
        update(keys_table)
        .where(*who.where())
        .values(status=response.status_code, media_type=response.headers.get("content-type"), body=bytes(response.body))
    )
