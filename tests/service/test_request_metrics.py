"""Every request is counted by method, route and status, and timed by route; one that raises counts as a 500."""

import httpx
from fastapi import FastAPI, status
from prometheus_client import REGISTRY

from sori.health import install_metrics


def counted(route: str, code: str) -> float:
    value = REGISTRY.get_sample_value("sori_http_requests_total", {"method": "GET", "route": route, "status": code})
    return value or 0.0


def timed(route: str) -> float:
    return REGISTRY.get_sample_value("sori_http_request_seconds_count", {"method": "GET", "route": route}) or 0.0


def app_with_metrics() -> FastAPI:
    app = FastAPI()
    install_metrics(app)

    @app.get("/metered/{number}", status_code=status.HTTP_202_ACCEPTED)
    async def metered(number: int) -> int:
        return number

    @app.get("/metered-failure")
    async def failing() -> None:
        raise RuntimeError("broken on purpose")

    return app


async def test_requests_are_counted_by_route_and_status_and_timed() -> None:
    before = counted("/metered/{number}", "202"), counted("/metered-failure", "500"), timed("/metered/{number}")
    transport = httpx.ASGITransport(app=app_with_metrics(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        assert (await http.get("/metered/1")).status_code == 202
        assert (await http.get("/metered/2")).status_code == 202
        assert (await http.get("/metered-failure")).status_code == 500
    after = counted("/metered/{number}", "202"), counted("/metered-failure", "500"), timed("/metered/{number}")
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 1, 2]
