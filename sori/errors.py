"""Refusals the domain raises, and how HTTP says them: always a 4xx with the reason."""

from collections.abc import Mapping
from enum import Enum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse


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

    app.add_exception_handler(CommandRefused, on_refused)


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
            for path, operations in schema.get("paths", {}).items():
                for method, operation in operations.items():
                    _document(operation, path, method)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document(operation: dict[str, Any], path: str, method: str) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    wanted = []
    if operation.get("security"):
        wanted += [("401", "no valid bearer token"), ("403", "not allowed for the caller's role or organisation")]
    if "{" in path or method in _WRITES:
        wanted.append(("404", "not found (in the path, or named in the body)"))
    if method in _WRITES:
        wanted.append(("409", "not allowed in the current state"))
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        wanted += [("413", "too large"), ("415", "not an accepted type")]
    for code, description in wanted:
        responses.setdefault(code, {"description": description, "content": {"application/json": {"schema": _REF}}})
    if not (operation.get("parameters") or operation.get("requestBody") or "422" in responses):
        return
    invalid = responses.setdefault("422", {"description": "invalid input", "content": {"application/json": {}}})
    content = invalid.setdefault("content", {}).setdefault("application/json", {})
    validation = content.get("schema")
    content["schema"] = {"anyOf": [validation, _REF]} if validation else _REF
