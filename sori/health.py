"""/healthz (alive), /readyz (what the process needs is reachable) and /metrics (Prometheus) for every process."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import Message, Receive, Scope, Send

from sori.asgi import HttpMiddleware
from sori.version import __version__

ReadinessCheck = Callable[[], Awaitable[object]]
# Something an operator should see that does not stop the process from serving: None while there is nothing to say.
ReadinessWarning = Callable[[], Awaitable[Mapping[str, object] | None]]
CHECK_TIMEOUT_SECONDS = 2.0

HTTP_REQUESTS = Counter("sori_http_requests_total", "HTTP requests", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "sori_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def health_router(
    checks: Mapping[str, ReadinessCheck], warnings: Mapping[str, ReadinessWarning] | None = None
) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="The process is alive, and which SoRi version it runs")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @router.get("/readyz", summary="Database, broker and Temporal (where used) are reachable")
    async def readyz() -> JSONResponse:
        results = {name: await _run_check(check) for name, check in checks.items()}
        ready = all(r == "ok" for r in results.values())
        answer: dict[str, object] = {"ready": ready, "checks": results}
        if said := {name: w for name, warn in (warnings or {}).items() if (w := await _run_warning(warn))}:
            answer["warnings"] = said
        return JSONResponse(answer, status_code=200 if ready else 503)

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


async def _run_check(check: ReadinessCheck) -> str:
    try:
        outcome = await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        return f"failed: {exc!r}"
    return "ok" if outcome is not False else "failed: not reachable"


async def _run_warning(warn: ReadinessWarning) -> Mapping[str, object] | None:
    # A warning that cannot be had says nothing: what it needs (the database) has a check of its own.
    try:
        return await asyncio.wait_for(warn(), CHECK_TIMEOUT_SECONDS)
    except Exception:
        return None


class MetricsMiddleware(HttpMiddleware):
    """Each request's latency and count by route (as BaseHTTPMiddleware this was ~20 % of a light request's CPU)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started, status = time.perf_counter(), 500  # an app that raises answers 500 further out

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            path = getattr(scope.get("route"), "path", "unmatched")
            HTTP_LATENCY.labels(scope["method"], path).observe(time.perf_counter() - started)
            HTTP_REQUESTS.labels(scope["method"], path, str(status)).inc()


def install_metrics(app: FastAPI) -> None:
    app.add_middleware(MetricsMiddleware)
