"""Composition of the notifications service: API, lifecycle consumer, and the background sender beside them."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.notifications.api import router
from services.notifications.handlers import CONSUMER
from services.notifications.models import NotificationsTable
from services.notifications.sender import Sender
from services.notifications.settings import NotificationSettings
from services.notifications.store import DUE_NOW
from sori.service import ServiceRuntime, ServiceSpec, create_service_app
from sori.settings import Settings

SPEC = ServiceSpec(
    name="notifications",
    title="SoRi notifications",
    description="Who hears what: notices by email and in the portal inbox, in each person's language, and signed "
    "webhooks for other systems.",
    metadata=NotificationsTable.metadata,
    migrations=Path(__file__).parent / "migrations" / "versions",
    routers=[router],
    consumer=CONSUMER,
)


def create_app(
    settings: Settings | None = None, broker: KafkaBroker | None = None, notify: NotificationSettings | None = None
) -> FastAPI:
    settings = settings or Settings()
    notify = notify or NotificationSettings(SORI_HOME=settings.home)
    senders: list[Sender] = []

    @asynccontextmanager
    async def sending(_runtime: ServiceRuntime) -> AsyncIterator[None]:
        async with senders[0].running():
            yield

    app = create_service_app(replace(SPEC, companion=sending), settings, broker)
    sender = Sender(app.state.db, notify)
    app.state.db.after_commit(sender.wake, wrote=DUE_NOW)
    app.state.sender = sender
    app.state.notify = notify
    senders.append(sender)
    return app
