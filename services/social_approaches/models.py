"""Social-approaches tables and API schemas, in a registry of the service's own."""

from sqlmodel import SQLModel

from sori.tables import service_registry


class SocialApproachesTable(SQLModel, registry=service_registry("social_approaches")):
    pass
