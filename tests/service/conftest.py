"""The service tier's own fixtures: an empty progress schema, the portal on its fake services, and a real SMTP
server and webhook receivers for notifications."""

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from services.notifications.app import SPEC as NOTIFICATIONS
from services.notifications.app import create_app as notifications_app
from services.progress.app import SPEC as PROGRESS
from sori.db import Database
from sori.settings import Settings
from tests.service.portal_fakes import FakeServices, Portal
from tests.support.notifications import Receiver, SmtpServer, fast, free_port
from tests.support.services import ServiceUnderTest, empty_schema, service_under_test


@pytest.fixture
async def progress_db(settings: Settings) -> AsyncIterator[Database]:
    async with empty_schema(settings, PROGRESS) as database:
        yield database


@pytest.fixture
def portal(progress: ServiceUnderTest, settings: Settings) -> Portal:
    services = FakeServices()
    progress.app.state.portal_transport = httpx.MockTransport(services.handle)
    return Portal(progress.http, services, settings)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    yield server
    server.stop()


@pytest.fixture
async def notifications_over_smtp(settings: Settings, smtp: SmtpServer) -> AsyncIterator[ServiceUnderTest]:
    # The receivers listen on 127.0.0.1, where a webhook may deliver only when private addresses are allowed.
    notify = fast(
        settings.home,
        SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
        SORI_WEBHOOK_MAX_FAILURES=3,
        SORI_WEBHOOK_ALLOW_PRIVATE=True,
    )
    async with service_under_test(settings, NOTIFICATIONS, lambda s, b: notifications_app(s, b, notify)) as service:
        yield service


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
