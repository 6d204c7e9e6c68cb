"""The lifecycle's only way out: its events go into the workflows' outbox, idempotent by event id."""

import asyncio
from collections.abc import Sequence

from temporalio import activity

from contracts.envelope import Envelope
from contracts.registry import parse_event
from sori.db import Database
from sori.outbox import add_events
from workflows.messages import RecordLifecycleEvents


class LifecycleActivities:
    def __init__(self, db: Database) -> None:
        self.db = db
        # asyncio keeps only weak references to tasks: a write whose activity was cancelled is held here until done.
        self._writing: set[asyncio.Task[None]] = set()

    @activity.defn
    async def record_lifecycle_events(self, batch: RecordLifecycleEvents) -> int:
        envelopes = [parse_event(raw) for raw in batch.events]
        # Temporal cancels a local activity whose workflow leaves the worker's cache or whose task times out. A cancel
        # that lands inside a SQLite statement leaves the statement unfinalized, and its connection then keeps the
        # database's write lock until the garbage collector frees it: every later write failed "database is locked"
        # for minutes (seen with 80 lifecycles at once). So the write, once begun, runs to its end in a task of its
        # own, and only the wait for it is cancelled; a retry of the activity then adds nothing twice.
        writing = asyncio.create_task(self._record(envelopes, batch.trace_contexts or None))
        self._writing.add(writing)
        writing.add_done_callback(self._writing.discard)
        await asyncio.shield(writing)
        return len(envelopes)

    async def _record(self, envelopes: Sequence[Envelope], trace_contexts: Sequence[str | None] | None) -> None:
        async with self.db.transaction() as session:
            await add_events(session, envelopes, trace_contexts=trace_contexts)
