"""A consumer applies each poll in one transaction: a refused event goes to the DLQ alone, a repeat is applied once,
and the rest of the poll keeps its effects."""

from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from sqlalchemy import Column, String, Table, Uuid, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.lifecycle import RecommendationStatus, StatusChanged
from contracts.registry import InvalidEvent
from contracts.topics import LIFECYCLE, dlq
from sori.kafka import DLQ_REASON
from sori.service import Consumer, ServiceSpec, create_service_app
from sori.settings import Settings
from sori.tables import service_registry
from tests.polling import eventually
from tests.service.conftest import ServiceUnderTest, service_under_test

REFUSED_STATUS = RecommendationStatus.REJECTED
ACTOR = Actor(sub="lga-1", org="ZELS", role=Role.LGA)

metadata = service_registry("tally").metadata
applied = Table("applied", metadata, Column("event_id", Uuid, primary_key=True), Column("status", String(30)))


async def on_status_changed(session: AsyncSession, event: Envelope) -> None:
    assert isinstance(event.data, StatusChanged)
    await session.execute(insert(applied).values(event_id=event.id, status=event.data.to_status.value))
    # The row above is written first, so that a refusal must roll it back to leave no trace.
    if event.data.to_status == REFUSED_STATUS:
        raise InvalidEvent("this test's consumer refuses rejections")


SPEC = ServiceSpec(
    name="tally",
    title="tally",
    metadata=metadata,
    routers=[],
    consumer=Consumer(group="tally", topics=(LIFECYCLE,), handlers={StatusChanged.TYPE: on_status_changed}),
)


def create_app(settings: Settings, broker: KafkaBroker | None = None) -> FastAPI:
    return create_service_app(SPEC, settings, broker)


@pytest.fixture
async def tally(settings: Settings) -> AsyncIterator[ServiceUnderTest]:
    async with service_under_test(settings, SPEC, create_app) as service:
        yield service


def moved_to(status: RecommendationStatus) -> Envelope:
    payload = StatusChanged(
        recommendation_id=uuid4(),
        from_status=None,
        to_status=status,
        cause_event_id=uuid4(),
        cause_event_type="sori.roadmaps.recommendation.drafted.v1",
    )
    return new_event(payload, subject=str(payload.recommendation_id), actor=ACTOR, source="lifecycle")


async def applied_rows(service: ServiceUnderTest) -> dict[UUID, str]:
    async with service.app.state.db.reading() as session:
        return {row.event_id: row.status for row in await session.execute(select(applied))}


async def test_one_poll_with_a_refused_a_repeated_and_a_garbled_event_applies_the_rest_once(
    tally: ServiceUnderTest,
) -> None:
    first, refused, last = (
        moved_to(RecommendationStatus.DRAFTED),
        moved_to(REFUSED_STATUS),
        moved_to(RecommendationStatus.SUBMITTED),
    )
    poll = [first.to_json(), refused.to_json(), b"{not json", first.to_json(), last.to_json()]
    await tally.broker.publish_batch(*poll, topic=LIFECYCLE)

    rows = await eventually(lambda: applied_rows(tally), until=lambda rows: len(rows) == 2)
    assert rows == {first.id: "drafted", last.id: "submitted"}
    dead = await eventually(lambda: _dead(tally), until=lambda dead: len(dead) == 2)
    assert [body for body, _ in dead] == [refused.to_json(), b"{not json"]
    assert dead[0][1] == "this test's consumer refuses rejections"
    assert dead[1][1].startswith("not JSON")


async def test_a_poll_delivered_again_changes_nothing(tally: ServiceUnderTest) -> None:
    poll = [moved_to(RecommendationStatus.DRAFTED).to_json() for _ in range(3)]
    await tally.broker.publish_batch(*poll, topic=LIFECYCLE)
    once = await eventually(lambda: applied_rows(tally), until=lambda rows: len(rows) == 3)
    await tally.broker.publish_batch(*poll, topic=LIFECYCLE)
    assert await applied_rows(tally) == once


async def _dead(service: ServiceUnderTest) -> list[tuple[bytes, str]]:
    bodies = service.published.raw.get(dlq(LIFECYCLE), [])
    headers = service.published.headers.get(dlq(LIFECYCLE), [])
    return [(body, header[DLQ_REASON]) for body, header in zip(bodies, headers, strict=True)]
