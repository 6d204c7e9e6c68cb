"""Progress applies a whole poll at once, and `sori replay` a whole backlog, with the same handlers: a story ends the
same as delivered event by event, whatever the order, however its events are grouped, however often delivered."""

from typing import Any

import pytest
from sqlalchemy import select

from contracts.envelope import Envelope, new_event
from contracts.roadmaps import ReferenceEntryChanged
from services.progress.handlers import CONSUMER
from services.progress.models import projection_tables
from sori.batches import Delivery
from sori.service import once_per_event
from sori_cli.replay_apply import ReplayApplier
from tests.support.progress import NALAS, assert_the_story_is_projected, delivery_orders, in_order, story
from tests.support.retired import reference_entry_as_v1
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

STORY_EVENTS = 21


async def poll(progress: ServiceUnderTest, events: list[Envelope]) -> None:
    """One poll of these events, as the consumer hands it over (whatever topics they come from)."""
    handle = once_per_event(progress.app.state.db, CONSUMER)
    refused = await handle([Delivery(event, event.data.TOPIC, None) for event in events])
    assert refused == {}


async def tables(progress: ServiceUnderTest) -> dict[str, list[tuple[Any, ...]]]:
    """Every projection table's rows in key order (the inbox without its processing time)."""
    taken = {}
    async with progress.app.state.db.reading() as session:
        for table in projection_tables():
            columns = [c for c in table.columns if c.name != "processed_at"]
            taken[table.name] = [
                tuple(row) for row in await session.execute(select(*columns).order_by(*table.primary_key.columns))
            ]
    return taken


@pytest.mark.parametrize("order", delivery_orders())
async def test_a_whole_story_in_one_poll_ends_as_delivered_event_by_event(
    progress: ServiceUnderTest, tokens: Tokens, order: str
) -> None:
    s, at = story()
    await poll(progress, in_order(s.events, order))
    await assert_the_story_is_projected(progress, tokens, at)


async def test_a_story_over_several_polls_goes_on_from_the_rows_earlier_polls_wrote(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    s, at = story()
    events = in_order(s.events, "shuffled, each twice")
    for start in range(0, len(events), 7):
        await poll(progress, events[start : start + 7])
    await assert_the_story_is_projected(progress, tokens, at)


async def test_a_poll_delivered_again_changes_no_projection(progress: ServiceUnderTest) -> None:
    s, _ = story()
    await poll(progress, s.events)
    once = await tables(progress)
    await poll(progress, s.events[::-1])
    assert await tables(progress) == once
    assert len(once["inbox"]) == STORY_EVENTS
    assert len(once["statuschange"]) == 5, "one history row per status change"


@pytest.mark.parametrize("order", delivery_orders())
async def test_a_replay_ends_as_the_live_consumer_does(progress: ServiceUnderTest, tokens: Tokens, order: str) -> None:
    s, at = story()
    bodies = [event.to_json() for event in in_order(s.events, order)]
    replay = ReplayApplier(progress.app.state.db, CONSUMER)
    half = len(bodies) // 2
    for part in (bodies[:half], [b"{not json"], bodies[half:]):
        replay.apply(part)
        await replay.commit()  # a commit mid-way: later rows change what the one before wrote
    await replay.written()

    assert (replay.applied, replay.repeats, replay.invalid) == (STORY_EVENTS, len(bodies) - STORY_EVENTS, 1)
    await assert_the_story_is_projected(progress, tokens, at)
    assert len((await tables(progress))["inbox"]) == STORY_EVENTS


@pytest.mark.parametrize("version", [1, 2])
async def test_a_replay_of_a_topic_that_mixes_payload_versions_ends_as_with_todays_only(
    progress: ServiceUnderTest, tokens: Tokens, version: int
) -> None:
    """A topic keeps what older code wrote: an association told of in v1 of ReferenceEntryChanged, among today's
    events, is replayed as its v2 twin, so both replays end in the same tables."""
    s, at = story()
    entry = ReferenceEntryChanged(kind="associations", code="ZOCG")
    told = new_event(entry, subject="associations:ZOCG", actor=NALAS, source="roadmaps", time=at["submitted"])
    bodies = [reference_entry_as_v1(told) if version == 1 else told.to_json(), *(e.to_json() for e in s.events)]
    replay = ReplayApplier(progress.app.state.db, CONSUMER)

    replay.apply(bodies)
    await replay.commit()
    await replay.written()

    assert (replay.applied, replay.invalid) == (STORY_EVENTS + 1, 0)
    await assert_the_story_is_projected(progress, tokens, at)
    # An association entry without an economy says nothing of one, in either version.
    assert "ZOCG" not in dict((await tables(progress))["associationeconomy"])
