"""Two replicas of progress share one database, and Kafka hands them different topics' partitions: facts of one
recommendation reach both at once. Whichever creates a row first, the other applies its events to that row, so no
replica's columns are lost, at any interleaving."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.roadmaps import RecommendationAssigned, RecommendationDrafted, ReferenceEntryChanged
from contracts.social_approaches import MilestoneReported
from contracts.topics import LIFECYCLE, ROADMAPS, SOCIAL_APPROACHES, WORKING_GROUP
from services.progress.app import SPEC
from services.progress.handlers import CONSUMER
from services.progress.models import MILESTONES, RECOMMENDATIONS
from sori.batches import BatchHandler, Delivery
from sori.db import Database
from sori.projection import ProjectionConsumer
from sori.service import PollWork, once_per_event
from sori.settings import Settings
from tests.support.databases import POSTGRES_URL
from tests.support.progress import DUE, KUMANOVO_MILESTONE, REC, assert_the_story_is_projected, story
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

# How the default round-robin assignor shares one partition of each topic, in the topics' name order, between two
# replicas: the lifecycle's facts and roadmaps' land on different ones.
REPLICA_OF_TOPIC = {LIFECYCLE: 0, ROADMAPS: 1, SOCIAL_APPROACHES: 0, WORKING_GROUP: 1}
ONLY_ON_POSTGRESQL = pytest.mark.parametrize("database_url", [POSTGRES_URL], ids=["postgresql"])


@dataclass(frozen=True)
class Gated:
    """Progress' consumer, telling when a poll has loaded its rows, and, if told to, keeping the poll's transaction
    open after its writes until `hold_until` is set: a race made to happen the same way every time."""

    consumer: ProjectionConsumer
    hold_until: asyncio.Event | None = None
    loaded: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def group(self) -> str:
        return self.consumer.group

    @property
    def topics(self) -> tuple[str, ...]:
        return self.consumer.topics

    def takes(self, event_type: str) -> bool:
        return self.consumer.takes(event_type)

    def poll(self, session: AsyncSession) -> PollWork:
        return _GatedPoll(self, self.consumer.poll(session))


@dataclass(frozen=True)
class _GatedPoll:
    gated: Gated
    work: PollWork

    async def prepare(self, events: Sequence[Envelope]) -> None:
        await self.work.prepare(events)
        self.gated.loaded.set()

    async def apply(self, event: Envelope) -> None:
        await self.work.apply(event)

    async def finish(self) -> None:
        await self.work.finish()
        if self.gated.hold_until is not None:
            await self.gated.hold_until.wait()


@pytest.fixture
async def second_replica(settings: Settings) -> AsyncIterator[Database]:
    """The progress database as another replica's process opens it (the first is the `progress_db` fixture's)."""
    database = Database(settings, SPEC.name, SPEC.metadata)
    try:
        yield database
    finally:
        await database.dispose()


async def race(first: tuple[Database, Envelope], second: tuple[Database, Envelope]) -> None:
    """The first replica creates the event's row and keeps its transaction open until the second has looked for
    the same row (and not found it); then both go on."""
    (first_db, first_event), (second_db, second_event) = first, second
    second_replica = Gated(CONSUMER)
    first_replica = Gated(CONSUMER, hold_until=second_replica.loaded)
    async with asyncio.timeout(20):
        creating = asyncio.ensure_future(once_per_event(first_db, first_replica)([delivery(first_event)]))
        await first_replica.loaded.wait()
        refused = await once_per_event(second_db, second_replica)([delivery(second_event)])
        assert (refused, await creating) == ({}, {})


def delivery(event: Envelope) -> Delivery:
    return Delivery(event, event.data.TOPIC, None)


async def row(db: Database, table: Table, key: UUID) -> dict[str, Any]:
    async with db.reading() as session:
        found = (await session.execute(select(table).where(table.primary_key.columns[0] == key))).mappings().one()
    return dict(found)


def first_of(events: list[Envelope], payload: type) -> Envelope:
    return next(event for event in events if isinstance(event.data, payload))


@ONLY_ON_POSTGRESQL
@pytest.mark.parametrize("roadmaps_first", [True, False], ids=["roadmaps' fact first", "the lifecycle's first"])
async def test_two_replicas_creating_one_recommendation_at_once_keep_both_facts(
    progress_db: Database, second_replica: Database, roadmaps_first: bool
) -> None:
    s, at = story()
    drafted, submitted = first_of(s.events, RecommendationDrafted), s.events[3]
    first, second = (drafted, submitted) if roadmaps_first else (submitted, drafted)

    await race((progress_db, first), (second_replica, second))

    recommendation = await row(progress_db, RECOMMENDATIONS, REC)
    assert isinstance(drafted.data, RecommendationDrafted)
    facts = ("code", "title", "programme", "roadmap_id", "language", "status", "submitted_at", "updated_at")
    assert {name: recommendation[name] for name in facts} == {
        "code": "ZELS-2026-01",
        "title": "Day care",
        "programme": "SoRi 3",
        "roadmap_id": drafted.data.roadmap_id,
        "language": "en",
        "status": "submitted",
        "submitted_at": at["submitted"],
        "updated_at": at["submitted"],
    }


@ONLY_ON_POSTGRESQL
async def test_two_replicas_creating_one_milestone_at_once_keep_both_facts(
    progress_db: Database, second_replica: Database
) -> None:
    s, _ = story()
    assigned = first_of(s.events, RecommendationAssigned)
    reported = first_of(s.events, MilestoneReported)  # on Kumanovo's milestone

    await race((progress_db, assigned), (second_replica, reported))

    milestone = await row(progress_db, MILESTONES, KUMANOVO_MILESTONE)
    facts = ("association", "title", "due_date", "planned_at", "report_status", "reports", "local_government")
    assert {name: milestone[name] for name in facts} == {
        "association": "ZELS",
        "title": "Opens",
        "due_date": DUE,
        "planned_at": assigned.time,
        "report_status": "on_track",
        "reports": 1,
        "local_government": "MK-KUMANOVO",
    }


@ONLY_ON_POSTGRESQL
@pytest.mark.parametrize("economy_first", [True, False], ids=["the economy first", "the recommendation first"])
async def test_two_replicas_learning_an_economy_and_projecting_its_association_at_once_keep_the_economy(
    progress_db: Database, second_replica: Database, economy_first: bool
) -> None:
    s, _ = story()
    economy, drafted = first_of(s.events, ReferenceEntryChanged), first_of(s.events, RecommendationDrafted)
    first, second = (economy, drafted) if economy_first else (drafted, economy)

    await race((progress_db, first), (second_replica, second))

    assert (await row(progress_db, RECOMMENDATIONS, REC))["economy"] == "MK"


async def test_a_story_split_by_topic_over_two_replicas_ends_as_on_one(
    progress: ServiceUnderTest, second_replica: Database, tokens: Tokens
) -> None:
    s, at = story()
    shares: list[list[Envelope]] = [[], []]
    for event in s.events:
        shares[REPLICA_OF_TOPIC[event.data.TOPIC]].append(event)
    replicas = (once_per_event(progress.app.state.db, CONSUMER), once_per_event(second_replica, CONSUMER))

    async def consume(replica: BatchHandler, events: list[Envelope]) -> None:
        for start in range(0, len(events), 3):
            assert await replica([delivery(event) for event in events[start : start + 3]]) == {}

    await asyncio.gather(*(consume(replica, share) for replica, share in zip(replicas, shares, strict=True)))
    await assert_the_story_is_projected(progress, tokens, at)
