"""`sori replay`: rebuild a service's projections from its topics, then hand its consumer group on from there.

The projection tables are recreated empty; every partition of the consumer's topics is read from offset 0 to its
end (raw aiokafka, big `getmany` batches); the projection's own handlers apply each event once to rows kept in
memory, written back in bulk in transactions of 10,000 events and growing, each written while the next are read
and applied; finally the consumer group's committed offsets are set to where the replay stopped, so the live
consumer goes on from there.

A live consumer writing while the tables are rebuilt would interleave with the rebuild. So the replay joins the
consumer group itself and goes on only if it is given every partition, i.e. no live member holds any (a member
that died without leaving is dropped by the group's rebalance); it refuses otherwise, touching nothing. Should a
live member join during the replay, the replay fails at the end without committing: stop it and replay again.
"""

import asyncio
import gc
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from sqlalchemy import Connection, Table

from sori.db import Database
from sori.projection import ProjectionConsumer
from sori.service import EventConsumer, ServiceSpec
from sori.settings import Settings
from sori_cli.migrate import migrate_service_database
from sori_cli.replay_apply import ReplayApplier
from sori_cli.stack.report import STACK_FILE

FETCH_RECORDS = 5_000
QUIET_MS = 300
# Events the first transaction takes (a fetch may bring far fewer); each later one takes twice as many as the one
# before, up to LARGEST_COMMIT. A commit writes every row changed since the one before, so a row that events all
# through the backlog touch is written once per commit: fewer, bigger commits write less. The first is small so that
# the database starts writing while the next events are applied. On PostgreSQL, one replay per process of the bench's
# backlog (each recommendation's events spread over all of it), against commits of 10,000 each: 20,000 events at
# 24,600 to 31,500 events/s (19,000 to 26,700 before), 100,000 at 20,300 to 24,100 (14,300 to 15,700), 200,000 at
# 18,800 (15,100).
FIRST_COMMIT = 10_000
LARGEST_COMMIT = 50_000
QUIET_ROUNDS = 10
JOIN_WITHIN_SECONDS = 30.0
# The embedded broker once left a replay's offset requests unanswered: the third replay against a long-lived stack
# waited over 300 s after joining its group. What a request to the broker may take before the replay gives up.
OFFSETS_WITHIN_SECONDS = 30.0
LEAVE_WITHIN_SECONDS = 10.0
Say = Callable[[str], None]


class ReplayRefused(RuntimeError):
    """The replay would not give a correct result now (its reason says why)."""


@dataclass(frozen=True)
class ReplayReport:
    events: int
    applied: int
    repeats: int
    invalid: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def with_running_stack(settings: Settings) -> Settings:
    """Outside `sori up`'s children, the broker's address comes from the running stack's stack.json."""
    stack_file = settings.home / STACK_FILE
    if not settings.kafka_bootstrap_servers and stack_file.exists():
        settings.kafka_bootstrap_servers = json.loads(stack_file.read_text())["kafka_bootstrap_servers"]
    return settings


class _Watch(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka ships no types
    """Notices a live consumer joining the group during the replay (it takes partitions away)."""

    def __init__(self) -> None:
        self.lost = False

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        self.lost = self.lost or bool(set(revoked))

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        pass


async def _join(reader: AIOKafkaConsumer, consumer: EventConsumer, watch: _Watch) -> set[TopicPartition]:
    """Join the consumer's group; the replay goes on only if no live member holds any of its partitions."""
    reader.subscribe(list(consumer.topics), listener=watch)
    deadline = time.monotonic() + JOIN_WITHIN_SECONDS
    while not reader.assignment() and time.monotonic() < deadline:
        await reader.getmany(timeout_ms=500, max_records=1)
    wanted = {TopicPartition(t, p) for t in consumer.topics for p in reader.partitions_for_topic(t) or ()}
    given = reader.assignment()
    if not given:
        raise ReplayRefused(
            f"could not join consumer group {consumer.group!r} within {JOIN_WITHIN_SECONDS:.0f}s "
            "(a member that died may still hold it): try again shortly"
        )
    if given != wanted:
        raise ReplayRefused(
            f"consumer group {consumer.group!r} has live members ({len(given)} of {len(wanted)} partitions "
            "came to the replay): stop the service first"
        )
    return set(given)


async def extent(reader: AIOKafkaConsumer, partitions: set[TopicPartition]) -> dict[TopicPartition, int]:
    """Each partition's end, the reader set at its beginning; refused, with nothing changed yet, if the broker does
    not tell within OFFSETS_WITHIN_SECONDS."""
    try:
        async with asyncio.timeout(OFFSETS_WITHIN_SECONDS):
            await reader.seek_to_beginning(*partitions)
            ends: dict[TopicPartition, int] = await reader.end_offsets(list(partitions))
            return ends
    except TimeoutError:
        raise ReplayRefused(
            f"the broker did not tell where the {len(partitions)} partitions begin and end within "
            f"{OFFSETS_WITHIN_SECONDS:.0f}s; nothing was changed: try again (restart the broker if it goes on)"
        ) from None


async def replay(settings: Settings, spec: ServiceSpec, tables: Sequence[Table], say: Say = print) -> ReplayReport:
    """Rebuild `tables` (a service's projections and inbox) from its consumer's topics, as a member of its group."""
    consumer = spec.consumer
    if not isinstance(consumer, ProjectionConsumer):
        raise ReplayRefused(f"{spec.name} keeps no projection of its topics to rebuild")
    reader = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_servers,
        group_id=consumer.group,
        client_id="sori-replay",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=16 * 1024 * 1024,
    )
    watch = _Watch()
    await reader.start()
    db = Database(settings, spec.name, spec.metadata)
    try:
        # The broker gives every live member its turn to answer before it shares the partitions out: seconds.
        say(f"▸ joining consumer group {consumer.group!r} to take every partition (up to {JOIN_WITHIN_SECONDS:.0f}s) …")
        partitions = await _join(reader, consumer, watch)
        ends = await extent(reader, partitions)
        await recreate(db, spec, tables)
        say(f"▸ replaying {sum(ends.values())} events of {', '.join(consumer.topics)} into {spec.name}")
        applier = ReplayApplier(db, consumer)
        try:
            report, stopped_at = await _apply_all(reader, ends, applier, say)
        finally:
            await applier.abandon()
        if watch.lost:
            raise ReplayRefused(f"a live member joined {consumer.group!r} during the replay: stop it, replay again")
        await reader.commit(stopped_at)
    finally:
        # Leaving a group whose join never completed can wait on the broker; the group forgets us in time anyway.
        with suppress(TimeoutError):
            await asyncio.wait_for(reader.stop(), LEAVE_WITHIN_SECONDS)
        await db.dispose()
    say(
        f"  ✓ {report.events} events in {report.seconds:.2f}s ({report.rate:,.0f} events/s): "
        f"{report.applied} applied, {report.repeats} repeats, {report.invalid} invalid; "
        f"group {consumer.group!r} goes on from there"
    )
    return report


def _drop_each(sync: Connection, tables: list[Table]) -> None:
    for table in tables:
        table.drop(sync, checkfirst=True)


async def recreate(db: Database, spec: ServiceSpec, tables: Sequence[Table]) -> None:
    """The service's schema at its head, with these tables empty and the rest (e.g. kept reports) untouched."""
    await migrate_service_database(db, spec)
    async with db.engine.begin() as conn:
        # Table by table: metadata.drop_all would also drop types that the kept tables use.
        await conn.run_sync(_drop_each, list(reversed(tables)))
        await conn.run_sync(lambda sync: db.metadata.create_all(sync, tables=list(tables)))


def commit_sizes() -> Iterator[int]:
    """How many events each transaction of a replay takes, in turn."""
    size = FIRST_COMMIT
    while True:
        yield size
        size = min(2 * size, LARGEST_COMMIT)


async def _apply_all(
    reader: AIOKafkaConsumer, ends: dict[TopicPartition, int], applier: ReplayApplier, say: Say
) -> tuple[ReplayReport, dict[TopicPartition, int]]:
    """Apply batch after batch until a quiet moment once past the ends seen at the start; where it stopped.

    The ends are only a lower bound (the embedded broker can report an end one short), so the positions reached
    are what the group is handed on from; a broker that stays quiet short of its ends still ends the replay.
    """
    started = last_said = time.monotonic()
    quiet = 0
    sizes = commit_sizes()
    commit_at = next(sizes)
    try:
        while True:
            fetched = await reader.getmany(*ends, timeout_ms=QUIET_MS, max_records=FETCH_RECORDS)
            for records in fetched.values():
                applier.apply([r.value for r in records if r.value is not None])
            # What the replay keeps (every row, every event id) lives to its end: frozen out of the cyclic
            # collector, which would otherwise walk it all again and again (half the time of applying, measured).
            gc.freeze()
            if not fetched or len(applier.uncommitted) >= commit_at:
                if fetched:
                    commit_at = next(sizes)
                await applier.commit()
            if not fetched:
                await applier.written()
            positions = {tp: await reader.position(tp) for tp in ends}
            quiet = 0 if fetched else quiet + 1
            if quiet and (all(positions[tp] >= end for tp, end in ends.items()) or quiet >= QUIET_ROUNDS):
                break
            if time.monotonic() - last_said > 2.0:
                last_said = time.monotonic()
                say(f"  … {applier.events} events ({applier.events / (last_said - started):,.0f} events/s)")
    finally:
        gc.unfreeze()
    seconds = time.monotonic() - started - QUIET_MS / 1000  # the last, quiet round read nothing
    report = ReplayReport(applier.events, applier.applied, applier.repeats, applier.invalid, max(seconds, 1e-6))
    return report, positions


async def run_replay(settings: Settings) -> int:
    """`sori replay`: progress' projections, against the configured infrastructure or the running local stack."""
    from services.progress.app import SPEC
    from services.progress.models import projection_tables

    try:
        await replay(with_running_stack(settings), SPEC, projection_tables())
    except ReplayRefused as refused:
        print(f"sori replay: {refused}", file=sys.stderr)
        return 1
    return 0
