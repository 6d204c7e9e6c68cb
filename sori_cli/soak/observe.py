"""What the stack holds at the end, read through the public APIs (and, for the workflows, Temporal's queries; for
the outboxes, each service's database): the values the reconciliation compares the journal with."""

from collections import Counter
from contextlib import suppress
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import MetaData, func, select
from sqlmodel import col
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from services.notifications.app import SPEC as NOTIFICATIONS
from services.notifications.models import Notice, Person
from sori.db import Database
from sori.outbox import OUTBOX, outbox_table
from sori.settings import Settings
from sori.temporal import connect_temporal
from sori_cli.migrate import all_specs
from sori_cli.soak.cast import Cast
from sori_cli.soak.dead_letters import valid_dead_letters
from sori_cli.soak.drive import ASSOCIATION
from sori_cli.soak.journal import Journal
from sori_cli.soak.lag import consumer_lag
from sori_cli.soak.replayed import differences, live, replayed
from sori_cli.soak.seen import Recommendation, Seen
from sori_cli.stack.view import StackView
from workflows.lifecycle import RecommendationLifecycle, workflow_id
from workflows.messages import LifecycleState

ALL_ROWS = 10_000
QUERY_TIMEOUT = timedelta(seconds=60)
RECOMMENDATIONS = "/progress/v1/recommendations"
MILESTONES = "/progress/v1/milestones"


QUERY_ATTEMPTS = 6


async def _state(handle: WorkflowHandle[RecommendationLifecycle, LifecycleState]) -> LifecycleState | None:
    try:
        return await handle.query(RecommendationLifecycle.state, rpc_timeout=QUERY_TIMEOUT)
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            return None
        raise


async def _workflow(client: Client, rec: str) -> LifecycleState | None:
    """The workflow's state. A worker still catching up (after a kill, or on the events every outbox sent again)
    answers a query only after the tasks before it, so a query that times out is asked again (six minutes in all)."""
    handle: WorkflowHandle[RecommendationLifecycle, LifecycleState]
    handle = client.get_workflow_handle_for(RecommendationLifecycle.run, workflow_id(UUID(rec)))
    for _ in range(QUERY_ATTEMPTS - 1):
        with suppress(RPCError):
            return await _state(handle)
    return await _state(handle)


async def recommendation(cast: Cast, client: Client, rec: str) -> Recommendation:
    found = Recommendation()
    state = await _workflow(client, rec)
    if state is not None and state.status is not None:
        found.workflow_status, found.workflow_version = state.status.value, state.version
        found.entries = [(str(e.event_id), e.event_type) for e in state.timeline]
        found.workflow_moves = [
            (e.event_type, e.from_status.value if e.from_status else None, e.to_status.value)
            for e in state.timeline
            if e.applied and e.to_status and e.to_status != e.from_status
        ]
    progress = await cast.observer.look(f"/progress/v1/recommendations/{rec}")
    timeline = await cast.observer.look(f"/progress/v1/recommendations/{rec}/timeline")
    if progress is not None and timeline is not None:
        found.progress_status = progress["status"]
        changes = timeline["changes"]
        found.progress_moves = [(c["cause_event_type"], c["from_status"], c["to_status"]) for c in changes]
        found.progress_event_ids = [str(c["event_id"]) for c in changes]
    service = await cast.lga.look(f"/roadmaps/v1/recommendations/{rec}")
    if service is not None:
        found.service_status, found.service_version = service["status"], service["version"]
    return found


async def _drafted_as(cast: Cast, title: str, projected: list[dict[str, Any]]) -> str | None:
    """The recommendation a lost draft made, if any: in its service, or else in progress' projection (the draft
    half made, its event out and its row not)."""
    page = await cast.lga.look("/roadmaps/v1/recommendations", q=title, limit=200)
    ids = [str(r["id"]) for r in (page or {}).get("items", []) if r["title"] == title]
    ids += [str(r["recommendation_id"]) for r in projected if r.get("title") == title]
    return ids[0] if ids else None


def stack_settings(stack: StackView) -> Settings:
    return Settings(SORI_HOME=stack.home, SORI_SCHEMA_PREFIX=stack.schema_prefix, DATABASE_URL=stack.database_url)


async def unpublished(stack: StackView) -> dict[str, int]:
    """Per service with an outbox: rows neither published nor parked (the broker refused a parked one for good)."""
    settings = stack_settings(stack)
    counts = {}
    for spec in all_specs():
        if OUTBOX not in spec.metadata.tables:
            continue
        db = Database(settings, spec.name, MetaData())
        try:
            async with db.reading() as session:
                pending = outbox_table.c.published_at.is_(None) & outbox_table.c.parked_at.is_(None)
                counts[spec.name] = int(
                    await session.scalar(select(func.count()).select_from(outbox_table).where(pending)) or 0
                )
        finally:
            await db.dispose()
    return counts


async def notices(stack: StackView, sub: str) -> dict[str, Counter[str]]:
    """The notices this person has, by recommendation and kind (from the notifications database: an inbox page
    shows only the newest)."""
    db = Database(stack_settings(stack), NOTIFICATIONS.name, MetaData())
    try:
        async with db.reading() as session:
            person = select(col(Person.id)).where(col(Person.sub) == sub).scalar_subquery()
            told = select(col(Notice.recommendation_id), col(Notice.kind)).where(col(Notice.person_id) == person)
            rows = (await session.execute(told)).all()
    finally:
        await db.dispose()
    found: dict[str, Counter[str]] = {}
    for rec, kind in rows:
        found.setdefault(str(rec), Counter())[kind] += 1
    return found


async def _programme(cast: Cast, journal: Journal, seen: Seen) -> None:
    rows: list[dict[str, Any]] = (await cast.observer.look("/progress/v1/actions", limit=ALL_ROWS) or {}).get(
        "items", []
    )
    for action in journal.actions:
        seen.action_stages[action] = [r["stage"] for r in rows if str(r["action_id"]) == action]
    seen.unsound_actions = sum(1 for r in rows if str(r.get("title", "")).endswith("(unsound)"))
    for mapping, (lg, topic) in journal.mappings.items():
        listed = await cast.lgs[lg].look("/social-approaches/v1/mappings", local_government=lg, topic=topic)
        seen.mappings[mapping] = [m["status"] for m in listed or []]


async def _dashboard(cast: Cast) -> list[tuple[str, int, int]]:
    """The dashboard's funnel and milestones per local government, each beside the list that counts the same."""
    board = await cast.observer.look("/progress/v1/dashboard") or {}
    if not board:
        return [("the dashboard", -1, 0)]

    async def total(path: str, **filters: str) -> int:
        return int((await cast.observer.look(path, limit=1, **filters) or {}).get("total", -1))

    counted = [("recommendations", board["totals"]["total"], await total(RECOMMENDATIONS))]
    for status, n in board["totals"]["by_status"].items():
        counted.append((f"recommendations {status}", n, await total(RECOMMENDATIONS, status=status)))
    for lg in board["milestones_by_local_government"]:
        code = lg["local_government"]
        counted.append((f"milestones of {code}", lg["planned"], await total(MILESTONES, lg=code)))
    return counted


async def observe(stack: StackView, cast: Cast, journal: Journal, seen: Seen) -> None:
    """Fill `seen` (whose process and memory figures the runner took) with what the stack holds now."""
    client = await connect_temporal(Settings(TEMPORAL_ADDRESS=stack.document["temporal_address"]))
    projected = (await cast.observer.look(RECOMMENDATIONS, limit=ALL_ROWS) or {}).get("items", [])
    for title in journal.lost_drafts:
        seen.lost_drafts[title] = await _drafted_as(cast, title, projected)
    found_drafts = [rec for rec in seen.lost_drafts.values() if rec]
    told = await notices(stack, ASSOCIATION)
    for rec in dict.fromkeys([*journal.recommendations, *found_drafts]):
        seen.recommendations[rec] = await recommendation(cast, client, rec)
        seen.recommendations[rec].notices = dict(told.get(rec, {}))
    for rec in journal.strangers:
        seen.strangers[rec] = await recommendation(cast, client, rec)
    await _programme(cast, journal, seen)
    bootstrap = stack.document["kafka_bootstrap_servers"]
    seen.dlq_topics, seen.dead_letters = await valid_dead_letters(bootstrap)
    seen.unpublished = await unpublished(stack)
    seen.lag = await consumer_lag(bootstrap)
    seen.dashboard = await _dashboard(cast)
    # The replay reads the topics before the live tables: an event that lands in between is in the tables only,
    # which the next reconciliation sees again (a difference that lasts is one the consumers made).
    again = await replayed(stack_settings(stack), bootstrap)
    seen.replayed_rows, seen.unlike_replay = differences(await live(stack_settings(stack)), again)
