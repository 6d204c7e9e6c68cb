"""Refusals the domain raises, and how HTTP says them: always a 4xx with the reason."""

from enum import Enum

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class RefusalKind(Enum):
    NOT_FOUND = 404
    FORBIDDEN = 403
    CONFLICT = 409
    INVALID = 422


class CommandRefused(Exception):
    """A command the rules do not allow; the reason is shown to the person who sent it."""

    def __init__(self, kind: RefusalKind, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def install_error_handlers(app: FastAPI) -> None:
    async def on_refused(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CommandRefused)
        return JSONResponse({"detail": exc.reason}, status_code=exc.kind.value)

    app.add_exception_handler(CommandRefused, on_refused)
