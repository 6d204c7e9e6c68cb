"""Mail over a real SMTP server (aiosmtpd) that goes down and comes back, and signed webhooks to a real receiver."""

import email
import email.policy
import json
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiosmtpd.controller import Controller

from contracts.envelope import Actor, Role, new_event
from contracts.lifecycle import RecommendationStatus, StatusChanged
from contracts.social_approaches import MappingCompleted
from contracts.topics import LIFECYCLE, SOCIAL_APPROACHES
from services.notifications.app import SPEC, create_app
from services.notifications.models import Webhook
from services.notifications.sender import Sender
from services.notifications.verify import verify_signature
from sori.db import Database
from sori.settings import Settings
from tests.conftest import Tokens
from tests.polling import eventually
from tests.service.conftest import ServiceUnderTest, service_under_test
from tests.service.test_notifications import ASSOCIATION, PREFIX, fast, mails, register, status_changed

NALAS = {"role": Role.NALAS, "org": "NALAS"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Inbox:
    """What a real SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox = field(default_factory=Inbox)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    async def received(self) -> list[EmailMessage]:
        return list(self.inbox.messages)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    yield server
    server.stop()


@pytest.fixture
async def notifications(settings: Settings, smtp: SmtpServer) -> AsyncIterator[ServiceUnderTest]:
    # The receivers listen on 127.0.0.1, where a webhook may deliver only when private addresses are allowed.
    notify = fast(
        settings.home,
        SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
        SORI_WEBHOOK_MAX_FAILURES=3,
        SORI_WEBHOOK_ALLOW_PRIVATE=True,
    )
    async with service_under_test(settings, SPEC, lambda s, b: create_app(s, b, notify)) as service:
        yield service


async def attempts_of_unsent(db: Database) -> list[int]:
    return [m.attempts for m in await mails(db) if m.sent_at is None]


async def test_smtp_down_loses_nothing_and_sends_nothing_twice(
    notifications: ServiceUnderTest, tokens: Tokens, smtp: SmtpServer
) -> None:
    await register(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA, channel="email")
    db: Database = notifications.app.state.db
    smtp.start()
    rec = uuid4()
    await notifications.deliver(LIFECYCLE, status_changed(rec, RecommendationStatus.CHANGES_REQUESTED).to_json())
    await eventually(smtp.received, until=lambda got: len(got) == 1)

    smtp.stop()
    await notifications.deliver(LIFECYCLE, status_changed(rec, RecommendationStatus.REJECTED).to_json())
    # Nothing listens: the sender tries, fails, and tries again later.
    await eventually(lambda: attempts_of_unsent(db), until=lambda attempts: bool(attempts) and attempts[0] >= 2)
    [unsent] = [m for m in await mails(db) if m.sent_at is None]
    assert unsent.last_error

    smtp.start()
    received = await eventually(smtp.received, until=lambda got: len(got) == 2)
    await eventually(lambda: attempts_of_unsent(db), until=lambda attempts: attempts == [])
    sender: Sender = notifications.app.state.sender
    await sender.run_once()
    assert len(await smtp.received()) == 2
    subjects = [m["Subject"] for m in received]
    assert subjects[0].startswith("Changes requested")
    assert subjects[1].endswith("rejected")
    assert all(m["To"] == "zels-officer@example.org" for m in received)
    assert len({m["Message-ID"] for m in received}) == 2


async def test_mail_waits_for_a_server_that_was_never_there(
    notifications: ServiceUnderTest, tokens: Tokens, smtp: SmtpServer
) -> None:
    await register(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA, channel="email")
    db: Database = notifications.app.state.db
    event = status_changed(uuid4(), RecommendationStatus.CHANGES_REQUESTED)
    await notifications.deliver(LIFECYCLE, event.to_json())
    await notifications.deliver(LIFECYCLE, event.to_json())
    await eventually(lambda: attempts_of_unsent(db), until=lambda attempts: bool(attempts) and attempts[0] >= 3)
    smtp.start()
    await eventually(smtp.received, until=lambda got: len(got) == 1)
    await eventually(lambda: attempts_of_unsent(db), until=lambda attempts: attempts == [])
    assert len(await smtp.received()) == 1


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 that fails the first `failures` requests and records the rest."""

    failures: int
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    accepted: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.requests.append((headers, body))
                if len(receiver.requests) <= receiver.failures:
                    self.send_response(500)
                else:
                    receiver.accepted.append((headers, body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        return Handler

    async def got(self) -> list[tuple[dict[str, str], bytes]]:
        return list(self.accepted)

    async def tried(self) -> int:
        return len(self.requests)


@pytest.fixture
def receiver_factory() -> Iterator[Any]:
    servers: list[ThreadingHTTPServer] = []

    def start(failures: int) -> tuple[Receiver, str]:
        receiver = Receiver(failures)
        server = ThreadingHTTPServer(("127.0.0.1", 0), receiver.handler())
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return receiver, f"http://127.0.0.1:{server.server_address[1]}/hooks/sori"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


async def subscribe(
    service: ServiceUnderTest, tokens: Tokens, url: str, types: list[str], org: str | None = None
) -> Any:
    body = {"url": url, "event_types": types, "organisation": org}
    response = await service.http.post(f"{PREFIX}/webhooks", json=body, headers=tokens.header(Role.NALAS, "NALAS"))
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_webhook_that_fails_twice_gets_the_event_once_signed(
    notifications: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=2)
    hook = await subscribe(notifications, tokens, url, [StatusChanged.TYPE])
    assert len(hook["secret"]) >= 32
    listed = await notifications.http.get(f"{PREFIX}/webhooks", headers=tokens.header(Role.NALAS, "NALAS"))
    assert "secret" not in listed.json()[0]  # shown once

    rec = uuid4()
    event = status_changed(rec, RecommendationStatus.ENDORSED)
    for _ in range(2):
        await notifications.deliver(LIFECYCLE, event.to_json())
    [(headers, body)] = await eventually(receiver.got, until=lambda got: len(got) == 1)
    assert await receiver.tried() == 3
    assert json.loads(body)["id"] == str(event.id)
    assert headers["x-sori-signature"].startswith("sha256=")
    assert verify_signature(hook["secret"], headers["x-sori-timestamp"], body, headers["x-sori-signature"], 300)
    assert not verify_signature("another secret", headers["x-sori-timestamp"], body, headers["x-sori-signature"])

    async def deliveries() -> Any:
        log = await notifications.http.get(
            f"{PREFIX}/webhooks/{hook['id']}/deliveries", headers=tokens.header(Role.NALAS, "NALAS")
        )
        return log.json()

    # The receiver has it; the log says so once the sender has recorded the answer.
    [delivery] = await eventually(deliveries, until=lambda log: log[0]["status"] == "delivered")
    assert delivery["attempts"] == 3
    assert delivery["last_status_code"] == 204
    assert delivery["event_id"] == str(event.id)
    sender: Sender = notifications.app.state.sender
    await sender.run_once()
    assert await receiver.tried() == 3


async def test_a_webhook_gets_only_its_types_and_organisation(
    notifications: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=0)
    await subscribe(notifications, tokens, url, [StatusChanged.TYPE], org="AKM")
    everything, all_url = receiver_factory(failures=0)
    await subscribe(notifications, tokens, all_url, ["*"])
    await notifications.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())
    await eventually(everything.got, until=lambda got: len(got) == 1)
    sender: Sender = notifications.app.state.sender
    await sender.run_once()
    assert await receiver.tried() == 0


async def test_a_webhook_hears_of_facts_from_other_producers_too(
    notifications: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=0)
    await subscribe(notifications, tokens, url, [MappingCompleted.TYPE], org="ZELS-KAVADARCI")
    mapping = MappingCompleted(
        mapping_id=uuid4(), local_government="ZELS-KAVADARCI", topic="housing", data_sources_count=2, gaps_count=1
    )
    actor = Actor(sub="lg@kavadarci", org="ZELS-KAVADARCI", role=Role.LG)
    event = new_event(mapping, subject=str(mapping.mapping_id), actor=actor, source="social_approaches")
    await notifications.deliver(SOCIAL_APPROACHES, event.to_json())
    [(_headers, body)] = await eventually(receiver.got, until=lambda got: len(got) == 1)
    assert json.loads(body)["type"] == MappingCompleted.TYPE


async def test_a_webhook_that_keeps_failing_is_disabled(
    notifications: ServiceUnderTest, tokens: Tokens, receiver_factory: Any
) -> None:
    receiver, url = receiver_factory(failures=1000)
    hook = await subscribe(notifications, tokens, url, ["*"])
    await notifications.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.ENDORSED).to_json())

    async def state() -> Any:
        response = await notifications.http.get(f"{PREFIX}/webhooks", headers=tokens.header(Role.NALAS, "NALAS"))
        return response.json()[0]

    disabled = await eventually(state, until=lambda h: not h["enabled"])
    assert disabled["consecutive_failures"] == 3
    assert "3 consecutive failed deliveries" in disabled["disabled_reason"]
    assert await receiver.tried() == 3
    await notifications.deliver(LIFECYCLE, status_changed(uuid4(), RecommendationStatus.REJECTED).to_json())
    sender: Sender = notifications.app.state.sender
    await sender.run_once()
    assert await receiver.tried() == 3
    db: Database = notifications.app.state.db
    async with db.reading() as session:
        stored = await session.get(Webhook, UUID(hook["id"]))
        assert stored is not None
        assert not stored.enabled
