"""Mail over a real SMTP server (aiosmtpd) that goes down and comes back, and signed webhooks to a real receiver that
verifies each with the Standard Webhooks library."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx

from contracts.envelope import Actor, Role, new_event
from contracts.lifecycle import RecommendationStatus, StatusChanged
from contracts.social_approaches import MappingCompleted
from contracts.topics import LIFECYCLE, SOCIAL_APPROACHES
from services.notifications.models import Webhook
from services.notifications.sender import Sender
from services.notifications.signatures import signed_headers
from sori.db import Database
from tests.polling import eventually
from tests.support.notifications import (
    ASSOCIATION,
    PREFIX,
    SmtpServer,
    mails,
    register,
    status_changed,
    subscribe,
)
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


async def attempts_of_unsent(db: Database) -> list[int]:
    return [m.attempts for m in await mails(db) if m.sent_at is None]


async def test_smtp_down_loses_nothing_and_sends_nothing_twice(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, smtp: SmtpServer
) -> None:
    await register(notifications_over_smtp, tokens, "zels-officer", ASSOCIATION, Role.LGA, channel="email")
    db: Database = notifications_over_smtp.app.state.db
    smtp.start()
    rec = uuid4()
    await notifications_over_smtp.deliver(
        LIFECYCLE, status_changed(rec, RecommendationStatus.CHANGES_REQUESTED).to_json()
    )
    await eventually(smtp.received, until=lambda got: len(got) == 1)

    smtp.stop()
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(rec, RecommendationStatus.REJECTED).to_json())
    # Nothing listens: the sender tries, fails, and tries again later.
    await eventually(lambda: attempts_of_unsent(db), until=lambda attempts: bool(attempts) and attempts[0] >= 2)
    [unsent] = [m for m in await mails(db) if m.sent_at is None]
    assert unsent.last_error

    smtp.start()
    received = await eventually(smtp.received, until=lambda got: len(got) == 2)
    await eventually(lambda: attempts_of_unsent(db), until=lambda attempts: attempts == [])
    sender: Sender = notifications_over_smtp.app.state.sender
    await sender.run_once()
    assert len(await smtp.received()) == 2
    subjects = [m["Subject"] for m in received]
    assert subjects[0].startswith("Changes requested")
    assert subjects[1].endswith("rejected")
    assert all(m["To"] == "zels-officer@example.org" for m in received)
    assert len({m["Message-ID"] for m in received}) == 2


async def test_mail_waits_for_a_server_that_was_never_there(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, smtp: SmtpServer
) -> None:
    await register(notifications_over_smtp, tokens, "zels-officer", ASSOCIATION, Role.LGA, channel="email")
    db: Database = notifications_over_smtp.app.state.db
    event = status_changed(uuid4(), RecommendationStatus.CHANGES_REQUESTED)
    await notifications_over_smtp.deliver(LIFECYCLE, event.to_json())
    await notifications_over_smtp.deliver(LIFECYCLE, event.to_json())
    await eventually(lambda: attempts_of_unsent(db), until=lambda attempts: bool(attempts) and attempts[0] >= 3)
    smtp.start()
    await eventually(smtp.received, until=lambda got: len(got) == 1)
    await eventually(lambda: attempts_of_unsent(db), until=lambda attempts: attempts == [])
    assert len(await smtp.received()) == 1


async def test_a_webhook_that_fails_twice_gets_the_event_once_signed(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=2)
    hook = await subscribe(notifications_over_smtp, tokens, url, [StatusChanged.TYPE])
    receiver.secret = hook["secret"]
    assert hook["secret"].startswith("whsec_")
    listed = await notifications_over_smtp.http.get(f"{PREFIX}/webhooks", headers=tokens.header(Role.NALAS, "NALAS"))
    assert "secret" not in listed.json()[0]  # shown once

    rec = uuid4()
    event = status_changed(rec, RecommendationStatus.ENDORSED)
    for _ in range(2):
        await notifications_over_smtp.deliver(LIFECYCLE, event.to_json())
    [(headers, body)] = await eventually(receiver.got, until=lambda got: len(got) == 1)
    assert await receiver.tried() == 3
    assert json.loads(body)["id"] == str(event.id)
    assert headers["webhook-signature"].startswith("v1,")
    assert receiver.refused == []

    async def deliveries() -> Any:
        log = await notifications_over_smtp.http.get(
            f"{PREFIX}/webhooks/{hook['id']}/deliveries", headers=tokens.header(Role.NALAS, "NALAS")
        )
        return log.json()

    # The receiver has it; the log says so once the sender has recorded the answer.
    [delivery] = await eventually(deliveries, until=lambda log: log[0]["status"] == "delivered")
    assert headers["webhook-id"] == delivery["id"]  # the same on every attempt: a receiver drops a repeat by it
    assert delivery["attempts"] == 3
    assert delivery["last_status_code"] == 204
    assert delivery["event_id"] == str(event.id)
    sender: Sender = notifications_over_smtp.app.state.sender
    await sender.run_once()
    assert await receiver.tried() == 3


async def test_the_receiver_refuses_a_tampered_body_and_a_replayed_old_delivery(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=0)
    secret: str = (await subscribe(notifications_over_smtp, tokens, url, ["*"]))["secret"]
    receiver.secret = secret
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())
    [(headers, body)] = await eventually(receiver.got, until=lambda got: len(got) == 1)
    signed = {name: value for name, value in headers.items() if name.startswith("webhook-")}
    tampered = body.replace(b"endorsed", b"rejected")
    assert tampered != body
    # What a delivery signed six minutes ago carries: the library's tolerance is five.
    sent_long_ago = signed_headers(secret, signed["webhook-id"], body, datetime.now(UTC) - timedelta(minutes=6))

    async with httpx.AsyncClient() as http:
        for replayed_headers, replayed_body in ((signed, tampered), (sent_long_ago, body)):
            response = await http.post(url, content=replayed_body, headers=replayed_headers)
            assert response.status_code == 400

    assert [reason for _request, reason in receiver.refused] == [
        "No matching signature found",
        "Message timestamp too old",
    ]
    assert len(await receiver.got()) == 1


async def test_a_webhook_gets_only_its_types_and_organisation(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=0)
    await subscribe(notifications_over_smtp, tokens, url, [StatusChanged.TYPE], org="AKM")
    everything, all_url = receiver_factory(failures=0)
    everything.secret = (await subscribe(notifications_over_smtp, tokens, all_url, ["*"]))["secret"]
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())
    await eventually(everything.got, until=lambda got: len(got) == 1)
    sender: Sender = notifications_over_smtp.app.state.sender
    await sender.run_once()
    assert await receiver.tried() == 0


async def test_a_webhook_hears_of_facts_from_other_producers_too(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=0)
    hook = await subscribe(notifications_over_smtp, tokens, url, [MappingCompleted.TYPE], org="ZELS-KAVADARCI")
    receiver.secret = hook["secret"]
    mapping = MappingCompleted(
        mapping_id=uuid4(), local_government="ZELS-KAVADARCI", topic="housing", data_sources_count=2, gaps_count=1
    )
    actor = Actor(sub="lg@kavadarci", org="ZELS-KAVADARCI", role=Role.LG)
    event = new_event(mapping, subject=str(mapping.mapping_id), actor=actor, source="social_approaches")
    await notifications_over_smtp.deliver(SOCIAL_APPROACHES, event.to_json())
    [(_headers, body)] = await eventually(receiver.got, until=lambda got: len(got) == 1)
    assert json.loads(body)["type"] == MappingCompleted.TYPE


async def test_a_webhook_that_keeps_failing_is_disabled(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=1000)
    hook = await subscribe(notifications_over_smtp, tokens, url, ["*"])
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())

    async def state() -> Any:
        response = await notifications_over_smtp.http.get(
            f"{PREFIX}/webhooks", headers=tokens.header(Role.NALAS, "NALAS")
        )
        return response.json()[0]

    disabled = await eventually(state, until=lambda h: not h["enabled"])
    assert disabled["consecutive_failures"] == 3
    assert "3 consecutive failed deliveries" in disabled["disabled_reason"]
    assert await receiver.tried() == 3
    await notifications_over_smtp.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.REJECTED).to_json())
    sender: Sender = notifications_over_smtp.app.state.sender
    await sender.run_once()
    assert await receiver.tried() == 3
    db: Database = notifications_over_smtp.app.state.db
    async with db.reading() as session:
        stored = await session.get(Webhook, UUID(hook["id"]))
        assert stored is not None
        assert not stored.enabled
