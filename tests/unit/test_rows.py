"""Rows in memory: what is written back is what differs from the database's copy; a refusal rolls back to it."""

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table

from sori.rows import NotLoaded, Rows, blank_row

pytestmark = pytest.mark.unit

counts = Table(
    "counts",
    MetaData(),
    Column("name", String(10), primary_key=True),
    Column("events", Integer, default=0, nullable=False),
    Column("seen_by", JSON, default=list),
    Column("note", String(20)),
)
history = Table("history", MetaData(), Column("n", Integer, primary_key=True))


def loaded(*found: dict[str, object], asked: tuple[str, ...] = ("a", "b")) -> Rows:
    rows = Rows()
    rows.load(counts, asked, [blank_row(counts) | row for row in found])
    return rows


def test_a_blank_row_has_the_tables_defaults_and_a_fresh_list_each_time() -> None:
    first, second = blank_row(counts), blank_row(counts)
    assert first == {"name": None, "events": 0, "seen_by": [], "note": None}
    assert first["seen_by"] is not second["seen_by"]


def test_only_rows_that_differ_from_the_stored_copy_are_written_back_the_new_ones_apart() -> None:
    rows = loaded({"name": "a", "events": 1}, {"name": "b", "events": 1}, asked=("a", "b", "c"))
    a, b = rows.get(counts, "a"), rows.get(counts, "b")
    assert a is not None
    assert b is not None
    assert rows.get(counts, "c") is None
    a["events"] += 1
    b["events"] = 1
    rows.add(counts, name="c", events=5)
    rows.record(history, n=1)

    written = {
        change.table.name: (
            [row["name"] for row in change.new],
            [row.get("name", row.get("n")) for row in change.changed],
        )
        for change in rows.changes()
    }
    assert written == {"counts": (["c"], ["a"]), "history": ([], [1])}, "new rows apart from changed ones"
    rows.stored()
    assert list(rows.changes()) == []


def test_a_row_nobody_loaded_cannot_be_read_or_made_unless_the_rows_are_complete() -> None:
    rows = loaded(asked=("a",))
    with pytest.raises(NotLoaded):
        rows.get(counts, "z")
    with pytest.raises(NotLoaded):
        rows.add(counts, name="z")
    complete = Rows(complete=True)
    assert complete.get(counts, "z") is None
    assert complete.add(counts, name="z")["events"] == 0


def test_rolling_back_returns_to_the_stored_copy_and_forgets_what_was_made() -> None:
    rows = Rows(complete=True)
    rows.add(counts, name="a", events=1)
    rows.stored()
    a = rows.get(counts, "a")
    assert a is not None
    a["events"] = 7
    rows.add(counts, name="b")
    rows.record(history, n=1)

    rows.roll_back()
    assert rows.get(counts, "a") == blank_row(counts) | {"name": "a", "events": 1}
    assert rows.get(counts, "b") is None
    assert list(rows.changes()) == []
