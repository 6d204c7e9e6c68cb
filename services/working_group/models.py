"""Working-group tables and API schemas, in a registry of the service's own."""

from sqlmodel import SQLModel

from sori.tables import service_registry


class WorkingGroupTable(SQLModel, registry=service_registry("working_group")):
    pass
