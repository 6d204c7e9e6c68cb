"""Whole lifecycles, played against a world: the replay test's histories are recorded from these."""

from datetime import UTC, datetime, timedelta

from contracts.lifecycle import RecommendationStatus
from tests.polling import eventually
from tests.support import events as e
from tests.workflow.worlds import LifecycleWorld, Recommendation
from workflows.lifecycle import RecommendationLifecycle

DAY = timedelta(days=1)


async def full_lifecycle_with_ten_milestones(world: LifecycleWorld) -> Recommendation:
    """Changes requested once, a review that runs late, ten milestones with their clocks, one report refused,
    redeliveries, a return from verification, and verification."""
    rec = world.recommendation()
    milestones = e.plan(10, first_due=datetime.now(UTC).date() + 40 * DAY)
    drafted = e.drafted(rec.id, programme="SoRi 3")
    await rec.send(drafted, e.submitted(rec.id), drafted)
    await world.env.sleep(15 * DAY)
    await rec.send(e.review_started(rec.id), e.changes_requested(rec.id), e.revised(rec.id, version=2))
    await rec.send(e.submitted(rec.id, version=2), e.review_started(rec.id, version=2), e.endorsed(rec.id, version=2))
    await rec.send(e.assigned(rec.id, milestones), e.reported(rec.id, e.plan(1)[0]))
    await rec.send(e.rescheduled(rec.id, milestones[0], milestones[0].due_date + 10 * DAY))
    await world.env.sleep(60 * DAY)
    for milestone in milestones:
        await rec.send(e.reported(rec.id, milestone))
    await rec.send(e.returned(rec.id), e.reported(rec.id, milestones[0]), e.verified(rec.id))
    await eventually(rec.state, until=lambda s: s.status is RecommendationStatus.VERIFIED)
    return rec


async def withdrawn_with_a_forgery_then_closed(world: LifecycleWorld) -> Recommendation:
    """A review signalled without the bridge's proof (refused), a withdrawal, and the end after the grace period."""
    rec = world.recommendation()
    await rec.send(e.drafted(rec.id), e.submitted(rec.id))
    await rec.handle.signal(RecommendationLifecycle.apply, e.review_started(rec.id))
    await rec.send(e.withdrawn(rec.id))
    await world.env.sleep(rec.clocks.final_grace + DAY)
    await rec.handle.result()
    return rec
