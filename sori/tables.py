"""Each service keeps its tables in a registry of its own, beside its outbox, inbox and idempotency keys."""

from typing import Any

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import registry

from sori.idempotency import add_idempotency_table
from sori.inbox import add_inbox_table
from sori.outbox import add_outbox_table


def service_registry(service: str, *, commands: bool = True) -> registry:
    """Use as `class RoadmapsTable(SQLModel, registry=service_registry("roadmaps"))`; `commands=False` for a
    database that takes no HTTP commands, and so keeps no Idempotency-Keys (sori.idempotency)."""
    metadata = MetaData(info={"service": service})
    add_outbox_table(metadata)
    add_inbox_table(metadata)
    if commands:
        add_idempotency_table(metadata)
    return registry(metadata=metadata)


def table_of(model: type[Any]) -> Table:
    """A table model's Core table, for statements of many rows at once."""
    table: Table = model.__table__
    return table
