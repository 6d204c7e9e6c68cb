"""A projection consumer: its handlers change plain rows in memory, so that a poll costs one SELECT per table for
the rows its events touch and one bulk insert and one bulk upsert per table for those they make and change, however
many events it brings.
`sori replay` applies the same handlers to rows it keeps in memory from empty tables."""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope, EventPayload, carries
from contracts.registry import PAYLOADS
from sori.rows import Row, Rows, key_column
from sori.service import ApplyAgain, PollWork
from sori.upsert import insert_new, upsert_all

P = TypeVar("P", bound=EventPayload)

# A row an event changes (or creates): loaded locked, so that two polls changing it take turns.
RowKey = tuple[Table, Hashable]


@dataclass(frozen=True)
class Consulted:
    """A row an event reads, and creates if there is none, but never changes: many polls may hold it at once (on
    PostgreSQL, locked for share), while a poll that changes it (its event names it as a RowKey) waits for them all,
    and they for it."""

    table: Table
    key: Hashable


@dataclass(frozen=True)
class Matching:
    """Every row of `table` whose `column` holds `value`, in the database or made by the poll's earlier events."""

    table: Table
    column: str
    value: Hashable


Touch = RowKey | Consulted | Matching


@dataclass(frozen=True)
class Projector:
    """How one payload class changes the projection: the rows it touches (loaded first), and the change itself,
    which reads and writes only those rows (and may add history rows). Made by `projector`."""

    payload: type[EventPayload]
    change: Callable[[Rows, Envelope], None]
    touches: Callable[[Envelope], Iterable[Touch]]


def projector(
    payload: type[P], change: Callable[[Rows, Envelope[P]], None], touches: Callable[[Envelope[P]], Iterable[Touch]]
) -> Projector:
    """mypy checks that `change` and `touches` take envelopes of this payload class; they are given only those whose
    payload is exactly of it."""

    def exactly(event: Envelope) -> Envelope[P]:
        if not carries(event, payload):
            raise TypeError(f"{event.type} is not a {payload.__name__}")
        return event

    return Projector(payload, lambda rows, event: change(rows, exactly(event)), lambda event: touches(exactly(event)))


def concerning(table: Table, key: str) -> Callable[[Envelope], Iterable[RowKey]]:
    """The one row of `table` that the payload's field `key` names."""

    def touches(event: Envelope) -> Iterable[RowKey]:
        return ((table, getattr(event.data, key)),)

    return touches


@dataclass(frozen=True)
class ProjectionConsumer:
    group: str
    topics: tuple[str, ...]
    projectors: Mapping[type[EventPayload], Projector]

    def takes(self, event_type: str) -> bool:
        return PAYLOADS.get(event_type) in self.projectors

    def poll(self, session: AsyncSession) -> PollWork:
        return _ProjectedPoll(self, session)

    def touched(self, events: Iterable[Envelope]) -> Iterable[Touch]:
        return (touch for event in events for touch in self._projector(event).touches(event))

    def change(self, rows: Rows, event: Envelope) -> None:
        self._projector(event).change(rows, event)

    def _projector(self, event: Envelope) -> Projector:
        # The registry parsed the payload into the class of its type: that class chooses the projector.
        return self.projectors[type(event.data)]


@dataclass
class _ProjectedPoll:
    consumer: ProjectionConsumer
    session: AsyncSession
    rows: Rows = field(default_factory=Rows)

    async def prepare(self, events: Sequence[Envelope]) -> None:
        await load(self.session, self.rows, self.consumer.touched(events))

    async def apply(self, event: Envelope) -> None:
        self.consumer.change(self.rows, event)

    async def finish(self) -> None:
        await write(self.session, self.rows)


@dataclass
class _Wanted:
    """A poll's touches by table: the keys of rows changed and of rows consulted, and the rows matching a value."""

    changed: dict[Table, set[Hashable]] = field(default_factory=lambda: defaultdict(set))
    consulted: dict[Table, set[Hashable]] = field(default_factory=lambda: defaultdict(set))
    matching: dict[Table, set[Matching]] = field(default_factory=lambda: defaultdict(set))

    def add(self, touch: Touch) -> None:
        if isinstance(touch, Consulted):
            self.consulted[touch.table].add(touch.key)
        elif isinstance(touch, Matching):
            self.matching[touch.table].add(touch)
        else:
            self.changed[touch[0]].add(touch[1])

    def tables(self) -> list[Table]:
        return sorted({*self.changed, *self.consulted, *self.matching}, key=lambda table: table.name)


async def load(session: AsyncSession, rows: Rows, touches: Iterable[Touch]) -> None:
    """The rows touched not yet in memory, one SELECT per table (and one per value rows must match).

    Locked (on PostgreSQL) until the transaction ends, table by table and in key order, so that two consumers
    sharing rows wait for each other instead of overwriting each other's changes. A row not found is not locked
    (there is none): `write` only inserts it, and a poll that finds it taken then is applied again.
    """
    wanted = _Wanted()
    for touch in touches:
        wanted.add(touch)
    for table in wanted.tables():
        key = key_column(table)
        # One statement per table, in key order, however the rows are locked: two polls then never wait for each
        # other's rows in opposite orders. A row consulted beside one changed is locked as that one.
        missing = rows.unknown(table, wanted.changed[table] | wanted.consulted[table])
        if missing:
            shared = not wanted.changed[table]
            statement = select(table).where(key.in_(missing)).order_by(key).with_for_update(read=shared)
            rows.load(table, missing, await _found(session, statement))
        if rows.complete:
            continue  # a replay holds every row already
        for match in sorted(wanted.matching[table], key=lambda match: (match.column, str(match.value))):
            statement = select(table).where(table.c[match.column] == match.value).order_by(key).with_for_update()
            found = [row for row in await _found(session, statement) if rows.unknown(table, [row[key.name]])]
            rows.load(table, [row[key.name] for row in found], found)


async def _found(session: AsyncSession, statement: Any) -> list[Row]:
    return [dict(row) for row in (await session.execute(statement)).mappings()]


async def write(session: AsyncSession, rows: Rows) -> None:
    """The rows changed since the last write: per table, one bulk insert of the new ones and one bulk upsert of the
    others, table by table and in key order (as they were locked).

    A new row is only inserted, never written over one that another replica inserted since this one found none
    (locking cannot stop it: there was no row to lock). Its key taken, the poll must be applied again, to that row.
    """
    for change in sorted(rows.changes(), key=lambda change: change.table.name):
        await _insert_new_rows(session, change.table, change.new)
        await upsert_all(session, change.table, change.changed)
    rows.stored()


async def _insert_new_rows(session: AsyncSession, table: Table, new: list[Row]) -> None:
    key = key_column(table).name
    # In key order, as every replica inserts, so that two inserting the same keys wait for each other in one order.
    ordered = sorted(new, key=lambda row: row[key])
    inserted = await insert_new(session, table, ordered, returning=key)
    if len(inserted) < len(new):
        taken = sorted({row[key] for row in new} - set(inserted))
        raise ApplyAgain(f"{table.name} {', '.join(map(str, taken))} created by another transaction meanwhile")
