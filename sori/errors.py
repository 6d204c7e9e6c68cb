"""Refusals the domain raises, and how HTTP says them: always a 4xx with the reason, never the input echoed back."""

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY
from starlette.types import Message, Receive, Scope, Send

from sori.asgi import HttpMiddleware

# What a request body may weigh unless its route says otherwise (FastAPI's max_body_size, set where apps are made).
BODY_LIMIT = 1024 * 1024
# A recommendation's text in seven languages, each of its long texts up to 20,000 characters.
TEXT_BODY_LIMIT = 4 * 1024 * 1024
# An evidence file of up to 20 MB with its multipart wrapping (the portal's report form passes it on).
UPLOAD_FILE_LIMIT = 20 * 1024 * 1024
UPLOAD_BODY_LIMIT = UPLOAD_FILE_LIMIT + 64 * 1024
_STARLETTE_TOO_LARGE = "Content Too Large"


class RefusalKind(Enum):
    NOT_FOUND = 404
    FORBIDDEN = 403
    CONFLICT = 409
    INVALID = 422


RefusalParams = Mapping[str, str | int]


class CommandRefused(Exception):
    """A command the rules do not allow; the reason is shown to the person who sent it.

    A refusal a person may meet in the portal also carries a `code` naming the reason and the `params` it names
    (codes and titles, never ids), so that the portal says it in the person's language; API clients read `detail`.
    """

    def __init__(
        self, kind: RefusalKind, reason: str, code: str | None = None, params: RefusalParams | None = None
    ) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.code = code
        self.params = dict(params or {})

    def answer(self) -> dict[str, Any]:
        coded = {"code": self.code, "params": self.params} if self.code else {}
        return {"detail": self.reason, **coded}


def install_error_handlers(app: FastAPI) -> None:
    async def on_refused(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CommandRefused)
        return JSONResponse(exc.answer(), status_code=exc.kind.value)

    async def on_invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"detail": without_input(exc.errors())}, status_code=422)

    async def on_too_large(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        detail = exc.detail if exc.detail != _STARLETTE_TOO_LARGE else too_large(_limit(request.scope))
        return JSONResponse({"detail": detail}, status_code=413)

    app.add_exception_handler(CommandRefused, on_refused)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(413, on_too_large)


def without_input(errors: Any) -> list[dict[str, Any]]:
    """Where and why, never what: the input may be megabytes long, or a secret the sender mistyped."""
    return [{"loc": list(e["loc"]), "msg": str(e["msg"]), "type": str(e["type"])} for e in errors]


def too_large(limit: int) -> str:
    return f"the request body is larger than the {limit} bytes ({limit / 2**20:.1f} MB) this operation takes"


class SaysWhyTooLarge(HttpMiddleware):
    """Starlette answers a body whose declared length is over the limit with a plain-text 413 of its own, sent
    around the app (and its handlers); this says it as every other refusal, with the reason, in JSON."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        replaced = False

        async def send_reason(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and message["status"] == 413 and _plain(message):
                body = json.dumps({"detail": too_large(_limit(scope))}).encode()
                headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
                await send({**message, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                replaced = True
            elif not replaced:
                await send(message)

        await self.app(scope, receive, send_reason)


def _limit(scope: Scope) -> int:
    limit: int = scope.get(MAX_BODY_SIZE_SCOPE_KEY, BODY_LIMIT)  # the route's, while the route reads its body
    return limit


def _plain(start: Message) -> bool:
    return any(name == b"content-type" and value.startswith(b"text/plain") for name, value in start["headers"])


REFUSAL = {
    "title": "Refusal",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "why the command was refused"},
        "code": {"type": "string", "description": "the reason's stable name, for clients that word it themselves"},
        "params": {
            "type": "object",
            "additionalProperties": {"type": ["string", "integer"]},
            "description": "what the reason names (codes, titles, dates), by name",
        },
    },
    "required": ["detail"],
}
_REF = {"$ref": "#/components/schemas/Refusal"}
_WRITES = {"post", "put", "patch", "delete"}


def document_refusals(app: FastAPI) -> None:
    """Every refusal a service can answer is in its OpenAPI, with the shape it really has ({"detail": reason})."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["Refusal"] = REFUSAL
            limits = body_limits(app)
            for path, operations in schema.get("paths", {}).items():
                for method, operation in operations.items():
                    _document(operation, path, method, limits.get((path, method), app.max_body_size))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def body_limits(app: FastAPI) -> dict[tuple[str, str], int]:
    """(path, method) → the body limit that holds for the route: its own, or the one it inherits."""
    return {
        (route.path_format, method.lower()): route.max_body_size
        for route in iter_route_contexts(app.routes)
        if route.path_format is not None and getattr(route, "max_body_size", None) is not None
        for method in route.methods or ()
    }


_KEY_REUSED = ", or its Idempotency-Key was used for another request"


def _takes_key(operation: dict[str, Any]) -> bool:
    return any(p.get("name") == "Idempotency-Key" and p.get("in") == "header" for p in operation.get("parameters", []))


def _document(operation: dict[str, Any], path: str, method: str, body_limit: int | None) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    wanted = []
    if operation.get("security"):
        wanted += [("401", "no valid bearer token"), ("403", "not allowed for the caller's role or organisation")]
    if "{" in path or method in _WRITES:
        wanted.append(("404", "not found (in the path, or named in the body)"))
    if method in _WRITES:
        wanted.append(("409", "not allowed in the current state" + _KEY_REUSED * _takes_key(operation)))
    if "requestBody" in operation and body_limit is not None:
        wanted.append(("413", f"the body is larger than {body_limit} bytes"))
        operation["requestBody"]["x-max-body-bytes"] = body_limit
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        wanted.append(("415", "not an accepted type"))
    for code, description in wanted:
        responses.setdefault(code, {"description": description, "content": {"application/json": {"schema": _REF}}})
    if not (operation.get("parameters") or operation.get("requestBody") or "422" in responses):
        return
    invalid = responses.setdefault("422", {"description": "invalid input", "content": {"application/json": {}}})
    content = invalid.setdefault("content", {}).setdefault("application/json", {})
    validation = content.get("schema")
    content["schema"] = {"anyOf": [validation, _REF]} if validation else _REF
