"""The lifecycle's ways out, and its one look at what it must not hold itself: its events go into the workflows'
outbox, idempotent by event id; its end into the closed lifecycles; the bridge's proofs are checked with the key."""

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from contracts.registry import parse_event
from sori.db import Database
from sori.outbox import add_events
from workflows.messages import CheckProvenance, ClosedLifecycle, RecordLifecycleEvents
from workflows.provenance import NO_PROOF, is_proven
from workflows.tables import record_closed

log = structlog.get_logger()


class LifecycleActivities:
    def __init__(self, db: Database, key: bytes) -> None:
        self.db = db
        self.key = key
        # asyncio keeps only weak references to tasks: a write whose activity was cancelled is held here until done.
        self._writing: set[asyncio.Task[None]] = set()

    @activity.defn
    async def record_lifecycle_events(self, batch: RecordLifecycleEvents) -> int:
        envelopes = [parse_event(raw) for raw in batch.events]
        trace_contexts = batch.trace_contexts or None
        await self._write_to_the_end(lambda session: add_events(session, envelopes, trace_contexts=trace_contexts))
        return len(envelopes)

    @activity.defn
    async def record_closed(self, closed: ClosedLifecycle) -> None:
        await self._write_to_the_end(lambda session: record_closed(session, closed))

    @activity.defn
    async def check_provenance(self, check: CheckProvenance) -> list[bool]:
        """Which events carry the bridge's proof. A local activity: its answer is in the history, so a replay reads
        the verdict given then and needs no key (nor the same key, after a rotation)."""
        rid = check.recommendation_id
        verdicts = [is_proven(self.key, e.event_id, e.event_type, rid, e.proof) for e in check.events]
        refused = [str(e.event_id) for e, proven in zip(check.events, verdicts, strict=True) if not proven]
        if refused:
            log.warning("lifecycle events refused", reason=NO_PROOF, recommendation=str(rid), event_ids=refused)
        return verdicts

    async def _write_to_the_end(self, write: Callable[[AsyncSession], Awaitable[None]]) -> None:
        # Temporal cancels a local activity whose workflow leaves the worker's cache or whose task times out. A cancel
        # that lands inside a SQLite statement leaves the statement unfinalized, and its connection then keeps the
        # database's write lock until the garbage collector frees it: every later write failed "database is locked"
        # for minutes (seen with 80 lifecycles at once). So the write, once begun, runs to its end in a task of its
        # own, and only the wait for it is cancelled; a retry of the activity then adds nothing twice.
        writing = asyncio.create_task(self._write(write))
        self._writing.add(writing)
        writing.add_done_callback(self._writing.discard)
        await asyncio.shield(writing)

    async def _write(self, write: Callable[[AsyncSession], Awaitable[None]]) -> None:
        async with self.db.transaction() as session:
            await write(session)
