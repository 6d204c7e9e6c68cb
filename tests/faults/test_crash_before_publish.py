"""A service dies (kill -9) after committing its writes and before publishing their events: the events wait in its
outbox, and once the supervisor has restarted it, its relay publishes each of them once."""

from collections import Counter

from contracts.topics import ROADMAPS
from sori_cli.stack.child import RunningStack
from tests.faults.parts import all_ready, kill, restarted
from tests.faults.story import all_in, draft_and_submit, drafted_and_submitted, emissions, unpublished
from tests.faults.topics import events, repeats

WRITES = 4


async def test_events_committed_before_a_kill_are_published_once_after_the_restart(ready_stack: RunningStack) -> None:
    stack = ready_stack
    hold = stack.home / "holds" / "roadmaps"
    hold.touch()  # roadmaps' relay now stops between commit and publish
    try:
        recommendations = await draft_and_submit(stack, WRITES, "Committed before the crash")
        held = await unpublished(stack, "roadmaps", recommendations)
        published_before_kill = await events(stack, ROADMAPS, recommendations)
        killed = kill(stack, "roadmaps")
    finally:
        hold.unlink()
    await restarted(stack, "roadmaps", killed)
    await all_ready(stack)

    await all_in(stack, recommendations, "submitted")
    domain, changes = await drafted_and_submitted(stack, recommendations)
    left = await unpublished(stack, "roadmaps", recommendations)
    figures = (
        f"{WRITES} recommendations: {held} events held in the outbox at the kill, {len(published_before_kill)} "
        f"published before it; after the restart {len(domain)} records on {ROADMAPS} ({repeats(domain)} repeats), "
        f"{len(changes)} status_changed, {left} left unpublished"
    )
    print(figures)

    assert (held, len(published_before_kill)) == (2 * WRITES, 0), figures
    assert (len(domain), repeats(domain), left) == (2 * WRITES, 0, 0), figures
    assert emissions(changes) == Counter({(r, s): 1 for r in recommendations for s in ("drafted", "submitted")})
