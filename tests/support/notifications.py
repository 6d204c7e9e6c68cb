"""Notifications' stand-ins: fast settings, people registered for notices, a real SMTP server and webhook
receivers that verify what they get with the Standard Webhooks library."""

import email
import email.policy
import socket
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from aiosmtpd.controller import Controller
from sqlmodel import select
from standardwebhooks import Webhook, WebhookVerificationError

from contracts.envelope import Actor, Envelope, EventPayload, Role, new_event
from contracts.languages import Language
from contracts.lifecycle import (
    RecommendationStatus,
    StatusChanged,
)
from services.notifications.models import Mail
from services.notifications.settings import NotificationSettings
from sori.db import Database
from tests.support.services import (
    ServiceUnderTest,
)
from tests.support.tokens import Tokens

PREFIX = "/notifications/v1"

WORKFLOW = Actor(sub="lifecycle", org="NALAS", role=Role.NALAS)

ASSOCIATION, ASSIGNED_LG, OTHER_LG, OTHER_ASSOCIATION = "ZELS", "ZELS-KAVADARCI", "ZELS-STRUGA", "AKM"


def fast(home: Path, **overrides: Any) -> NotificationSettings:
    values: dict[str, Any] = {
        "SMTP_URL": None,
        "SORI_HOME": home,
        "SORI_NOTIFY_POLL_SECONDS": 3600,  # the sender must wake on commits and due retries, not poll
        "SORI_NOTIFY_RETRY_SECONDS": 0.05,
        "SORI_NOTIFY_MAX_RETRY_SECONDS": 0.2,
        "SORI_WEBHOOK_MAX_FAILURES": 5,
    }
    return NotificationSettings(**(values | overrides))


def lifecycle(payload: EventPayload, recommendation_id: UUID, at: datetime | None = None) -> Envelope:
    return new_event(payload, subject=str(recommendation_id), actor=WORKFLOW, source="workflows", time=at)


def status_changed(
    rec: UUID,
    to: RecommendationStatus,
    at: datetime | None = None,
    came_from: RecommendationStatus | None = None,
    comments: tuple[str, ...] = (),
) -> Envelope:
    payload = StatusChanged(
        recommendation_id=rec,
        from_status=came_from,
        to_status=to,
        cause_event_id=uuid4(),
        cause_event_type="sori.working_group.recommendation.endorsed.v1",
        association=ASSOCIATION,
        comments=list(comments),
    )
    return lifecycle(payload, rec, at)


async def register(
    service: ServiceUnderTest,
    tokens: Tokens,
    sub: str,
    org: str,
    role: Role,
    language: Language = Language.ENGLISH,
    channel: str = "portal",
    frequency: str = "immediate",
) -> dict[str, Any]:
    person = {
        "sub": sub,
        "name": sub.title(),
        "email": f"{sub}@example.org",
        "organisation": org,
        "role": role.value,
        "language": language.value,
        "channel": channel,
        "frequency": frequency,
    }
    response = await service.http.post(f"{PREFIX}/people", json=person, headers=tokens.header(Role.NALAS, "NALAS"))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def mails(db: Database) -> list[Mail]:
    async with db.reading() as session:
        return list((await session.execute(select(Mail))).scalars())


NALAS = {"role": Role.NALAS, "org": "NALAS"}


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


async def subscribe(
    service: ServiceUnderTest, tokens: Tokens, url: str, types: list[str], org: str | None = None
) -> Any:
    body = {"url": url, "event_types": types, "organisation": org}
    response = await service.http.post(f"{PREFIX}/webhooks", json=body, headers=tokens.header(Role.NALAS, "NALAS"))
    assert response.status_code == 201, response.text
    return response.json()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


Request = tuple[dict[str, str], bytes]


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 that fails the first `failures` requests and, as a subscriber would, verifies
    the rest with the Standard Webhooks library and the subscription's `secret`: what verifies is accepted (204), what
    does not is refused (400) with the library's reason."""

    failures: int
    secret: str | bytes | None = None  # the subscription's, set once the subscription has answered with it
    requests: list[Request] = field(default_factory=list)
    accepted: list[Request] = field(default_factory=list)
    refused: list[tuple[Request, str]] = field(default_factory=list)

    def verifies(self, headers: dict[str, str], body: bytes) -> str | None:
        """Why the library refuses this request; None when it verifies."""
        if self.secret is None:
            return "no secret to verify with"
        try:
            Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError as refused:
            return str(refused)
        return None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.requests.append((headers, body))
                if len(receiver.requests) <= receiver.failures:
                    self.send_response(500)
                elif reason := receiver.verifies(headers, body):
                    receiver.refused.append(((headers, body), reason))
                    self.send_response(400)
                else:
                    receiver.accepted.append((headers, body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        return Handler

    async def got(self) -> list[Request]:
        """The deliveries that verified."""
        return list(self.accepted)

    async def tried(self) -> int:
        return len(self.requests)
