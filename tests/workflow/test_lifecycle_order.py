"""A lifecycle numbers its events in the order it makes them, and dates each status change by its cause: readers
keep the order of moves made in one instant, and the true dates of moves applied late after an outage."""

from datetime import timedelta

import pytest

from contracts.envelope import Envelope
from contracts.lifecycle import LifecycleEvent, RecommendationStatus, ReviewOverdue, StatusChanged, TransitionRejected
from tests.support import events as e
from tests.workflow.worlds import LifecycleWorld
from workflows.lifecycle import RecommendationLifecycle

pytestmark = pytest.mark.workflow
S = RecommendationStatus


def numbers(published: list[Envelope]) -> list[int | None]:
    return [event.data.sequence for event in published if isinstance(event.data, LifecycleEvent)]


async def test_events_of_one_signal_share_a_time_and_are_numbered_in_the_order_they_happened(
    world: LifecycleWorld,
) -> None:
    rec = world.recommendation()
    one_poll = [e.drafted(rec.id), e.submitted(rec.id), e.verified(rec.id), e.review_started(rec.id)]
    await rec.send_in_one_signal(one_poll)
    published = await rec.published_exactly(4)

    assert len({event.time for event in published}) == 1, "one workflow task stamps them all with one time"
    assert numbers(published) == [1, 2, 3, 4]
    kinds = [type(event.data) for event in published]
    assert kinds == [StatusChanged, StatusChanged, TransitionRejected, StatusChanged]
    assert [event.data.to_status for event in published if isinstance(event.data, StatusChanged)] == [
        S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW,
    ]  # fmt: skip

    await world.env.sleep(rec.clocks.review_due_after + timedelta(days=1))
    assert numbers(await rec.published_exactly(1, ReviewOverdue.TYPE)) == [5], "a clock's event is numbered too"


async def test_changes_applied_after_an_outage_carry_the_time_of_their_cause(world: LifecycleWorld) -> None:
    rec = world.recommendation()
    drafted, submitted = e.drafted(rec.id), e.submitted(rec.id)
    submitted.time = drafted.time + timedelta(minutes=5)
    outage = timedelta(days=3)
    await world.env.sleep(outage)  # the worker was away: the lifecycle hears of both only now
    await rec.send_in_one_signal([drafted, submitted])
    published = await rec.published_exactly(2, StatusChanged.TYPE)

    assert all(event.time >= drafted.time + outage for event in published), "published when applied"
    changes = [event.data for event in published if isinstance(event.data, StatusChanged)]
    assert [c.cause_time for c in changes] == [drafted.time, submitted.time]
    state = await rec.state()
    assert state.submitted_at == submitted.time
    assert [entry.time for entry in state.timeline] == [drafted.time, submitted.time], "sori status shows the same"
    then = await rec.handle.query(RecommendationLifecycle.status_as_of, submitted.time + timedelta(minutes=1))
    assert then.status is S.SUBMITTED
