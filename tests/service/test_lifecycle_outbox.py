"""The lifecycle worker's outbox stays writable when Temporal cancels the activities that write to it."""

import asyncio
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from sqlalchemy import func, select

from contracts.envelope import Actor, Role, new_event
from contracts.roadmaps import RecommendationSubmitted
from sori.db import Database
from sori.outbox import outbox_table
from sori.settings import Settings
from tests.polling import eventually
from tests.support.services import empty_schema
from workflows.activities import LifecycleActivities
from workflows.messages import RecordLifecycleEvents
from workflows.worker import SPEC

pytestmark = pytest.mark.service
ACTOR = Actor(sub="sori-lifecycle", org="NALAS", role=Role.NALAS)
CALLS = 60
WRITE_WITHIN_SECONDS = 20.0
ROUNDS = (1, 5, 10, 20, 30)


@pytest.fixture
async def workflows_db(settings: Settings) -> AsyncIterator[Database]:
    async with empty_schema(settings, SPEC) as database:
        yield database


def batch() -> RecordLifecycleEvents:
    events = []
    for _ in range(2):
        rec = uuid4()
        payload = RecommendationSubmitted(recommendation_id=rec, association="ZELS", version=1)
        events.append(new_event(payload, subject=str(rec), actor=ACTOR, source="lifecycle").to_json().decode())
    return RecordLifecycleEvents(events=events)


async def queued(db: Database) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(outbox_table)) or 0)


async def cancel_half_once_some_are_done(activities: LifecycleActivities, done_first: int) -> list[object]:
    calls = [asyncio.create_task(activities.record_lifecycle_events(batch())) for _ in range(CALLS)]
    pending: set[asyncio.Task[int]] = set(calls)
    while len(pending) > CALLS - done_first:
        _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    for call in list(pending)[::2]:
        call.cancel()
    return await asyncio.gather(*calls, return_exceptions=True)


async def test_activities_cancelled_mid_write_leave_the_outbox_writable(workflows_db: Database) -> None:
    activities = LifecycleActivities(workflows_db, b"key")
    # Cancels at different moments land at every step of a write: waiting for a connection, inside a statement, at
    # the commit. The outcomes, the cancelled calls' exceptions among them, stay referenced (as they may anywhere
    # until the garbage collector runs).
    outcomes = [await cancel_half_once_some_are_done(activities, done_first) for done_first in ROUNDS]
    assert all(any(isinstance(o, asyncio.CancelledError) for o in round_) for round_ in outcomes)
    # A cancelled call's write still runs to its end: every call's two events arrive.
    every_call = 2 * CALLS * len(ROUNDS)
    await eventually(lambda: queued(workflows_db), until=lambda n: n == every_call)

    written = await asyncio.wait_for(activities.record_lifecycle_events(batch()), WRITE_WITHIN_SECONDS)

    assert written == 2
    assert await queued(workflows_db) == every_call + 2
