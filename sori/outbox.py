"""Transactional outbox: an event is a row committed with the change it describes; a relay publishes it."""

import asyncio
import os
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import structlog
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Uuid,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from contracts.topics import topic_for
from sori.db import note_written
from sori.metrics import OUTBOX_PENDING
from sori.telemetry import current_trace_context
from sori.upsert import insert_all_new

OUTBOX = "outbox"
# What a transaction notes (sori.db.note_written) when it queues events, so that the relay wakes for it.
QUEUED_EVENTS = "outbox events"
# For the fault tests: a relay whose service has a file of its name in this folder sends nothing while it is there,
# which holds committed events between commit and publish (the moment a crash would lose them without an outbox).
FAULT_HOLDS = "SORI_FAULT_OUTBOX_HOLDS"
log = structlog.get_logger()


def add_outbox_table(metadata: MetaData) -> Table:
    return Table(
        OUTBOX,
        metadata,
        Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("topic", String(100), nullable=False),
        Column("key", String(100), nullable=False),
        Column("type", String(150), nullable=False),
        Column("body", LargeBinary, nullable=False),
        Column("trace_context", String(100), nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Index("ix_outbox_unpublished", "published_at", "seq"),
    )


# Every service's outbox has this shape, so statements built on this copy run against any of them.
outbox_table = add_outbox_table(MetaData())


def outbox_row(envelope: Envelope, key: str, trace_context: str | None) -> dict[str, object]:
    return {
        "event_id": envelope.id,
        "topic": topic_for(envelope.type),
        "key": key,
        "type": envelope.type,
        "body": envelope.to_json(),
        "trace_context": trace_context,
    }


async def add_event(session: AsyncSession, envelope: Envelope, *, key: str | None = None) -> None:
    """Queue an event in the caller's transaction; the Kafka key defaults to the event's subject."""
    await add_events(session, [envelope], key=key)


async def add_events(
    session: AsyncSession,
    envelopes: Sequence[Envelope],
    *,
    key: str | None = None,
    trace_contexts: Sequence[str | None] | None = None,
) -> None:
    """Queue events, skipping any whose id is already queued, so that a retried writer adds nothing twice.

    Each row keeps the trace it was caused in: the current one, unless the caller names one per event.
    """
    if not envelopes:
        return
    traces = list(trace_contexts) if trace_contexts is not None else [current_trace_context()] * len(envelopes)
    rows = [outbox_row(e, key or e.subject, t) for e, t in zip(envelopes, traces, strict=True)]
    await insert_all_new(session, outbox_table, rows)
    note_written(session, QUEUED_EVENTS)


async def republish(session: AsyncSession) -> int:
    """Mark every row unpublished, so that the relay sends the whole history again, in commit order.

    For a broker that has lost its topics: consumers see events again, and their inbox skips what they had applied.
    """
    return int(getattr(await session.execute(update(outbox_table).values(published_at=None)), "rowcount", 0))


@dataclass(frozen=True)
class OutboxMessage:
    seq: int
    topic: str
    key: str
    type: str
    event_id: str
    body: bytes
    trace_context: str | None = None


class EventSink(Protocol):
    async def send(self, messages: Sequence[OutboxMessage]) -> None:
        """Deliver every message or raise; the relay marks them published only after this returns."""


class OutboxRelay:
    """Publishes unpublished rows in commit order, in batches; retries with backoff while the broker is down."""

    def __init__(self, sessions: "SessionFactory", sink: EventSink, batch_size: int, service: str = "") -> None:
        self.table = outbox_table
        self.pending_gauge = OUTBOX_PENDING.labels(service)
        self.sessions = sessions
        self.sink = sink
        self.batch_size = batch_size
        self.service = service
        self._wake = asyncio.Event()
        self.published = 0

    def wake(self) -> None:
        self._wake.set()

    async def publish_pending(self) -> int:
        if self._held():
            return 0
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    select(self.table)
                    .where(self.table.c.published_at.is_(None))
                    .order_by(self.table.c.seq)
                    .limit(self.batch_size)
                )
            ).all()
            if not rows:
                return 0
            messages = [
                OutboxMessage(r.seq, r.topic, r.key, r.type, str(r.event_id), bytes(r.body), r.trace_context)
                for r in rows
            ]
            await self.sink.send(messages)
            await session.execute(
                update(self.table)
                .where(self.table.c.seq.in_([m.seq for m in messages]))
                .values(published_at=datetime.now(UTC))
            )
            await session.commit()
        self.published += len(messages)
        return len(messages)

    def _held(self) -> bool:
        holds = os.environ.get(FAULT_HOLDS)
        return holds is not None and (Path(holds) / self.service).exists()

    async def pending(self) -> int:
        async with self.sessions() as session:
            count = await session.scalar(
                select(func.count()).select_from(self.table).where(self.table.c.published_at.is_(None))
            )
            return int(count or 0)

    async def run(self, poll_seconds: float, max_backoff: float = 5.0) -> None:
        backoff = poll_seconds
        while True:
            # Cleared before the round, not before the wait: a commit that lands while the round runs, after its
            # SELECT, must bring another round at once rather than wait for the fallback poll.
            self._wake.clear()
            try:
                sent = await self.publish_pending()
                backoff = poll_seconds
                # A short batch emptied the outbox; a full one means a backlog worth counting.
                self.pending_gauge.set(await self.pending() if sent == self.batch_size else 0)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("outbox relay could not publish; retrying", error=repr(exc), retry_in=backoff)
                with suppress(Exception):
                    self.pending_gauge.set(await self.pending())
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            if sent < self.batch_size:
                await self._idle(poll_seconds)

    async def _idle(self, seconds: float) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that arrives as the wait
        # ends, and the relay would then never stop.
        with suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()


class SessionFactory(Protocol):
    def __call__(self) -> AsyncSession: ...
