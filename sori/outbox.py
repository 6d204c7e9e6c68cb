"""Transactional outbox: an event is a row committed with the change it describes; a relay publishes it."""

import asyncio
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from uuid import UUID

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
from sqlalchemy.sql.elements import ColumnElement

from contracts.envelope import Envelope
from sori.db import note_written
from sori.metrics import OUTBOX_PARKED, OUTBOX_PENDING
from sori.telemetry import current_trace_context
from sori.upsert import insert_all_new

OUTBOX = "outbox"
# What a transaction notes (sori.db.note_written) when it queues events, so that the relay wakes for it.
QUEUED_EVENTS = "outbox events"
# For the fault tests: a relay whose service has a file of its name in this folder sends nothing while it is there,
# which holds committed events between commit and publish (the moment a crash would lose them without an outbox).
FAULT_HOLDS = "SORI_FAULT_OUTBOX_HOLDS"
# How much of a refusal a parked row keeps, and how often a relay counts its parked rows again (an operator may have
# re-queued one from another process, see `sori outbox`).
PARKED_REASON_CHARS = 1000
PARKED_RECOUNT_SECONDS = 15.0
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
        # Set when the broker refused the row for good: the relay sends it no more until an operator re-queues it.
        Column("parked_at", DateTime(timezone=True), nullable=True),
        Column("parked_reason", String(PARKED_REASON_CHARS), nullable=True),
        Index("ix_outbox_unpublished", "published_at", "seq"),
        Index("ix_outbox_parked", "parked_at", "key"),
    )


# Every service's outbox has this shape, so statements built on this copy run against any of them.
outbox_table = add_outbox_table(MetaData())
# The keys of parked rows: their later rows wait behind them, so that no consumer sees a recommendation's later event
# before the one it follows.
parked_keys = select(outbox_table.c.key).where(outbox_table.c.parked_at.is_not(None))


def outbox_row(envelope: Envelope, key: str, trace_context: str | None) -> dict[str, object]:
    return {
        "event_id": envelope.id,
        "topic": envelope.data.TOPIC,
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


@dataclass
class SendOutcome:
    """What became of a batch: the rows the broker acknowledged, those it refused for good (with why), and the error
    that stopped the rest, to be tried again; a key's rows after one refused or stopped were not sent."""

    sent: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)
    failure: Exception | None = None

    @classmethod
    def combined(cls, outcomes: Iterable["SendOutcome"]) -> "SendOutcome":
        whole = cls()
        for outcome in outcomes:
            whole.sent += outcome.sent
            whole.refused.update(outcome.refused)
            whole.failure = whole.failure or outcome.failure
        return whole


class EventSink(Protocol):
    async def send(self, messages: Sequence[OutboxMessage]) -> SendOutcome:
        """Deliver the messages, a key's in order; raising means none was delivered."""


class OutboxRelay:
    """Publishes unpublished rows in commit order, in batches; retries with backoff while the broker is down."""

    def __init__(self, sessions: "SessionFactory", sink: EventSink, batch_size: int, service: str = "") -> None:
        self.table = outbox_table
        self.pending_gauge = OUTBOX_PENDING.labels(service)
        self.parked_gauge = OUTBOX_PARKED.labels(service)
        self._parked_counted_at = -PARKED_RECOUNT_SECONDS
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
                    .where(
                        self.table.c.published_at.is_(None),
                        self.table.c.parked_at.is_(None),
                        self.table.c.key.not_in(parked_keys),
                    )
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
            outcome = await self.sink.send(messages)
            # What the broker took is marked even when a row failed: sent again, it would land twice.
            await _mark(session, outcome)
            await session.commit()
        self.published += len(outcome.sent)
        if outcome.refused:
            self._note_parked(messages, outcome.refused)
            await self.count_parked()
        if outcome.failure is not None:
            raise outcome.failure
        return len(messages)

    def _note_parked(self, messages: Sequence[OutboxMessage], refused: Mapping[int, str]) -> None:
        for m in messages:
            if m.seq in refused:
                log.error(
                    "outbox row refused for good; parked (see `sori outbox`)",
                    service=self.service,
                    event_id=m.event_id,
                    type=m.type,
                    key=m.key,
                    reason=refused[m.seq],
                )

    async def count_parked(self) -> int:
        async with self.sessions() as session:
            parked = await _count(session, self.table.c.parked_at.is_not(None))
        self.parked_gauge.set(parked)
        self._parked_counted_at = time.monotonic()
        return parked

    async def readiness_warning(self) -> dict[str, object] | None:
        """Parked rows, for /readyz: a warning, not unreadiness, since the service still serves and sends the rest."""
        async with self.sessions() as session:
            summary = await parked_summary(session)
        self.parked_gauge.set(summary.count)
        if not summary.count:
            return None
        return {
            "parked": summary.count,
            "first_reason": summary.first_reason,
            "held_behind": summary.held,
            "see": "sori outbox",
        }

    def _held(self) -> bool:
        holds = os.environ.get(FAULT_HOLDS)
        return holds is not None and (Path(holds) / self.service).exists()

    async def pending(self) -> int:
        """Rows still to send: parked ones have a gauge of their own."""
        async with self.sessions() as session:
            return await _count(session, self.table.c.published_at.is_(None), self.table.c.parked_at.is_(None))

    async def run(self, poll_seconds: float, max_backoff: float = 5.0) -> None:
        backoff = poll_seconds
        while True:
            # Cleared before the round, not before the wait: a commit that lands while the round runs, after its
            # SELECT, must bring another round at once rather than wait for the fallback poll.
            self._wake.clear()
            try:
                sent = await self.publish_pending()
                backoff = poll_seconds
                if time.monotonic() - self._parked_counted_at >= PARKED_RECOUNT_SECONDS:
                    await self.count_parked()
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


async def _mark(session: AsyncSession, outcome: SendOutcome) -> None:
    now = datetime.now(UTC)
    if outcome.sent:
        await session.execute(update(outbox_table).where(outbox_table.c.seq.in_(outcome.sent)).values(published_at=now))
    for seq, reason in outcome.refused.items():
        await session.execute(
            update(outbox_table)
            .where(outbox_table.c.seq == seq)
            .values(parked_at=now, parked_reason=reason[:PARKED_REASON_CHARS])
        )


async def _count(session: AsyncSession, *where: ColumnElement[bool]) -> int:
    return int(await session.scalar(select(func.count()).select_from(outbox_table).where(*where)) or 0)


@dataclass(frozen=True)
class ParkedSummary:
    count: int
    first_reason: str | None
    held: int  # unpublished rows of the parked rows' keys, waiting behind them


async def parked_summary(session: AsyncSession) -> ParkedSummary:
    t = outbox_table
    count = await _count(session, t.c.parked_at.is_not(None))
    if not count:
        return ParkedSummary(0, None, 0)
    first = await session.scalar(select(t.c.parked_reason).where(t.c.parked_at.is_not(None)).order_by(t.c.seq).limit(1))
    held = await _count(session, t.c.published_at.is_(None), t.c.parked_at.is_(None), t.c.key.in_(parked_keys))
    return ParkedSummary(count, first, held)


@dataclass(frozen=True)
class ParkedRow:
    seq: int
    event_id: UUID
    type: str
    topic: str
    key: str
    size: int
    parked_at: datetime
    reason: str
    held: int  # later rows of its key, waiting behind it


async def parked_rows(session: AsyncSession) -> list[ParkedRow]:
    t = outbox_table
    rows = (
        await session.execute(
            select(
                t.c.seq,
                t.c.event_id,
                t.c.type,
                t.c.topic,
                t.c.key,
                func.length(t.c.body).label("size"),
                t.c.parked_at,
                t.c.parked_reason,
            )
            .where(t.c.parked_at.is_not(None))
            .order_by(t.c.seq)
        )
    ).all()
    return [
        ParkedRow(
            r.seq,
            r.event_id,
            r.type,
            r.topic,
            r.key,
            int(r.size),
            r.parked_at,
            r.parked_reason or "",
            await _count(session, t.c.key == r.key, t.c.seq > r.seq, t.c.published_at.is_(None)),
        )
        for r in rows
    ]


async def requeue(session: AsyncSession, event_id: UUID) -> bool:
    """Hand a parked row back to the relay (once its cause is fixed); whether this outbox had it parked."""
    result = await session.execute(
        update(outbox_table)
        .where(outbox_table.c.event_id == event_id, outbox_table.c.parked_at.is_not(None))
        .values(parked_at=None, parked_reason=None)
    )
    return bool(getattr(result, "rowcount", 0))
