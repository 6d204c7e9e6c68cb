"""The portal's client of the services passes a form's headers (an Idempotency-Key) on with the person's token."""

import httpx

from services.progress.portal.client import ServiceApi
from sori.idempotency import HEADER
from sori.settings import Settings


async def test_the_portal_client_sends_the_headers_it_is_given_beside_the_token() -> None:
    seen: list[httpx.Headers] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(201, json={})

    api = ServiceApi(Settings(), "the-token", httpx.MockTransport(answer))
    await api.post("social_approaches", "/approaches", {}, headers={HEADER: "k-1", "Authorization": "forged"})
    await api.upload("social_approaches", "/evidence", "a.pdf", b"%PDF", "application/pdf", headers={HEADER: "k-2"})
    await api.post("social_approaches", "/approaches", {})

    assert [(h.get(HEADER), h["Authorization"]) for h in seen] == [
        ("k-1", "Bearer the-token"),
        ("k-2", "Bearer the-token"),
        (None, "Bearer the-token"),
    ]
