"""Figure: `sori replay`'s rebuild rate on PostgreSQL — a backlog of lifecycle events replayed, as `sori replay`
does it (consumer group, big fetches, bulk writes), into progress' projection tables in a schema of their own."""

from dataclasses import replace
from uuid import uuid4

from services.progress.app import SPEC as PROGRESS
from services.progress.handlers import CONSUMER
from services.progress.models import projection_tables
from sori.db import Database
from sori.kafka import ensure_topics
from sori.settings import Settings
from sori_cli.bench.consumer import backlog, fill
from sori_cli.bench.measure import Figure
from sori_cli.replay import replay

GOAL = "≥ 20000 events/s"


async def replay_figure(settings: Settings, events: int) -> Figure:
    topic = f"sori_cli.bench-replay-{uuid4().hex[:8]}.v1"
    await ensure_topics(settings, [topic])
    await fill(settings.kafka_servers, topic, backlog(events))
    # A group and a schema of the replay's own: the stack's progress keeps its group, its topics and its tables.
    consumer = replace(CONSUMER, group=f"bench-replay-{uuid4().hex[:8]}", topics=(topic,))
    spec = replace(PROGRESS, name="bench_replay", consumer=consumer)
    try:
        report = await replay(settings, spec, projection_tables(), say=lambda _line: None)
    finally:
        db = Database(settings, spec.name, spec.metadata)
        await db.drop_schema()
        await db.dispose()
    return Figure(f"sori replay rebuilding from {events} events", report.rate, "events/s", goal=GOAL)
