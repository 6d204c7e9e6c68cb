"""`sori status`: where a recommendation stands and how it got there, asked of its workflow."""

import json
from uuid import UUID

from temporalio.service import RPCError, RPCStatusCode

from sori.settings import Settings
from sori.temporal import connect_temporal
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import LifecycleState


def _with_running_stack(settings: Settings) -> Settings:
    """Outside `sori up`'s children, TEMPORAL_ADDRESS comes from the running stack's stack.json."""
    stack_file = settings.home / "stack.json"
    if not settings.temporal_address and stack_file.exists():
        settings.temporal_address = json.loads(stack_file.read_text())["temporal_address"]
    return settings


def render(state: LifecycleState) -> str:
    status = state.status.value if state.status else "not yet drafted"
    lines = [f"recommendation {state.recommendation_id}", f"status   {status} (text version {state.version})", ""]
    lines.append("timeline")
    for entry in state.timeline:
        moved = (
            f"{entry.from_status.value if entry.from_status else '—'} → {entry.to_status.value}"
            if entry.to_status
            else f"refused: {entry.reason}"
        )
        who = f"{entry.actor.org}/{entry.actor.role.value} ({entry.actor.sub})"
        lines.append(f"  {entry.time:%Y-%m-%d %H:%M:%S}  {entry.event_type.split('.')[-2]:<12} {moved:<30} {who}")
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
    handle = client.get_workflow_handle_for(RecommendationLifecycle.run, workflow_id(rec))
    try:
        state = await handle.query(RecommendationLifecycle.state)
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            print(f"no lifecycle is known for recommendation {rec}")
            return 1
        raise
    if as_json:
        from pydantic import TypeAdapter

        print(TypeAdapter(LifecycleState).dump_json(state, indent=2).decode())
    else:
        print(render(state))
    return 0
