"""The lifecycle worker is killed (kill -9) while recommendations move: once the supervisor has restarted it, every
workflow resumes where it was, and no lifecycle event is emitted twice."""

from collections import Counter

from sori_cli.stack.child import RunningStack
from tests.faults.parts import kill, restarted
from tests.faults.story import all_in, draft_and_submit, emissions, refusals, start_reviews, status_changes
from tests.faults.topics import repeats
from tests.polling import eventually
from tests.support.journey import workflow_state

RECOMMENDATIONS = 5
STATUSES = ("drafted", "submitted", "under_review")


async def test_workflows_resume_after_the_worker_is_killed_and_emit_each_lifecycle_event_once(
    ready_stack: RunningStack,
) -> None:
    stack = ready_stack
    recommendations = await draft_and_submit(stack, RECOMMENDATIONS, "Worker killed mid-lifecycle")
    killed = kill(stack, "worker")  # while the bridge signals their workflows and the worker runs them
    await restarted(stack, "worker", killed)
    await start_reviews(stack, recommendations)
    await all_in(stack, recommendations, "under_review")

    changes = await eventually(
        lambda: status_changes(stack, recommendations),
        until=lambda found: len({e.id for e in found}) == len(STATUSES) * RECOMMENDATIONS,
    )
    states = [await workflow_state(stack, rec) for rec in recommendations]
    refused = await refusals(stack, recommendations)
    timelines = Counter(len(state.timeline) for state in states)
    figures = (
        f"{RECOMMENDATIONS} recommendations: {len(changes)} status_changed records ({repeats(changes)} repeated by "
        f"a relay killed before marking), {len({e.id for e in changes})} distinct, {refused} refused; "
        f"workflow timelines {dict(timelines)}"
    )
    print(figures)

    assert refused == 0, figures
    assert emissions(changes) == Counter({(r, s): 1 for r in recommendations for s in STATUSES}), figures
    assert {state.status for state in states} == {"under_review"}, figures
    assert timelines == {len(STATUSES): RECOMMENDATIONS}, figures
