"""Handlers are registered by payload class: each is given only events whose payload is exactly of its class, and
a consumer takes the event types of the classes it has handlers for."""

from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import Column, MetaData, Table, Uuid
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Actor, Envelope, Role, new_event
from contracts.lifecycle import RecommendationStatus as S
from contracts.lifecycle import StatusChanged, TransitionRejected
from contracts.topics import LIFECYCLE
from sori.projection import RowKey, projector
from sori.rows import Rows
from sori.service import Consumer, by_payload, on

NOTED = Table("noted", MetaData(), Column("recommendation_id", Uuid, primary_key=True))
ACTOR = Actor(sub="nalas", org="NALAS", role=Role.NALAS)
REC = uuid4()


def changed() -> Envelope[StatusChanged]:
    payload = StatusChanged(
        recommendation_id=REC,
        from_status=S.DRAFTED,
        to_status=S.SUBMITTED,
        cause_event_id=uuid4(),
        cause_event_type="sori.test.cause.v1",
    )
    return new_event(payload, subject=str(REC), actor=ACTOR, source="test")


def rejected() -> Envelope[TransitionRejected]:
    payload = TransitionRejected(
        recommendation_id=REC,
        status=S.DRAFTED,
        rejected_event_id=uuid4(),
        rejected_event_type="sori.test.cause.v1",
        reason="not now",
    )
    return new_event(payload, subject=str(REC), actor=ACTOR, source="test")


async def count_changes(session: AsyncSession, event: Envelope[StatusChanged]) -> None:
    session.info["seen"] = event.data.to_status


async def test_a_handler_is_given_events_of_its_payload_class_only() -> None:
    handler = on(StatusChanged, count_changes)
    session: Any = type("FakeSession", (), {"info": {}})()

    await handler.handle(session, changed())
    with pytest.raises(TypeError, match="is not a StatusChanged"):
        await handler.handle(session, rejected())

    assert session.info["seen"] == S.SUBMITTED


def test_a_consumer_takes_the_event_types_of_the_classes_it_handles() -> None:
    consumer = Consumer(group="test", topics=(LIFECYCLE,), handlers=by_payload(on(StatusChanged, count_changes)))

    assert consumer.takes(StatusChanged.TYPE)
    assert not consumer.takes(TransitionRejected.TYPE)
    assert not consumer.takes("sori.unknown.thing.happened.v1")


def test_one_payload_class_has_one_handler() -> None:
    with pytest.raises(ValueError, match="two handlers for one payload class"):
        by_payload(on(StatusChanged, count_changes), on(StatusChanged, count_changes))


def nothing_touched(event: Envelope[StatusChanged]) -> list[RowKey]:
    return []


def noted(rows: Rows, event: Envelope[StatusChanged]) -> None:
    rows.add(NOTED, recommendation_id=event.data.recommendation_id)


def test_a_projector_is_given_events_of_its_payload_class_only() -> None:
    projection = projector(StatusChanged, noted, nothing_touched)
    rows = Rows(complete=True)

    projection.change(rows, changed())
    with pytest.raises(TypeError, match="is not a StatusChanged"):
        projection.change(rows, rejected())

    assert rows.get(NOTED, REC) is not None
