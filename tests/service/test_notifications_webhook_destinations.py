"""Webhooks reach public addresses only (no server-side request forgery): an internal address is refused when
subscribed, a name that resolves to one is refused at delivery, and a delivery goes to the address it checked."""

import socket
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus
from contracts.topics import LIFECYCLE
from tests.polling import eventually
from tests.support.notifications import PREFIX, status_changed, subscribe
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

INTERNAL = {
    "http://127.0.0.1:9/hook": "a loopback address",
    "http://[::ffff:127.0.0.1]/hook": "a loopback address",
    "http://2130706433/": "a loopback address",  # 127.0.0.1 as one number
    "http://localhost:9/": "a loopback name",
    "http://169.254.169.254/latest/meta-data/": "a cloud metadata address",
    "http://[fd00:ec2::254]/": "a cloud metadata address",
    "http://10.0.0.5/": "a private address",
    "http://[fe80::1]/": "a link-local address",
    "http://0.0.0.0:8080/": "an unspecified address",
    "http://224.0.0.1/": "a multicast address",
}
RECEIVER = "receiver.test"  # a name only the fake resolver knows


def nalas(tokens: Tokens) -> dict[str, str]:
    return tokens.header(Role.NALAS, "NALAS")


class Resolver:
    """Answers for RECEIVER with the given addresses in turn (the last one from then on); other names as usual."""

    def __init__(self, real: Callable[..., Any], *answers: str) -> None:
        self.real = real
        self.answers = answers
        self.asked = 0

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if (host.decode() if isinstance(host, bytes) else host) != RECEIVER:
            return self.real(host, port, *args, **kwargs)
        answer = self.answers[min(self.asked, len(self.answers) - 1)]
        self.asked += 1
        return self.real(answer, port, *args, **kwargs)


def resolving(monkeypatch: pytest.MonkeyPatch, *answers: str) -> Resolver:
    resolver = Resolver(socket.getaddrinfo, *answers)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return resolver


def at_receiver(url: str) -> str:
    """The receiver's URL with its address replaced by RECEIVER, which resolves to it."""
    return url.replace("127.0.0.1", RECEIVER)


async def test_a_webhook_to_an_internal_address_is_refused_with_the_reason(
    notifications: ServiceUnderTest, tokens: Tokens
) -> None:
    for url, reason in INTERNAL.items():
        body = {"url": url, "event_types": ["*"]}
        response = await notifications.http.post(f"{PREFIX}/webhooks", json=body, headers=nalas(tokens))
        assert response.status_code == 422, (url, response.text)
        assert reason in response.json()["detail"], url
        assert "SORI_WEBHOOK_ALLOW_PRIVATE" in response.json()["detail"]
    listed = await notifications.http.get(f"{PREFIX}/webhooks", headers=nalas(tokens))
    assert listed.json() == []

    hook = await subscribe(notifications, tokens, "https://hooks.example.org/sori", ["*"])
    path = f"{PREFIX}/webhooks/{hook['id']}"
    moved = await notifications.http.patch(path, json={"url": "http://127.0.0.1:9/"}, headers=nalas(tokens))
    assert moved.status_code == 422
    assert "a loopback address" in moved.json()["detail"]
    [kept] = (await notifications.http.get(f"{PREFIX}/webhooks", headers=nalas(tokens))).json()
    assert kept["url"] == "https://hooks.example.org/sori"


async def test_with_private_addresses_allowed_a_local_receiver_may_subscribe(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens
) -> None:
    hook = await subscribe(notifications_over_smtp, tokens, "http://127.0.0.1:9/hook", ["*"])
    assert hook["url"] == "http://127.0.0.1:9/hook"


async def test_a_name_that_resolves_to_an_internal_address_gets_no_delivery(
    notifications: ServiceUnderTest, tokens: Tokens, receiver_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver, url = receiver_factory(failures=0)
    resolving(monkeypatch, "127.0.0.1")  # where the receiver listens: it would accept
    hook = await subscribe(notifications, tokens, at_receiver(url), ["*"])  # a name: accepted when subscribed
    await notifications.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())

    async def deliveries() -> Any:
        return (
            await notifications.http.get(f"{PREFIX}/webhooks/{hook['id']}/deliveries", headers=nalas(tokens))
        ).json()

    [delivery] = await eventually(deliveries, until=lambda log: bool(log) and log[0]["last_error"] is not None)
    assert delivery["status"] == "pending"
    assert delivery["last_error"] == f"{RECEIVER} resolves to 127.0.0.1: a loopback address"
    assert delivery["last_status_code"] is None
    assert await receiver.tried() == 0


async def test_a_delivery_goes_to_the_address_it_checked_under_its_own_name(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver, url = receiver_factory(failures=0)
    # Asked a second time, the name would lead where nothing listens.
    resolver = resolving(monkeypatch, "127.0.0.1", "127.0.0.2")
    hook = await subscribe(notifications_over_smtp, tokens, at_receiver(url), ["*"])
    receiver.secret = hook["secret"]
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())

    [(headers, _body)] = await eventually(receiver.got, until=lambda got: len(got) == 1)
    assert resolver.asked == 1
    assert headers["host"] == at_receiver(url).split("/")[2]
