"""A service under test: its real app and database, with FastStream's in-memory TestKafkaBroker."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiokafka import ConsumerRecord
from fastapi import FastAPI
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage
from httpx import ASGITransport, AsyncClient

from contracts.envelope import Envelope
from contracts.registry import parse_event
from contracts.topics import PRODUCER_TOPICS, dlq
from sori.db import Database
from sori.kafka import make_broker
from sori.service import ServiceSpec
from sori.settings import Settings

AppFactory = Callable[[Settings, KafkaBroker], FastAPI]


def record_of(message: KafkaMessage) -> ConsumerRecord[Any, Any]:
    record = message.raw_message
    assert isinstance(record, ConsumerRecord)
    return record


async def raw_body(message: StreamMessage[Any]) -> bytes:
    # The recorder keeps bodies as sent, so that tests can check malformed ones reached the DLQ unchanged.
    return bytes(message.body)


@dataclass
class Published:
    """Everything that reached each topic during the test, as the relay and dead-letter path sent it."""

    raw: dict[str, list[bytes]] = field(default_factory=dict)
    headers: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def events(self, topic: str) -> list[Envelope]:
        return [parse_event(body) for body in self.raw.get(topic, [])]


@dataclass
class ServiceUnderTest:
    http: AsyncClient
    broker: KafkaBroker
    published: Published
    app: FastAPI

    async def deliver(self, topic: str, body: bytes) -> None:
        await self.broker.publish(body, topic=topic)

    async def deliver_with_headers(self, topic: str, body: bytes, headers: dict[str, str]) -> None:
        await self.broker.publish(body, topic=topic, headers=headers)


def _record_topics(broker: KafkaBroker, published: Published) -> None:
    for topic in PRODUCER_TOPICS + tuple(dlq(t) for t in PRODUCER_TOPICS):

        @broker.subscriber(topic, group_id=f"test-recorder-{topic}", decoder=raw_body)
        async def record(body: bytes, message: KafkaMessage) -> None:
            topic = record_of(message).topic
            published.raw.setdefault(topic, []).append(body)
            published.headers.setdefault(topic, []).append(dict(message.headers))


@asynccontextmanager
async def service_under_test(
    settings: Settings, spec: ServiceSpec, factory: AppFactory
) -> AsyncIterator[ServiceUnderTest]:
    broker = make_broker(settings, client_id="test")
    app = factory(settings, broker)
    published = Published()
    _record_topics(broker, published)
    try:
        async with TestKafkaBroker(broker), app.router.lifespan_context(app):
            transport = ASGITransport(app=app)
            async with AsyncClient(transport=transport, base_url="http://service") as http:
                yield ServiceUnderTest(http, broker, published, app)
    finally:
        db = Database(settings, spec.name, spec.metadata)
        await db.drop_schema()
        await db.dispose()


@asynccontextmanager
async def empty_schema(settings: Settings, spec: ServiceSpec) -> AsyncIterator[Database]:
    """A service's schema, created empty and dropped afterwards, without a running service."""
    database = Database(settings, spec.name, spec.metadata)
    await database.create_schema()
    try:
        yield database
    finally:
        await database.drop_schema()
        await database.dispose()


def spec_and_factory(service: str) -> tuple[ServiceSpec, AppFactory]:
    """A service's spec and app factory, by the service's name."""
    module = __import__(f"services.{service}.app", fromlist=["SPEC", "create_app"])
    return module.SPEC, module.create_app
