"""A consumer applies each poll in one transaction: a refused event goes to the DLQ alone, a repeat is applied once,
and the rest of the poll keeps its effects; so for handlers given the session in turn, and for a projection's
handlers applied to the poll's rows in memory (and in a replay, too)."""

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import REGISTRY
from sqlalchemy import Column, Integer, String, Table, Uuid, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import TYPE_HEADER, Actor, Envelope, Role, new_event
from contracts.lifecycle import MilestoneOverdue, RecommendationStatus, StatusChanged
from contracts.registry import InvalidEvent
from contracts.roadmaps import RecommendationSubmitted
from contracts.topics import LIFECYCLE, ROADMAPS, dlq
from sori.batches import Delivery
from sori.db import Database
from sori.kafka import DLQ_REASON
from sori.projection import ProjectionConsumer, RowKey, projector
from sori.rows import Rows
from sori.service import (
    MAX_EVENT_ATTEMPTS,
    MAX_POLL_RACES,
    ApplyAgain,
    Consumer,
    PollWork,
    ServiceSpec,
    by_payload,
    create_service_app,
    on,
    once_per_event,
)
from sori.settings import Settings
from sori.tables import service_registry
from sori_cli.replay_apply import ReplayApplier
from tests.polling import eventually
from tests.support.retired import as_written_before_cloudevents
from tests.support.services import ServiceUnderTest, empty_schema, service_under_test

REFUSED_STATUS = RecommendationStatus.REJECTED
BROKEN_STATUS = RecommendationStatus.WITHDRAWN  # the handler raises on it, every time
OUTAGE_STATUS = RecommendationStatus.VERIFIED  # the handler loses its connection on it
ACTOR = Actor(sub="lga-1", org="ZELS", role=Role.LGA)

metadata = service_registry("tally").metadata
applied = Table("applied", metadata, Column("event_id", Uuid, primary_key=True), Column("status", String(30)))
counted = Table("counted", metadata, Column("name", String(10), primary_key=True), Column("events", Integer))


async def on_status_changed(session: AsyncSession, event: Envelope[StatusChanged]) -> None:
    await session.execute(insert(applied).values(event_id=event.id, status=event.data.to_status.value))
    # The row above is written first, so that a refusal must roll it back to leave no trace.
    refuse_rejections(event)


def refuse_rejections(event: Envelope[StatusChanged]) -> None:
    if event.data.to_status == REFUSED_STATUS:
        raise InvalidEvent("this test's consumer refuses rejections")
    if event.data.to_status == BROKEN_STATUS:
        raise RuntimeError("this test's handler breaks on withdrawals")
    if event.data.to_status == OUTAGE_STATUS:
        raise ConnectionResetError("this test's database went away")


def tally_in_memory(rows: Rows, event: Envelope[StatusChanged]) -> None:
    rows.add(applied, event_id=event.id, status=event.data.to_status.value)
    total = rows.get(counted, "events") or rows.add(counted, name="events", events=0)
    total["events"] += 1
    # The rows above are changed first, so that a refusal must undo them to leave no trace.
    refuse_rejections(event)


def spec_of(consumer: Consumer | ProjectionConsumer) -> ServiceSpec:
    return ServiceSpec(name="tally", title="tally", metadata=metadata, routers=[], consumer=consumer)


def tallied(event: Envelope[StatusChanged]) -> list[RowKey]:
    return [(applied, event.id), (counted, "events")]


ONE_BY_ONE = Consumer(group="tally", topics=(LIFECYCLE,), handlers=by_payload(on(StatusChanged, on_status_changed)))
IN_MEMORY = ProjectionConsumer(
    group="tally", topics=(LIFECYCLE,), projectors=by_payload(projector(StatusChanged, tally_in_memory, tallied))
)


def app_factory(spec: ServiceSpec) -> Callable[[Settings, KafkaBroker], FastAPI]:
    return lambda settings, broker: create_service_app(spec, settings, broker)


@pytest.fixture(params=[ONE_BY_ONE, IN_MEMORY], ids=["handlers in turn", "projection in memory"])
async def tally(settings: Settings, request: pytest.FixtureRequest) -> AsyncIterator[ServiceUnderTest]:
    spec = spec_of(request.param)
    async with service_under_test(settings, spec, app_factory(spec)) as service:
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


async def test_a_record_whose_type_header_names_a_type_the_consumer_does_not_take_is_skipped_unparsed(
    tally: ServiceUnderTest,
) -> None:
    taken = moved_to(RecommendationStatus.DRAFTED)
    # Bodies nobody could parse: only their headers tell what they are.
    await tally.deliver_with_headers(LIFECYCLE, b"{not json, not taken", {TYPE_HEADER: MilestoneOverdue.TYPE})
    await tally.deliver_with_headers(LIFECYCLE, b"{not json, unknown", {TYPE_HEADER: "sori.lifecycle.x.teleported.v1"})
    await tally.deliver_with_headers(LIFECYCLE, b"{not json, taken", {TYPE_HEADER: StatusChanged.TYPE})
    await tally.deliver_with_headers(LIFECYCLE, taken.to_json(), {TYPE_HEADER: StatusChanged.TYPE})

    assert await eventually(lambda: applied_rows(tally), until=lambda rows: len(rows) == 1) == {taken.id: "drafted"}
    dead = await eventually(lambda: _dead(tally), until=lambda dead: len(dead) >= 2)
    assert [body for body, _ in dead] == [b"{not json, unknown", b"{not json, taken"]


async def test_an_event_whose_handler_keeps_failing_is_dead_lettered_and_the_others_flow(
    tally: ServiceUnderTest,
) -> None:
    failures_before = _failures()
    first, broken, last = (
        moved_to(RecommendationStatus.DRAFTED),
        moved_to(BROKEN_STATUS),
        moved_to(RecommendationStatus.SUBMITTED),
    )
    await tally.broker.publish_batch(first.to_json(), broken.to_json(), last.to_json(), topic=LIFECYCLE)

    rows = await eventually(lambda: applied_rows(tally), until=lambda rows: len(rows) == 2)
    assert rows == {first.id: "drafted", last.id: "submitted"}
    dead = await eventually(lambda: _dead(tally), until=lambda dead: len(dead) == 1)
    assert dead == [
        (
            broken.to_json(),
            f'handler failed {MAX_EVENT_ATTEMPTS} times: RuntimeError("this test\'s handler breaks on withdrawals")',
        )
    ]
    assert _failures() - failures_before == MAX_EVENT_ATTEMPTS


@pytest.mark.parametrize("consumer", [ONE_BY_ONE, IN_MEMORY], ids=["handlers in turn", "projection in memory"])
async def test_a_lost_connection_rewinds_the_poll_instead_of_dead_lettering(
    settings: Settings, consumer: Consumer | ProjectionConsumer
) -> None:
    poll = [Delivery(moved_to(status), LIFECYCLE, None) for status in (RecommendationStatus.DRAFTED, OUTAGE_STATUS)]
    async with empty_schema(settings, spec_of(consumer)) as db:
        with pytest.raises(ConnectionResetError):
            await once_per_event(db, consumer)(poll)
        async with db.reading() as session:
            assert (await session.execute(select(applied))).all() == []


@dataclass
class _AlwaysRaced:
    """A consumer whose every poll finds, at its end, that another transaction created a row it found missing."""

    group: str = "tally"
    topics: tuple[str, ...] = (LIFECYCLE,)
    attempts: int = 0

    def takes(self, event_type: str) -> bool:
        return True

    def poll(self, session: AsyncSession) -> PollWork:
        return self

    async def prepare(self, events: Sequence[Envelope]) -> None:
        self.attempts += 1

    async def apply(self, event: Envelope) -> None:
        pass

    async def finish(self) -> None:
        raise ApplyAgain("counted created by another transaction meanwhile")


async def test_a_poll_that_keeps_losing_its_race_is_rewound_instead_of_spinning(settings: Settings) -> None:
    consumer = _AlwaysRaced()
    async with empty_schema(settings, spec_of(ONE_BY_ONE)) as db:
        with pytest.raises(ApplyAgain):
            await once_per_event(db, consumer)([Delivery(moved_to(RecommendationStatus.DRAFTED), LIFECYCLE, None)])
    assert consumer.attempts == MAX_POLL_RACES


def _failures() -> float:
    return REGISTRY.get_sample_value("sori_event_failures_total", {"consumer": "tally"}) or 0.0


async def test_a_poll_delivered_again_changes_nothing(tally: ServiceUnderTest) -> None:
    poll = [moved_to(RecommendationStatus.DRAFTED).to_json() for _ in range(3)]
    await tally.broker.publish_batch(*poll, topic=LIFECYCLE)
    once = await eventually(lambda: applied_rows(tally), until=lambda rows: len(rows) == 3)
    await tally.broker.publish_batch(*poll, topic=LIFECYCLE)
    assert await applied_rows(tally) == once


@pytest.mark.parametrize("consumer", [ONE_BY_ONE, IN_MEMORY], ids=["handlers in turn", "projection in memory"])
async def test_a_poll_without_an_event_the_consumer_takes_commits_nothing(
    settings: Settings, consumer: Consumer | ProjectionConsumer
) -> None:
    spec = spec_of(consumer)
    db = Database(settings, spec.name, spec.metadata)
    await db.create_schema()
    commits: list[None] = []
    db.after_commit(lambda: commits.append(None))
    handle = once_per_event(db, consumer)
    others = new_event(
        RecommendationSubmitted(recommendation_id=uuid4(), association="ZELS", version=1),
        subject="s",
        actor=ACTOR,
        source="roadmaps",
    )
    try:
        assert await handle([Delivery(others, ROADMAPS, None)]) == {}
        assert commits == []
        assert await handle([Delivery(moved_to(RecommendationStatus.DRAFTED), LIFECYCLE, None)]) == {}
        assert commits == [None]
    finally:
        await db.drop_schema()
        await db.dispose()


async def _dead(service: ServiceUnderTest) -> list[tuple[bytes, str]]:
    bodies = service.published.raw.get(dlq(LIFECYCLE), [])
    headers = service.published.headers.get(dlq(LIFECYCLE), [])
    return [(body, header[DLQ_REASON]) for body, header in zip(bodies, headers, strict=True)]


async def test_a_replay_leaves_no_trace_of_an_event_its_projection_refuses(settings: Settings) -> None:
    first, refused, last = (
        moved_to(RecommendationStatus.DRAFTED),
        moved_to(REFUSED_STATUS),
        moved_to(RecommendationStatus.SUBMITTED),
    )
    spec = spec_of(IN_MEMORY)
    async with service_under_test(settings, spec, app_factory(spec)) as tally:
        replay = ReplayApplier(tally.app.state.db, IN_MEMORY)
        replay.apply([first.to_json()])
        await replay.commit()
        replay.apply([last.to_json(), refused.to_json()])
        await replay.commit()
        await replay.written()

        assert (replay.applied, replay.invalid) == (2, 1)
        assert await applied_rows(tally) == {first.id: "drafted", last.id: "submitted"}
        async with tally.app.state.db.reading() as session:
            assert (await session.execute(select(counted.c.events))).scalar_one() == 2


async def test_a_replay_commit_writes_the_rows_as_they_stood_when_it_began(settings: Settings) -> None:
    first, last = moved_to(RecommendationStatus.DRAFTED), moved_to(RecommendationStatus.SUBMITTED)
    spec = spec_of(IN_MEMORY)
    async with service_under_test(settings, spec, app_factory(spec)) as tally:
        replay = ReplayApplier(tally.app.state.db, IN_MEMORY)
        replay.apply([first.to_json()])
        await replay.commit()
        replay.apply([last.to_json()])  # while the commit is under way: not part of it
        await replay.written()

        assert await applied_rows(tally) == {first.id: "drafted"}
        async with tally.app.state.db.reading() as session:
            assert (await session.execute(select(counted.c.events))).scalar_one() == 1


async def test_a_replay_applies_an_event_in_the_envelope_before_cloudevents_as_the_same_event(
    settings: Settings,
) -> None:
    first, last = moved_to(RecommendationStatus.DRAFTED), moved_to(RecommendationStatus.SUBMITTED)
    spec = spec_of(IN_MEMORY)
    async with service_under_test(settings, spec, app_factory(spec)) as tally:
        replay = ReplayApplier(tally.app.state.db, IN_MEMORY)
        replay.apply([as_written_before_cloudevents(first), last.to_json(), first.to_json()])
        await replay.commit()
        await replay.written()

        assert (replay.events, replay.applied, replay.repeats, replay.invalid) == (3, 2, 1, 0)
        assert await applied_rows(tally) == {first.id: "drafted", last.id: "submitted"}
