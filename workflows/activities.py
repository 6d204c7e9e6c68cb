"""The lifecycle's only way out: its events go into the workflows' outbox, idempotent by event id."""

from temporalio import activity

from contracts.registry import parse_event
from sori.db import Database
from sori.outbox import add_events
from workflows.messages import RecordLifecycleEvents


class LifecycleActivities:
    def __init__(self, db: Database) -> None:
        self.db = db

    @activity.defn
    async def record_lifecycle_events(self, batch: RecordLifecycleEvents) -> int:
        envelopes = [parse_event(raw) for raw in batch.events]
        async with self.db.transaction() as session:
            await add_events(session, envelopes, trace_contexts=batch.trace_contexts or None)
        return len(envelopes)
