"""`sori status`: where a recommendation stands and how it got there, asked of its workflow."""

import json
from textwrap import indent
from uuid import UUID

from pydantic import TypeAdapter
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from sori.settings import Settings
from sori.temporal import connect_temporal
from sori_cli.stack.report import STACK_FILE
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import LifecycleState, MilestoneState, TimelineEntry


def _with_running_stack(settings: Settings) -> Settings:
    """Outside `sori up`'s children, TEMPORAL_ADDRESS comes from the running stack's stack.json."""
    stack_file = settings.home / STACK_FILE
    if not settings.temporal_address and stack_file.exists():
        settings.temporal_address = json.loads(stack_file.read_text())["temporal_address"]
    return settings


def _timeline_line(entry: TimelineEntry) -> str:
    if entry.applied and entry.to_status:
        moved = f"{entry.from_status.value if entry.from_status else '—'} → {entry.to_status.value}"
    else:
        moved = f"refused: {entry.reason}"
    who = f"{entry.actor.org}/{entry.actor.role.value} ({entry.actor.sub})"
    kind = entry.event_type.removeprefix("sori.").rsplit(".", 1)[0]
    line = f"  {entry.time:%Y-%m-%d %H:%M}  {kind:<46} {moved:<40} {who}"
    return "\n".join([line, *(_said_line(words) for words in entry.comments)])


def _said_line(words: str) -> str:
    """What the entry's event said, quoted under it; a text of several lines keeps them, indented alike."""
    return indent(f"“{words}”", " " * 20)


def _milestone_line(milestone: MilestoneState) -> str:
    latest = milestone.reports[-1].status if milestone.reports else "not reported"
    done = "done" if milestone.done else latest
    return f"  {milestone.due_date}  {milestone.local_government:<14} {done:<13} {milestone.title}"


def render(state: LifecycleState) -> str:
    status = state.status.value if state.status else "not yet drafted"
    lines = [
        f"recommendation {state.code or ''} {state.recommendation_id}".replace("  ", " "),
        f"title    {state.title or '—'}",
        f"status   {status} (text version {state.version}, association {state.association or '—'})",
    ]
    if state.reviewers:
        lines.append(f"reviewers {', '.join(state.reviewers)}")
    if state.milestones:
        lines += ["", "milestones (due, local government, state, title)"]
        lines += [_milestone_line(m) for m in state.milestones]
    if state.fired_clocks:
        lines += ["", "clocks that have fired"]
        lines += [f"  {key.split(':', 1)[0]}" for key in state.fired_clocks]
    lines += ["", "timeline"]
    lines += [_timeline_line(entry) for entry in state.timeline]
    return "\n".join(lines)


async def show_status(settings: Settings, recommendation_id: str, *, as_json: bool = False) -> int:
    try:
        rec = UUID(recommendation_id)
    except ValueError:
        print(f"'{recommendation_id}' is not a recommendation id (a UUID)")
        return 2
    try:
        client = await connect_temporal(_with_running_stack(settings))
    except RuntimeError as exc:
        print(f"{exc}; is `sori up` running?")
        return 1
    handle: WorkflowHandle[RecommendationLifecycle, LifecycleState]
    handle = client.get_workflow_handle_for(RecommendationLifecycle.run, workflow_id(rec))
    try:
        state = await handle.query(RecommendationLifecycle.state)
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            print(f"no lifecycle is known for recommendation {rec}")
            return 1
        raise
    if as_json:
        print(TypeAdapter(LifecycleState).dump_json(state, indent=2).decode())
    else:
        print(render(state))
    return 0
