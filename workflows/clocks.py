"""The lifecycle's clocks, computed from its state: review due, drafts idle, milestone reminders and escalation.

Each clock has a key that names what it is about (the submission, the drafting spell, the milestone and its due
date), so that it fires once, and a rescheduled due date makes new clocks rather than moving fired ones.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from contracts.lifecycle import RecommendationStatus as S
from workflows.messages import LifecycleClocks, LifecycleState, MilestoneState
from workflows.transitions import DRAFTING

REVIEW_OVERDUE = "review_overdue"
DRAFT_IDLE = "draft_idle"
MILESTONE_DUE_SOON = "milestone_due_soon"
MILESTONE_OVERDUE = "milestone_overdue"
MILESTONE_ESCALATED = "milestone_escalated"


@dataclass(frozen=True)
class Clock:
    kind: str
    key: str
    at: datetime
    milestone: MilestoneState | None = None


def due_moment(milestone: MilestoneState, clocks: LifecycleClocks) -> datetime:
    """When a milestone becomes overdue: by default once its due day (UTC) has passed."""
    return datetime.combine(milestone.due_date, time(0), UTC) + clocks.milestone_overdue_after


def clocks_of(state: LifecycleState, clocks: LifecycleClocks) -> list[Clock]:
    result: list[Clock] = []
    if state.status in DRAFTING and state.drafting_since:
        since = state.drafting_since
        result.append(Clock(DRAFT_IDLE, f"{DRAFT_IDLE}:{since.isoformat()}", since + clocks.draft_idle_after))
    if state.status in (S.SUBMITTED, S.UNDER_REVIEW) and state.submitted_at:
        submitted = state.submitted_at
        key = f"{REVIEW_OVERDUE}:{submitted.isoformat()}"
        result.append(Clock(REVIEW_OVERDUE, key, submitted + clocks.review_due_after))
    if state.status is S.IN_IMPLEMENTATION:
        for milestone in state.milestones:
            if not milestone.done:
                result.extend(_milestone_clocks(milestone, clocks))
    return result


def _milestone_clocks(milestone: MilestoneState, clocks: LifecycleClocks) -> list[Clock]:
    due = due_moment(milestone, clocks)
    moments = {
        MILESTONE_DUE_SOON: due - clocks.milestone_reminder_before,
        MILESTONE_OVERDUE: due,
        MILESTONE_ESCALATED: due + clocks.escalation_after,
    }
    return [
        Clock(kind, f"{kind}:{milestone.milestone_id}:{milestone.due_date.isoformat()}", at, milestone)
        for kind, at in moments.items()
    ]


def pending(state: LifecycleState, clocks: LifecycleClocks) -> list[Clock]:
    fired = set(state.fired_clocks)
    return sorted((c for c in clocks_of(state, clocks) if c.key not in fired), key=lambda c: c.at)
