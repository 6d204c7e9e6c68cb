"""The commands of the fault scenarios, through the public HTTP APIs: an association drafts and submits
recommendations, the working group starts reviewing them; and what each service then holds."""

from collections import Counter
from uuid import UUID

import httpx
from sqlalchemy import MetaData, func, select

from contracts.envelope import Role
from contracts.lifecycle import StatusChanged, TransitionRejected
from contracts.topics import LIFECYCLE, ROADMAPS
from sori.db import Database
from sori.inbox import inbox_table
from sori.outbox import outbox_table
from sori.settings import Settings
from sori_cli.stack.child import RunningStack
from tests.faults.topics import Event, events
from tests.polling import eventually
from tests.support.journey import person, zels_roadmap


async def draft_and_submit(stack: RunningStack, count: int, title: str) -> list[str]:
    """`count` new recommendations, each drafted and submitted (every call answered 2xx); their ids."""
    lga = person(stack, "roadmaps", Role.LGA, "ZELS")
    roadmap = await zels_roadmap(lga)
    ids = []
    for n in range(count):
        body = {"title": f"{title} {n + 1}", "language": "en"}
        created = await lga.call("POST", f"/roadmaps/v1/roadmaps/{roadmap}/recommendations", json=body)
        await lga.call("POST", f"/roadmaps/v1/recommendations/{created['id']}/submit")
        ids.append(created["id"])
    return ids


async def start_reviews(stack: RunningStack, recommendations: list[str]) -> None:
    """The working group starts reviewing each, once it has heard that it was submitted."""
    wg = person(stack, "working_group", Role.NALAS, "NALAS")
    for rec in recommendations:
        await wg.until(f"/working-group/v1/recommendations/{rec}", "status", "submitted", within=90)
        await wg.call("POST", f"/working-group/v1/recommendations/{rec}/review", json={})


async def statuses(stack: RunningStack, recommendations: list[str]) -> Counter[str]:
    """How many of them the progress API shows in each status."""
    observer = person(stack, "progress", Role.OBSERVER, "OBSERVER")
    found: Counter[str] = Counter()
    for rec in recommendations:
        try:
            response = await observer.http.get(f"/progress/v1/recommendations/{rec}")
        except httpx.TransportError:  # progress restarting, e.g. after a broker restart
            found["unreachable"] += 1
            continue
        found[response.json()["status"] if response.status_code == 200 else "unknown"] += 1
    return found


async def all_in(stack: RunningStack, recommendations: list[str], status: str, within: float = 90) -> Counter[str]:
    return await eventually(
        lambda: statuses(stack, recommendations), until=lambda c: c[status] == len(recommendations), within=within
    )


async def status_changes(stack: RunningStack, recommendations: list[str]) -> list[Event]:
    found = await events(stack, LIFECYCLE, recommendations)
    return [e for e in found if e.type == StatusChanged.TYPE]


async def drafted_and_submitted(stack: RunningStack, recommendations: list[str]) -> tuple[list[Event], list[Event]]:
    """Once every one is on its topic: the records of each recommendation's drafted and submitted facts (roadmaps'
    topic), and of the two status changes they caused (the lifecycle's), repeats included."""
    domain = await eventually(
        lambda: events(stack, ROADMAPS, recommendations),
        until=lambda found: len({e.id for e in found}) == 2 * len(recommendations),
    )
    changes = await eventually(
        lambda: status_changes(stack, recommendations),
        until=lambda found: len({e.id for e in found}) == 2 * len(recommendations),
    )
    return domain, changes


async def refusals(stack: RunningStack, recommendations: list[str]) -> int:
    """transition_rejected events about them: one would mean an event came out of order and was refused."""
    found = await events(stack, LIFECYCLE, recommendations)
    return len({e.id for e in found if e.type == TransitionRejected.TYPE})


def emissions(changes: list[Event]) -> Counter[tuple[str, str]]:
    """Distinct status_changed events per (recommendation, status reached): 1 each when nothing was emitted twice."""
    distinct = {e.id: e for e in changes}.values()
    return Counter((e.subject, e.data["to_status"]) for e in distinct)


def _database(stack: RunningStack, service: str) -> Database:
    settings = Settings(SORI_HOME=stack.home, SORI_SCHEMA_PREFIX=stack.schema_prefix, DATABASE_URL=stack.database_url)
    return Database(settings, service, MetaData())


async def inbox_rows(stack: RunningStack, service: str, event_ids: set[str]) -> int:
    """Rows in `service`'s inbox for these events: each one applied once is one row."""
    db = _database(stack, service)
    try:
        async with db.reading() as session:
            ids = [UUID(i) for i in event_ids]
            count = await session.scalar(
                select(func.count()).select_from(inbox_table).where(inbox_table.c.event_id.in_(ids))
            )
    finally:
        await db.dispose()
    return int(count or 0)


async def unpublished(stack: RunningStack, service: str, subjects: list[str]) -> int:
    """Rows about these subjects that `service`'s outbox holds but its relay has not yet published."""
    db = _database(stack, service)
    try:
        async with db.reading() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(outbox_table)
                .where(outbox_table.c.key.in_(subjects), outbox_table.c.published_at.is_(None))
            )
    finally:
        await db.dispose()
    return int(count or 0)
