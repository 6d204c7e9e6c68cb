"""Temporal forgets a closed lifecycle after its retention (deleted here, as retention does), and then the broker
restarts and is refilled: the bridge reads the recommendation's events again and starts no new lifecycle, so nothing
moves back to `drafted` and no status change is emitted again."""

from temporalio.client import WorkflowHandle

from contracts.envelope import Role
from contracts.topics import ROADMAPS
from sori.settings import Settings
from sori.temporal import connect_temporal
from sori_cli.stack.child import RunningStack
from tests.faults.letters import caught_up
from tests.faults.parts import all_ready, kill, restarted
from tests.faults.stacks import FINAL_GRACE_SECONDS
from tests.faults.story import all_in, draft_and_submit, status_changes
from tests.faults.topics import events
from tests.polling import eventually
from tests.support.journey import person
from tests.support.retention import delete_run, forgotten_by_temporal
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import LifecycleState

RECOMMENDATIONS = 2
# drafted, submitted, withdrawn: what the refill puts on the roadmaps topic again for each.
ROADMAPS_EVENTS = 3


async def test_a_refill_after_temporal_forgot_a_closed_lifecycle_starts_no_new_one(ready_stack: RunningStack) -> None:
    stack = ready_stack
    recommendations = await draft_and_submit(stack, RECOMMENDATIONS, "Closed, forgotten, refilled")
    await all_in(stack, recommendations, "submitted")
    lga = person(stack, "roadmaps", Role.LGA, "ZELS")
    for rec in recommendations:
        await lga.call("POST", f"/roadmaps/v1/recommendations/{rec}/withdraw", json={"reason": "merged"})
    await all_in(stack, recommendations, "withdrawn")

    client = await connect_temporal(Settings(TEMPORAL_ADDRESS=stack.document["temporal_address"]))
    for rec in recommendations:
        handle: WorkflowHandle[RecommendationLifecycle, LifecycleState]
        handle = client.get_workflow_handle_for(RecommendationLifecycle.run, workflow_id(rec))
        assert (await handle.result()).status == "withdrawn", f"closed {FINAL_GRACE_SECONDS} s after withdrawal"
        await delete_run(client, rec)
    emitted = {e.id for e in await status_changes(stack, recommendations)}

    killed = kill(stack, "kafka")
    await restarted(stack, "kafka", killed)
    await all_ready(stack)
    refilled = await eventually(
        lambda: events(stack, ROADMAPS, recommendations),
        until=lambda found: len({e.id for e in found}) == ROADMAPS_EVENTS * RECOMMENDATIONS,
        within=120,
    )
    await caught_up(stack, [ROADMAPS])  # the bridge has read the refilled events

    new_runs = [rec for rec in recommendations if not await forgotten_by_temporal(client, rec)]
    after = {e.id for e in await status_changes(stack, recommendations)}
    figures = (
        f"{RECOMMENDATIONS} closed lifecycles deleted from Temporal, {len(refilled)} of their events refilled: "
        f"{len(new_runs)} new runs, status_changed {len(emitted)} before and {len(after)} after"
    )
    print(figures)
    assert not new_runs, figures
    assert after == emitted, figures
    assert await all_in(stack, recommendations, "withdrawn"), figures
