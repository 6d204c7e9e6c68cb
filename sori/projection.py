"""A projection consumer: its handlers change plain rows in memory, so that a poll costs one SELECT per table for
the rows its events touch and one bulk insert and one bulk upsert per table for those they make and change, however
many events it brings.
`sori replay` applies the same handlers to rows it keeps in memory from empty tables."""

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from sori.rows import Row, Rows, key_column, keys_by_table
from sori.service import ApplyAgain, PollWork
from sori.upsert import insert_new, upsert_all

RowKey = tuple[Table, Hashable]
Touches = Callable[[Envelope], Iterable[RowKey]]
Change = Callable[[Rows, Envelope], None]


@dataclass(frozen=True)
class Projector:
    """How one type of event changes the projection: the rows it touches (loaded first), and the change itself,
    which reads and writes only those rows (and may add history rows)."""

    change: Change
    touches: Touches


def concerning(table: Table, key: str) -> Touches:
    """The one row of `table` that the payload's field `key` names."""

    def touches(event: Envelope) -> Iterable[RowKey]:
        return ((table, getattr(event.data, key)),)

    return touches


@dataclass(frozen=True)
class ProjectionConsumer:
    group: str
    topics: tuple[str, ...]
    projectors: Mapping[str, Projector]

    def takes(self, event_type: str) -> bool:
        return event_type in self.projectors

    def poll(self, session: AsyncSession) -> PollWork:
        return _ProjectedPoll(self, session)

    def touched(self, events: Iterable[Envelope]) -> Iterable[RowKey]:
        return (key for event in events for key in self.projectors[event.type].touches(event))

    def change(self, rows: Rows, event: Envelope) -> None:
        self.projectors[event.type].change(rows, event)


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


async def load(session: AsyncSession, rows: Rows, keys: Iterable[RowKey]) -> None:
    """The rows of these keys not yet in memory, one SELECT per table.

    Locked (on PostgreSQL) until the transaction ends, table by table and in key order, so that two consumers
    sharing rows wait for each other instead of overwriting each other's changes. A row not found is not locked
    (there is none): `write` only inserts it, and a poll that finds it taken then is applied again.
    """
    for table, wanted in sorted(keys_by_table(keys).items(), key=lambda item: item[0].name):
        missing = rows.unknown(table, wanted)
        if missing:
            key = key_column(table)
            statement = select(table).where(key.in_(missing)).order_by(key).with_for_update()
            found: Iterable[Any] = (await session.execute(statement)).mappings()
            rows.load(table, missing, (dict(row) for row in found))


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
