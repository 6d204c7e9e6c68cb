"""Lookups the HTTP commands share: a local government's association, a record by id, what an actor may see."""

import json
from functools import cache
from importlib import resources
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.social_approaches.models import KnownLocalGovernment
from sori.errors import CommandRefused, RefusalKind
from sori.scopes import Scope

Row = TypeVar("Row")


@cache
def programme_local_governments() -> dict[str, str]:
    """The programme's local governments by code → association, from the package's reference file."""
    document = json.loads(resources.files(__package__).joinpath("local_governments.json").read_text())
    associations: dict[str, str] = document["local_governments"]
    return associations


async def association_of(session: AsyncSession, local_government: str) -> str | None:
    """What the lifecycle's plans say first (they are newest), else the programme's reference file."""
    known = await session.get(KnownLocalGovernment, local_government)
    if known is not None:
        return known.association
    return programme_local_governments().get(local_government)


async def association_of_writer(session: AsyncSession, local_government: str) -> str:
    """The association of a local government that writes: one the reference data does not know writes nothing."""
    association = await association_of(session, local_government)
    if association is None:
        raise CommandRefused(
            RefusalKind.FORBIDDEN,
            f"{local_government!r} is not a local government of the programme's reference data; NALAS adds them",
        )
    return association


async def get_or_404(session: AsyncSession, model: type[Row], row_id: UUID, what: str) -> Row:
    row = await session.get(model, row_id)
    if row is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no {what} {row_id}")
    return row


def visible_to(scope: Scope, model: Any) -> ColumnElement[bool]:
    """The rows of `model` (with local_government and association columns) that a reading scope covers."""
    if scope.local_government is not None:
        return col(model.local_government) == scope.local_government
    if scope.association is not None:
        return col(model.association) == scope.association
    return true()
