"""The Temporal dev server dies and the supervisor restarts it on its SQLite file: running workflows go on taking
events, and the review clocks started before the restart still fire, once each."""

from collections import Counter
from datetime import UTC, datetime

from contracts.lifecycle import ReviewOverdue
from contracts.topics import LIFECYCLE
from sori_cli.stack.child import RunningStack
from tests.faults.parts import all_ready, kill, restarted
from tests.faults.stacks import REVIEW_DUE_SECONDS
from tests.faults.story import all_in, draft_and_submit, start_reviews
from tests.faults.topics import Event, events
from tests.polling import eventually

RECOMMENDATIONS = 3


async def overdue_notices(stack: RunningStack, recommendations: list[str]) -> list[Event]:
    return [e for e in await events(stack, LIFECYCLE, recommendations) if e.type == ReviewOverdue.TYPE]


async def test_workflows_and_their_clocks_go_on_after_temporal_restarts(ready_stack: RunningStack) -> None:
    stack = ready_stack
    recommendations = await draft_and_submit(stack, RECOMMENDATIONS, "Temporal restarted")
    await all_in(stack, recommendations, "submitted")

    killed_at = datetime.now(UTC)
    killed = kill(stack, "temporal")
    await restarted(stack, "temporal", killed)
    await all_ready(stack)
    await start_reviews(stack, recommendations)
    moved = await all_in(stack, recommendations, "under_review")

    notices = await eventually(
        lambda: overdue_notices(stack, recommendations),
        until=lambda found: len({e.id for e in found}) >= RECOMMENDATIONS,
        within=REVIEW_DUE_SECONDS + 60,
    )
    per_recommendation = Counter(e.subject for e in {e.id: e for e in notices}.values())
    due = [datetime.fromisoformat(e.data["due_at"]) for e in notices]
    pending_at_kill = sum(moment > killed_at for moment in due)
    late = [moment - datetime.fromisoformat(e.data["submitted_at"]) for moment, e in zip(due, notices, strict=True)]
    figures = (
        f"{RECOMMENDATIONS} recommendations: {pending_at_kill} review clocks pending at the kill; after the restart"
        f" {dict(moved)}, {len(notices)} review_overdue, per recommendation {sorted(per_recommendation.values())}"
    )
    print(figures)

    assert pending_at_kill == len(notices), figures
    assert per_recommendation == dict.fromkeys(recommendations, 1), figures
    assert {d.total_seconds() for d in late} == {REVIEW_DUE_SECONDS}, figures
