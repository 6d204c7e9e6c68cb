"""Every topic replayed from offset 0, shuffled, onto itself: the bridge and every consumer see each event again
and out of order, and nothing changes — not the services' answers, not the inboxes, not the workflows."""

import json
import random
from typing import Any

from aiokafka import ConsumerRecord

from contracts.envelope import Role
from contracts.topics import LIFECYCLE, ROADMAPS, WORKING_GROUP
from sori_cli.stack.child import RunningStack
from tests.faults.letters import caught_up
from tests.faults.stacks import REVIEW_DUE_SECONDS
from tests.faults.story import all_in, draft_and_submit, inbox_rows, start_reviews, status_changes
from tests.faults.topics import Outgoing, produce, records
from tests.polling import eventually
from tests.support.journey import person, workflow_state

RECOMMENDATIONS = 3
REPLAYED = (ROADMAPS, WORKING_GROUP, LIFECYCLE)
INBOXES = ("progress", "roadmaps", "working_group", "social_approaches", "notifications")
READS = {
    "progress": "/progress/v1/recommendations/{}",
    "timeline": "/progress/v1/recommendations/{}/timeline",
    "roadmaps": "/roadmaps/v1/recommendations/{}",
    "working_group": "/working-group/v1/recommendations/{}",
}


async def snapshot(stack: RunningStack, recommendations: list[str]) -> dict[str, Any]:
    """What each service answers about them, what each inbox and workflow holds, which lifecycle events exist."""
    answers = {}
    for name, path in READS.items():
        service = "progress" if name == "timeline" else name
        reader = person(stack, service, Role.NALAS, "NALAS")
        answers[name] = [(await reader.call("GET", path.format(rec))) for rec in recommendations]
    lifecycle_ids = {e.id for e in await status_changes(stack, recommendations)}
    return {
        **answers,
        "inbox rows": {service: await inbox_rows(stack, service, lifecycle_ids) for service in INBOXES},
        "workflows": [await workflow_state(stack, rec) for rec in recommendations],
        "status_changed": sorted(lifecycle_ids),
    }


def replayable(record: ConsumerRecord[bytes, bytes]) -> Outgoing | None:
    """The record as it was, if it is an event (poison and markers from other scenarios stay out)."""
    try:
        is_event = "id" in json.loads(record.value or b"")
    except ValueError:
        return None
    return (record.key, record.value or b"", list(record.headers)) if is_event else None


async def clocks_fired(stack: RunningStack, recommendations: list[str]) -> bool:
    return all([(await workflow_state(stack, rec)).fired_clocks for rec in recommendations])


async def test_replaying_every_topic_shuffled_changes_no_effect(ready_stack: RunningStack) -> None:
    stack = ready_stack
    recommendations = await draft_and_submit(stack, RECOMMENDATIONS, "Replayed")
    await start_reviews(stack, recommendations)
    await all_in(stack, recommendations, "under_review")
    # Let the review clocks fire first, so that only the replay could change anything from here on.
    await eventually(lambda: clocks_fired(stack, recommendations), within=REVIEW_DUE_SECONDS + 60)
    await caught_up(stack, REPLAYED)
    before = await snapshot(stack, recommendations)

    seed = random.randrange(1_000_000)
    replayed = {}
    for topic in REPLAYED:
        messages = [m for m in map(replayable, await records(stack, topic)) if m is not None]
        random.Random(seed).shuffle(messages)
        await produce(stack, topic, messages)
        replayed[topic] = len(messages)
    await caught_up(stack, REPLAYED)
    after = await snapshot(stack, recommendations)

    changed = [part for part in before if before[part] != after[part]]
    figures = (
        f"replayed {replayed} (shuffled, seed {seed}) into the bridge and every consumer; "
        f"{RECOMMENDATIONS} recommendations, {len(before['status_changed'])} status_changed, "
        f"inbox rows {before['inbox rows']}; changed after the replay: {changed or 'nothing'}"
    )
    print(figures)
    assert not changed, figures
