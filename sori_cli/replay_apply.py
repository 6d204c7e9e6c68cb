"""Applying replayed events with a projection's own handlers, on rows kept in memory, many events to a transaction.

The tables start empty and only the replay writes them, so a row not in memory does not exist: nothing is read
back, and each commit writes, table by table in bulk, the rows changed since the one before. A commit is under way
while the next events are read and applied (the database's work and Python's then overlap); commits go one at a
time, in order.
"""

import asyncio
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Table

from contracts.envelope import Envelope
from contracts.registry import InvalidEvent, parse_event
from sori.db import Database
from sori.inbox import inbox_table
from sori.projection import ProjectionConsumer
from sori.rows import Row, Rows
from sori.upsert import upsert_all


class ReplayApplier:
    """Feeds raw events to the projection's handlers; the inbox it fills is the one the live consumer then checks."""

    def __init__(self, db: Database, consumer: ProjectionConsumer) -> None:
        self.db = db
        self.consumer = consumer
        self.rows = Rows(complete=True)
        self.seen: set[UUID] = set()
        self.uncommitted: list[Envelope] = []
        self.writing: asyncio.Task[None] | None = None
        self.events = self.applied = self.repeats = self.invalid = 0

    def apply(self, bodies: Sequence[bytes]) -> None:
        for body in bodies:
            self.events += 1
            try:
                event = parse_event(body)
            except InvalidEvent:
                self.invalid += 1  # the live consumer sent it to the dead-letter topic already
                continue
            if event.id in self.seen:
                self.repeats += 1
                continue
            self.seen.add(event.id)
            if self.consumer.takes(event.type):  # as live: only the events a handler takes are claimed in the inbox
                self._change(event)

    def _change(self, event: Envelope) -> None:
        try:
            self.consumer.change(self.rows, event)
        except InvalidEvent:
            # As live, an event its handler refuses leaves no trace (it went to the dead-letter topic): the rows go
            # back to the last commit and the events applied since are applied again.
            self.invalid += 1
            self.rows.roll_back()
            for earlier in self.uncommitted:
                self.consumer.change(self.rows, earlier)
            return
        self.uncommitted.append(event)
        self.applied += 1

    async def commit(self) -> None:
        """Start writing what changed since the last commit, once that one is written; it goes on in the background."""
        await self.written()
        # Copies: the handlers go on changing the rows while these are written.
        changes = [(change.table, [dict(row) for row in change.all()]) for change in self.rows.changes()]
        self.rows.stored()
        claimed = [{"consumer": self.consumer.group, "event_id": event.id} for event in self.uncommitted]
        self.uncommitted = []
        self.writing = asyncio.create_task(self._write([*changes, (inbox_table, claimed)]))

    async def written(self) -> None:
        """Every commit started is written (its failure raised here)."""
        writing, self.writing = self.writing, None
        if writing is not None:
            await writing

    async def abandon(self) -> None:
        """A commit still under way is cancelled: the replay failed."""
        if self.writing is not None:
            self.writing.cancel()
            await asyncio.gather(self.writing, return_exceptions=True)

    async def _write(self, changes: list[tuple[Table, list[Row]]]) -> None:
        async with self.db.transaction() as session:
            for table, rows in changes:
                await upsert_all(session, table, rows)
