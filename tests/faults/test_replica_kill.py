"""One of progress' two replicas is killed (kill -9) while recommendations are drafted and submitted: the other
answers throughout, the consumer group hands it the dead one's partitions until the supervisor has it back, and
every recommendation ends projected whole (roadmaps' facts and the lifecycle's, which the two replicas may hear at
once), each event applied once."""

from contracts.envelope import Role
from sori_cli.stack.child import RunningStack
from tests.faults.parts import all_ready, kill, restarted
from tests.faults.story import draft_and_submit, drafted_and_submitted, inbox_rows
from tests.polling import eventually
from tests.support.journey import person

RECOMMENDATIONS = 4
TITLE = "While a progress replica is down"


async def test_progress_goes_on_through_its_other_replica_and_keeps_every_fact(ready_stack: RunningStack) -> None:
    stack = ready_stack
    assert {"progress-2", "working_group-2"} <= set(stack.document["services"]), "the fault tier runs two replicas"
    killed = kill(stack, "progress")
    recommendations = await draft_and_submit(stack, RECOMMENDATIONS, TITLE)

    survivor = person(stack, "progress-2", Role.OBSERVER, "OBSERVER")
    for rec in recommendations:
        await survivor.until(f"/progress/v1/recommendations/{rec}", "status", "submitted", within=120)
    await restarted(stack, "progress", killed)
    await all_ready(stack)
    domain, changes = await drafted_and_submitted(stack, recommendations)
    applied = {e.id for e in domain + changes}
    await eventually(lambda: inbox_rows(stack, "progress", applied), until=lambda rows: rows == len(applied))

    projected = [await survivor.call("GET", f"/progress/v1/recommendations/{rec}") for rec in recommendations]
    assert [(p["status"], p["title"], p["code"] is not None, p["language"]) for p in projected] == [
        ("submitted", f"{TITLE} {n + 1}", True, "en") for n in range(RECOMMENDATIONS)
    ]
