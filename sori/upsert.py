"""INSERT … ON CONFLICT DO NOTHING for the two dialects SoRi runs on."""

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def insert_ignoring_duplicates(table: Table, dialect: str, rows: Any) -> Insert:
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement: Insert = module.insert(table).values(rows).on_conflict_do_nothing()
    return statement
