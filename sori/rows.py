"""Rows of a projection's tables held in memory as plain dicts, so that a whole poll is applied without the ORM and
written back with a few bulk statements.

A row is a dict of column name to value. Handlers change a row by assigning its values (never by mutating a list
or dict value in place): what differs from the database's copy is what gets written.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Column, Table

Row = dict[str, Any]


class NotLoaded(LookupError):
    """A handler reached for a row that its `touches` did not name, so nobody loaded it: a bug in the handler."""


def key_column(table: Table) -> Column[Any]:
    (column,) = table.primary_key.columns
    return column


@cache
def _defaults(table: Table) -> tuple[Row, tuple[tuple[str, Callable[[None], Any]], ...]]:
    """Each column's default: the plain values, and the factories (SQLAlchemy wraps them to take a context)."""
    plain: Row = {column.name: None for column in table.columns}
    made = []
    for column in table.columns:
        default: Any = column.default
        if default is not None and default.is_callable:
            made.append((column.name, default.arg))
        elif default is not None:
            plain[column.name] = default.arg
    return plain, tuple(made)


def blank_row(table: Table) -> Row:
    """A row with every column at its default (None where it has none)."""
    plain, made = _defaults(table)
    row = dict(plain)
    for name, factory in made:
        row[name] = factory(None)
    return row


@dataclass(frozen=True)
class Changes:
    """One table's rows to write: `new` ones, of keys the database had no row of when loaded, and those `changed`
    from its copy (with the records, which are only ever written, each once)."""

    table: Table
    new: list[Row]
    changed: list[Row]

    def all(self) -> list[Row]:
        return [*self.new, *self.changed]


class Rows:
    """The rows some events touch, by table and key, beside the database's copy of each.

    `complete` says the database holds no row that is not here (a replay into empty tables): a row not here does
    not exist. Otherwise a row must be loaded (or known absent) before it is read.
    """

    def __init__(self, *, complete: bool = False) -> None:
        self.complete = complete
        self._rows: dict[Table, dict[Hashable, Row | None]] = defaultdict(dict)
        self._stored: dict[Table, dict[Hashable, Row]] = defaultdict(dict)
        self._touched: dict[Table, set[Hashable]] = defaultdict(set)
        self._records: dict[Table, list[Row]] = defaultdict(list)

    def load(self, table: Table, keys: Iterable[Hashable], found: Iterable[Row]) -> None:
        """The database's rows of these keys (those not found do not exist)."""
        rows, stored, name = self._rows[table], self._stored[table], key_column(table).name
        for key in keys:
            rows.setdefault(key, None)
        for row in found:
            rows[row[name]], stored[row[name]] = row, dict(row)

    def unknown(self, table: Table, keys: Iterable[Hashable]) -> set[Hashable]:
        """Of these keys, those still to be loaded."""
        if self.complete:
            return set()
        rows = self._rows[table]
        return {key for key in keys if key not in rows}

    def get(self, table: Table, key: Hashable) -> Row | None:
        rows = self._rows[table]
        if key in rows:
            row = rows[key]
        elif self.complete:
            return None
        else:
            raise NotLoaded(f"{table.name} {key} was not loaded: its handler's `touches` must name it")
        if row is not None:
            self._touched[table].add(key)
        return row

    def matching(self, table: Table, column: str, value: Any) -> list[Row]:
        """The rows here whose `column` holds `value` (all there are, once a `Matching` touch has loaded them)."""
        found = {key: row for key, row in self._rows[table].items() if row is not None and row[column] == value}
        self._touched[table].update(found)
        return list(found.values())

    def add(self, table: Table, **values: Any) -> Row:
        """A new row: the table's defaults, then these values (the key among them)."""
        row = blank_row(table) | values
        key, rows = row[key_column(table).name], self._rows[table]
        if key not in rows and not self.complete:
            raise NotLoaded(f"{table.name} {key} was not loaded: its handler's `touches` must name it")
        rows[key] = row
        self._touched[table].add(key)
        return row

    def record(self, table: Table, **values: Any) -> None:
        """A row that is only ever written, never read back (a history): it is not kept once written."""
        self._records[table].append(blank_row(table) | values)

    def changes(self) -> Iterator[Changes]:
        """Each table's rows that differ from the database's copy: those it has no copy of apart."""
        for table, keys in self._touched.items():
            rows, stored = self._rows[table], self._stored[table]
            new: list[Row] = []
            changed: list[Row] = []
            for key in keys:
                if (row := rows[key]) is None or row == stored.get(key):
                    continue
                (changed if key in stored else new).append(row)
            if new or changed:
                yield Changes(table, new, changed)
        for table, records in self._records.items():
            if records:
                yield Changes(table, [], records)

    def stored(self) -> None:
        """The changes were written: the database's copy is now what is here."""
        for table, keys in self._touched.items():
            rows, stored = self._rows[table], self._stored[table]
            for key in keys:
                if (row := rows[key]) is not None:
                    stored[key] = dict(row)
        self._touched.clear()
        self._records.clear()

    def roll_back(self) -> None:
        """Back to the database's copy: every change since the last write is forgotten."""
        for table, keys in self._touched.items():
            rows, stored = self._rows[table], self._stored[table]
            for key in keys:
                if key in stored:
                    rows[key] = dict(stored[key])
                elif self.complete:
                    del rows[key]
                else:
                    rows[key] = None
        self._touched.clear()
        self._records.clear()
