"""Progress' tables beside a replay of the topics: the same handlers, as `sori replay` runs them into empty tables,
applied in memory to every event on the topics once. A live row that differs is an event applied twice (a consumer
whose inbox let a redelivery through counts a milestone's report again), missed, or applied differently."""

from collections.abc import Hashable
from typing import Any

from sqlalchemy import MetaData, Table, select

from services.progress.app import SPEC as PROGRESS
from services.progress.handlers import CONSUMER
from services.progress.models import projection_tables
from sori.db import Database
from sori.inbox import inbox_table
from sori.rows import Row, key_column
from sori.settings import Settings
from sori_cli.replay_apply import ReplayApplier
from sori_cli.soak.dead_letters import records

Rows = dict[str, dict[Hashable, Row]]  # table name -> primary key -> row
DIFFERENCES_SHOWN = 3  # columns named in one example


def _tables() -> list[Table]:
    return [table for table in projection_tables() if table.name != inbox_table.name]


async def replayed(settings: Settings, bootstrap: str) -> Rows:
    """Every projection row a replay of the topics as they are now gives. The applier's database is never written:
    only `commit` would write it, and the rows stay in memory."""
    db = Database(settings, PROGRESS.name, MetaData())
    try:
        applier = ReplayApplier(db, CONSUMER)
        for topic in CONSUMER.topics:
            applier.apply([record.value or b"" for record in await records(bootstrap, topic)])
        found: Rows = {table.name: {} for table in _tables()}
        for change in applier.rows.changes():
            if change.table.name in found:
                key = key_column(change.table).name
                found[change.table.name].update((row[key], row) for row in change.all())
        return found
    finally:
        await db.dispose()


async def live(settings: Settings) -> Rows:
    """Every projection row progress holds now."""
    db = Database(settings, PROGRESS.name, MetaData())
    found: Rows = {}
    try:
        async with db.reading() as session:
            for table in _tables():
                key = key_column(table).name
                rows = (await session.execute(select(table))).mappings()
                found[table.name] = {row[key]: dict(row) for row in rows}
    finally:
        await db.dispose()
    return found


def _shown(value: Any) -> str:
    return repr(str(value) if isinstance(value, str) else value)


def differences(live_rows: Rows, replayed_rows: Rows) -> tuple[int, list[str]]:
    """How many rows were compared, and each that differs ("table key: column live …, replayed …")."""
    compared, found = 0, []
    for table, rows in replayed_rows.items():
        held = live_rows.get(table, {})
        for key in rows.keys() | held.keys():
            compared += 1
            mine, theirs = held.get(key), rows.get(key)
            if mine is None or theirs is None:
                found.append(f"{table} {key}: {'only replayed' if mine is None else 'only live'}")
                continue
            columns = [c for c in theirs if mine.get(c) != theirs[c]]
            shown = ", ".join(f"{c} live {_shown(mine.get(c))}, replayed {_shown(theirs[c])}" for c in columns)
            if columns:
                found.append(f"{table} {key}: {shown if len(columns) <= DIFFERENCES_SHOWN else columns}")
    return compared, sorted(found)
