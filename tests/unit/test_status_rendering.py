"""`sori status` prints a lifecycle so that a person can read it."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from tests.support import events as e
from workflows.machine import LifecycleMachine
from workflows.messages import LifecycleClocks, LifecycleState

pytestmark = pytest.mark.unit


def test_status_shows_state_milestones_clocks_and_refusals() -> None:
    from sori_cli.status import render

    rec = uuid4()
    plan = e.plan(2)
    machine = LifecycleMachine(LifecycleState(recommendation_id=rec), LifecycleClocks())
    now = datetime.now(UTC)
    for event in (e.drafted(rec), e.submitted(rec), e.review_started(rec), e.endorsed(rec), e.assigned(rec, plan)):
        machine.apply(event, now)
    machine.apply(e.reported(rec, plan[0]), now)
    machine.apply(e.verified(rec), now)
    machine.fire_due_clocks(datetime(2100, 1, 1, tzinfo=UTC))

    printed = render(machine.state)

    assert "status   in_implementation (text version 1, association ZELS)" in printed
    assert f"{plan[0].due_date}  {plan[0].local_government:<14} done" in printed
    assert f"{plan[1].due_date}  {plan[1].local_government:<14} not reported" in printed
    assert "milestone_escalated" in printed
    assert "endorsed → in_implementation" in printed
    assert "refused: sori.working_group.recommendation.verified.v1 is not allowed while in_implementation" in printed


def test_status_shows_what_the_working_group_asked_under_its_timeline_entry() -> None:
    from sori_cli.status import render

    rec = uuid4()
    machine = LifecycleMachine(LifecycleState(recommendation_id=rec), LifecycleClocks())
    now = datetime.now(UTC)
    for event in (e.drafted(rec), e.submitted(rec), e.review_started(rec), e.changes_requested(rec)):
        machine.apply(event, now)

    printed = render(machine.state).splitlines()

    moved = next(i for i, line in enumerate(printed) if "under_review → changes_requested" in line)
    assert printed[moved + 1].strip() == "“Add data”"
