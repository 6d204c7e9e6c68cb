"""Managing webhooks: re-enable a disabled one, change its types and scope, pause, rotate its secret (one made before
SoRi followed Standard Webhooks too), unsubscribe."""

import base64
import secrets
from typing import Any
from uuid import uuid4

import pytest
from standardwebhooks import Webhook as StandardWebhook
from standardwebhooks import WebhookVerificationError

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus, StatusChanged
from contracts.social_approaches import MappingCompleted
from contracts.topics import LIFECYCLE
from services.notifications.models import Webhook
from services.notifications.sender import Sender
from sori.db import Database
from tests.polling import eventually
from tests.support.notifications import PREFIX, status_changed, subscribe
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


def nalas(tokens: Tokens) -> dict[str, str]:
    return tokens.header(Role.NALAS, "NALAS", sub="secretariat@nalas")


async def change(service: ServiceUnderTest, tokens: Tokens, hook_id: str, body: dict[str, Any]) -> Any:
    response = await service.http.patch(f"{PREFIX}/webhooks/{hook_id}", json=body, headers=nalas(tokens))
    assert response.status_code == 200, response.text
    return response.json()


async def listed(service: ServiceUnderTest, tokens: Tokens) -> list[Any]:
    response = await service.http.get(f"{PREFIX}/webhooks", headers=nalas(tokens))
    assert response.status_code == 200, response.text
    hooks: list[Any] = response.json()
    return hooks


async def an_event_goes_round(service: ServiceUnderTest, status: RecommendationStatus) -> None:
    """One lifecycle event concerning ZELS, and a full round of the sender after it."""
    await service.deliver(LIFECYCLE, status_changed(uuid4(), status).to_json())
    sender: Sender = service.app.state.sender
    await sender.run_once()


async def test_a_disabled_webhook_re_enabled_gets_what_waited_once(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=3)  # the fixture disables a webhook after 3 failures in a row
    hook = await subscribe(notifications_over_smtp, tokens, url, ["*"])
    receiver.secret = hook["secret"]
    event = status_changed(uuid4(), RecommendationStatus.ENDORSED)
    await notifications_over_smtp.deliver(LIFECYCLE, event.to_json())
    [disabled] = await eventually(
        lambda: listed(notifications_over_smtp, tokens), until=lambda hooks: not hooks[0]["enabled"]
    )
    assert disabled["consecutive_failures"] == 3

    enabled = await change(notifications_over_smtp, tokens, hook["id"], {"enabled": True})
    assert (enabled["enabled"], enabled["consecutive_failures"], enabled["disabled_reason"]) == (True, 0, None)
    [(headers, _body)] = await eventually(receiver.got, until=lambda got: len(got) == 1)  # verified with the secret
    assert headers["x-sori-event-id"] == str(event.id)
    sender: Sender = notifications_over_smtp.app.state.sender
    await sender.run_once()
    assert await receiver.tried() == 4


async def test_a_webhooks_types_and_organisation_can_be_changed(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=0)
    hook = await subscribe(notifications_over_smtp, tokens, url, [StatusChanged.TYPE], org="AKM")
    receiver.secret = hook["secret"]
    await an_event_goes_round(notifications_over_smtp, RecommendationStatus.ENDORSED)  # concerns ZELS, not AKM
    assert await receiver.tried() == 0

    widened = await change(notifications_over_smtp, tokens, hook["id"], {"organisation": None})
    assert widened["organisation"] is None
    assert widened["event_types"] == [StatusChanged.TYPE]  # left out, so left as it was
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.REJECTED).to_json())
    await eventually(receiver.got, until=lambda got: len(got) == 1)

    moved = await change(notifications_over_smtp, tokens, hook["id"], {"event_types": [MappingCompleted.TYPE] * 2})
    assert moved["event_types"] == [MappingCompleted.TYPE]
    await an_event_goes_round(notifications_over_smtp, RecommendationStatus.VERIFIED)
    assert await receiver.tried() == 1

    moved_to, new_url = receiver_factory(failures=0)
    moved_to.secret = hook["secret"]
    await change(notifications_over_smtp, tokens, hook["id"], {"url": new_url, "event_types": ["*"]})
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())
    await eventually(moved_to.got, until=lambda got: len(got) == 1)
    assert await receiver.tried() == 1


async def test_a_rotated_secret_signs_every_delivery_and_the_old_one_none(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=0)
    hook = await subscribe(notifications_over_smtp, tokens, url, ["*"])
    response = await notifications_over_smtp.http.post(f"{PREFIX}/webhooks/{hook['id']}/secret", headers=nalas(tokens))
    assert response.status_code == 200, response.text
    rotated = response.json()
    assert rotated["id"] == hook["id"]
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != hook["secret"]
    assert all("secret" not in h for h in await listed(notifications_over_smtp, tokens))  # shown once

    receiver.secret = rotated["secret"]
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())
    [(headers, body)] = await eventually(receiver.got, until=lambda got: len(got) == 1)  # verified with the new one
    with pytest.raises(WebhookVerificationError, match="No matching signature found"):
        StandardWebhook(hook["secret"]).verify(body, headers)


async def test_a_secret_made_before_standard_webhooks_signs_with_its_own_bytes_until_rotated(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=0)
    older = secrets.token_urlsafe(32)  # how a secret was made before, kept as it was in the table
    hook = Webhook(url=url, event_types=["*"], secret=older)
    db: Database = notifications_over_smtp.app.state.db
    async with db.transaction() as session:
        session.add(hook)
    receiver.secret = "whsec_" + base64.b64encode(older.encode()).decode()  # what the README tells its subscriber

    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())
    [(headers, body)] = await eventually(receiver.got, until=lambda got: len(got) == 1)
    StandardWebhook(older.encode()).verify(body, headers)  # the raw key, as Python's library also takes it

    response = await notifications_over_smtp.http.post(f"{PREFIX}/webhooks/{hook.id}/secret", headers=nalas(tokens))
    assert response.status_code == 200, response.text
    receiver.secret = response.json()["secret"]
    assert receiver.secret.startswith("whsec_")
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.REJECTED).to_json())
    await eventually(receiver.got, until=lambda got: len(got) == 2)
    assert receiver.refused == []


async def test_a_paused_webhook_hears_nothing_and_an_unsubscribed_one_is_gone(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=0)
    hook = await subscribe(notifications_over_smtp, tokens, url, ["*"])
    paused = await change(notifications_over_smtp, tokens, hook["id"], {"enabled": False})
    assert not paused["enabled"]
    assert paused["disabled_reason"] == "paused by secretariat@nalas"
    await an_event_goes_round(notifications_over_smtp, RecommendationStatus.ENDORSED)
    assert await receiver.tried() == 0

    gone = await notifications_over_smtp.http.delete(f"{PREFIX}/webhooks/{hook['id']}", headers=nalas(tokens))
    assert gone.status_code == 204, gone.text
    assert await listed(notifications_over_smtp, tokens) == []
    for method, tail in (("DELETE", ""), ("GET", "/deliveries"), ("POST", "/secret"), ("PATCH", "")):
        body = {"enabled": True} if method == "PATCH" else None
        response = await notifications_over_smtp.http.request(
            method, f"{PREFIX}/webhooks/{hook['id']}{tail}", json=body, headers=nalas(tokens)
        )
        assert response.status_code == 404, (method, tail, response.text)
        assert f"no webhook {hook['id']}" == response.json()["detail"]


async def test_webhook_changes_that_make_no_sense_are_refused_with_a_reason(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens
) -> None:
    hook = await subscribe(notifications_over_smtp, tokens, "http://127.0.0.1:9/hook", ["*"])
    path = f"{PREFIX}/webhooks/{hook['id']}"
    refusals: list[tuple[dict[str, Any], str]] = [
        ({}, "nothing to change"),
        ({"event_types": ["sori.no.such.v1"]}, "no event type sori.no.such.v1"),
        ({"url": None}, "url cannot be null"),
        ({"enabled": None}, "enabled cannot be null"),
    ]
    for body, reason in refusals:
        response = await notifications_over_smtp.http.patch(path, json=body, headers=nalas(tokens))
        assert response.status_code == 422, body
        assert reason in response.json()["detail"], response.text
    for body in ({"event_types": []}, {"url": "not a url"}, {"url": "http://x.example/" + "a" * 2000}):
        assert (await notifications_over_smtp.http.patch(path, json=body, headers=nalas(tokens))).status_code == 422, (
            body
        )
    created = await notifications_over_smtp.http.post(
        f"{PREFIX}/webhooks", json={"url": "http://127.0.0.1:9/", "event_types": ["nope"]}, headers=nalas(tokens)
    )
    assert created.status_code == 422
    assert "no event type nope" in created.json()["detail"]
    assert [h["id"] for h in await listed(notifications_over_smtp, tokens)] == [hook["id"]]
