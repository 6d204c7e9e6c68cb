"""INSERT … ON CONFLICT for the two dialects SoRi runs on, for one row or for many at once."""

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Result, Table, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

ManyRows = Sequence[Mapping[str, Any]]


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def dialect_insert(table: Table, dialect: str) -> Any:
    """An INSERT that takes ON CONFLICT in the dialect's words."""
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


def insert_ignoring_duplicates(table: Table, dialect: str, rows: Any) -> Insert:
    statement: Insert = dialect_insert(table, dialect).values(rows).on_conflict_do_nothing()
    return statement


async def upsert_all(session: AsyncSession, table: Table, rows: ManyRows) -> None:
    """Each row inserted, or its other columns updated where its key is taken."""
    if not rows:
        return
    await _execute(session, _upsert(table, dialect_of(session), tuple(rows[0])), rows)


async def insert_new(session: AsyncSession, table: Table, rows: ManyRows, returning: str) -> list[Any]:
    """Each row inserted where its key is free; the `returning` column of those it inserted."""
    if not rows:
        return []
    statement = _insert_new(table, dialect_of(session), tuple(rows[0]), returning)
    return list((await _execute(session, statement, rows)).scalars())


async def insert_all_new(session: AsyncSession, table: Table, rows: ManyRows) -> None:
    """Each row inserted where no row has its key or a unique value of it yet, in the order given."""
    if rows:
        await _execute(session, _insert_new(table, dialect_of(session), tuple(rows[0]), None), rows)


# The statements below are the same for every poll of a consumer; building one (its `excluded` columns, its unnest()
# calls) was ~18 % of progress' CPU applying a backlog (profiled), and a built statement can be executed again.
@lru_cache(maxsize=512)
def _upsert(table: Table, dialect: str, columns: tuple[str, ...]) -> Insert:
    statement, keys = _many(table, dialect, columns), list(table.primary_key.columns)
    updated = {name: statement.excluded[name] for name in columns if table.c[name] not in keys}
    upsert: Insert = (
        statement.on_conflict_do_update(index_elements=keys, set_=updated)
        if updated
        else statement.on_conflict_do_nothing(index_elements=keys)
    )
    return upsert


@lru_cache(maxsize=512)
def _insert_new(table: Table, dialect: str, columns: tuple[str, ...], returning: str | None) -> Insert:
    statement: Insert = _many(table, dialect, columns).on_conflict_do_nothing()
    return statement.returning(table.c[returning]) if returning else statement


def _many(table: Table, dialect: str, columns: tuple[str, ...]) -> Any:
    """An INSERT of many rows (distinct keys, the same columns each). On PostgreSQL each column travels as one array,
    so that thousands of rows cost about what a few dozen cost one by one; elsewhere it is executed for many rows."""
    if dialect != "postgresql":
        return dialect_insert(table, dialect)
    # Several unnest() in one SELECT list go in step (PostgreSQL 10 and later): row i takes item i of each array.
    # One dimension each, so that a JSON value that is a list stays one value.
    arrays = [bindparam(name, type_=postgresql.ARRAY(table.c[name].type, dimensions=1)) for name in columns]
    return postgresql.insert(table).from_select(list(columns), select(*(func.unnest(array) for array in arrays)))


async def _execute(session: AsyncSession, statement: Insert, rows: ManyRows) -> Result[Any]:
    if dialect_of(session) == "postgresql":
        return await session.execute(statement, {name: [row[name] for row in rows] for name in rows[0]})
    return await session.execute(statement, rows)
