"""FastAPI dependency aliases, in one place: the service's database, settings and the signed-in actor."""

from typing import Annotated

from fastapi import Depends, Request

from sori.auth import CurrentActor
from sori.db import Database
from sori.settings import Settings


async def _database(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DatabaseDep = Annotated[Database, Depends(_database)]
SettingsDep = Annotated[Settings, Depends(_settings)]

__all__ = ["CurrentActor", "DatabaseDep", "SettingsDep"]
