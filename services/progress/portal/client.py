"""The services' public HTTP APIs, called with the signed-in person's token; refusals come back as reasons."""

from collections.abc import Mapping
from typing import Any

import httpx
from fastapi import Request

from sori.settings import Settings

PREFIXES = {
    "roadmaps": "/roadmaps/v1",
    "working_group": "/working-group/v1",
    "social_approaches": "/social-approaches/v1",
    "notifications": "/notifications/v1",
    "progress": "/progress/v1",
}
TIMEOUT_SECONDS = 15.0


class ApiRefused(Exception):
    """A service said no (4xx with its reason) or could not be reached; the person is told why.

    `reason` is the service's English, for logs and API clients; the page words the refusal from `code` and
    `params` when the service named its reason, from `invalid` for invalid input, and from `status` otherwise.
    """

    def __init__(
        self,
        status: int,
        reason: str,
        code: str | None = None,
        params: dict[str, Any] | None = None,
        invalid: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.code = code
        self.params = params or {}
        self.invalid = invalid or []


def refusal_of(response: httpx.Response) -> ApiRefused:
    try:
        answer = response.json()
    except ValueError:
        return ApiRefused(response.status_code, response.text or response.reason_phrase)
    detail = answer.get("detail", response.text) if isinstance(answer, dict) else answer
    if isinstance(detail, list):  # FastAPI's validation errors: where and what
        where = "; ".join(f"{'.'.join(str(p) for p in d.get('loc', [])[1:])}: {d.get('msg', '')}" for d in detail)
        return ApiRefused(response.status_code, where, invalid=[d for d in detail if isinstance(d, dict)])
    code, params = answer.get("code"), answer.get("params")
    return ApiRefused(
        response.status_code,
        str(detail),
        code if isinstance(code, str) else None,
        params if isinstance(params, dict) else None,
    )


class ServiceApi:
    def __init__(self, settings: Settings, token: str, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._settings = settings
        self._token = token
        self._transport = transport

    async def send(
        self, method: str, service: str, path: str, *, headers: Mapping[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """`headers` go along with the bearer token (e.g. a form's Idempotency-Key, which the services honour)."""
        url = self._settings.url_of(service) + PREFIXES[service] + path
        sent = {**(headers or {}), "Authorization": f"Bearer {self._token}"}
        async with httpx.AsyncClient(transport=self._transport, timeout=TIMEOUT_SECONDS) as http:
            try:
                response = await http.request(method, url, headers=sent, **kwargs)
            except httpx.HTTPError as exc:
                raise ApiRefused(503, f"{service} is not reachable ({type(exc).__name__})") from exc
        if response.status_code >= 400:
            raise refusal_of(response)
        return response

    async def call(self, method: str, service: str, path: str, **kwargs: Any) -> Any:
        response = await self.send(method, service, path, **kwargs)
        return response.json() if response.content else None

    async def get(self, service: str, path: str, **params: Any) -> Any:
        return await self.call("GET", service, path, params={k: v for k, v in params.items() if v is not None})

    async def post(self, service: str, path: str, body: Any = None, *, headers: Mapping[str, str] | None = None) -> Any:
        return await self.call("POST", service, path, json=body, headers=headers)

    async def upload(
        self,
        service: str,
        path: str,
        name: str,
        content: bytes,
        content_type: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        return await self.call("POST", service, path, files={"file": (name, content, content_type)}, headers=headers)


def service_api(request: Request, token: str) -> ServiceApi:
    # Tests give the app a transport that stands in for the services; production reaches them over the network.
    transport = getattr(request.app.state, "portal_transport", None)
    return ServiceApi(request.app.state.settings, token, transport)
