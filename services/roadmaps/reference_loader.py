"""Loads reference_data.json into the reference tables once per version of the file, at start-up, and tells the
other services of each entry loaded (through the outbox, in the same transaction)."""

import json
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert
from sqlmodel import SQLModel

from services.roadmaps.reference import (
    Association,
    Economy,
    LocalGovernment,
    Programme,
    ReferenceLoad,
    SocialTopic,
    VulnerableGroup,
)
from services.roadmaps.reference_events import PUBLISHED_FILE, entry_changed
from sori.db import Database
from sori.outbox import add_events
from sori.upsert import dialect_of, insert_ignoring_duplicates

# The file's section, its table and the kind of entry events call it (as the API's paths do).
TABLES: dict[str, tuple[type[SQLModel], str]] = {
    "programmes": (Programme, "programmes"),
    "economies": (Economy, "economies"),
    "associations": (Association, "associations"),
    "local_governments": (LocalGovernment, "local-governments"),
    "groups": (VulnerableGroup, "groups"),
    "topics": (SocialTopic, "topics"),
}


def reference_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((files("services.roadmaps") / "reference_data.json").read_text("utf-8"))
    return document


async def load_reference_data(db: Database, document: dict[str, Any] | None = None) -> bool:
    """True when this call loaded the file's version; the file's entries win over edits to the same codes."""
    document = document or reference_document()
    async with db.transaction() as session:
        # The version row is claimed first, so that of two processes starting together only one loads.
        claim = insert_ignoring_duplicates(
            ReferenceLoad.__table__,  # type: ignore[attr-defined]
            dialect_of(session),
            {"version": document["version"], "loaded_at": datetime.now(UTC)},
        )
        if getattr(await session.execute(claim), "rowcount", 0) != 1:
            return False
        for section, (model, kind) in TABLES.items():
            entries = [model.model_validate(entry) for entry in document[section]]
            if entries:
                rows = [entry.model_dump() for entry in entries]
                await session.execute(_upsert(model.__table__, dialect_of(session), rows))  # type: ignore[attr-defined]
                await add_events(session, [entry_changed(kind, entry, PUBLISHED_FILE) for entry in entries])
    return True


def _upsert(table: Table, dialect: str, rows: list[dict[str, Any]]) -> Insert:
    """INSERT … ON CONFLICT (code) DO UPDATE: the file's entries replace what the tables hold under their codes."""
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(table).values(rows)
    updated = {column.name: statement.excluded[column.name] for column in table.columns if column.name != "code"}
    upsert: Insert = statement.on_conflict_do_update(index_elements=[table.c.code], set_=updated)
    return upsert
