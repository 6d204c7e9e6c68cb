"""Reading and writing social approaches' rows inside the caller's transaction: a local government's association,
a record by id (a missing one is a 404), and the lists a reader's scope covers."""

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from contracts.social_approaches import ApproachStatus
from services.social_approaches.domain import ApproachType, MappingStatus
from services.social_approaches.models import (
    Approach,
    Evidence,
    KnownLocalGovernment,
    Mapping,
    MilestoneReport,
    PlannedMilestone,
    Recommendation,
)
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


# --- mappings ----------------------------------------------------------------------------------------------------


async def mappings(
    session: AsyncSession,
    scope: Scope,
    local_government: str | None,
    topic: str | None,
    status: MappingStatus | None,
) -> list[Mapping]:
    """The mappings a reading scope covers (of one local government, topic or status, if given), oldest first."""
    query = select(Mapping).where(visible_to(scope, Mapping))
    if local_government is not None:
        query = query.where(col(Mapping.local_government) == local_government)
    if topic is not None:
        query = query.where(col(Mapping.topic) == topic)
    if status is not None:
        query = query.where(col(Mapping.status) == status)
    return list((await session.scalars(query.order_by(col(Mapping.created_at)))).all())


async def refuse_second_mapping(session: AsyncSession, local_government: str, topic: str) -> None:
    existing = await session.scalar(
        select(Mapping.id).where(col(Mapping.local_government) == local_government, col(Mapping.topic) == topic)
    )
    if existing is not None:
        raise CommandRefused(
            RefusalKind.CONFLICT, f"{local_government} already has a mapping for topic '{topic}': {existing}"
        )


async def flush_one_per_topic(session: AsyncSession, mapping: Mapping) -> None:
    """Two writers racing past refuse_second_mapping meet the unique constraint here: the loser gets the 409."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise CommandRefused(
            RefusalKind.CONFLICT, f"{mapping.local_government} already has a mapping for topic '{mapping.topic}'"
        ) from exc


# --- approaches --------------------------------------------------------------------------------------------------


async def approaches(
    session: AsyncSession,
    local_government: str | None,
    status: ApproachStatus | None = None,
    approach_type: ApproachType | None = None,
    women_and_girls: bool | None = None,
) -> Sequence[Approach]:
    """Every approach (their public fields are for every reader), filtered as asked, oldest first."""
    query = select(Approach)
    if local_government is not None:
        query = query.where(col(Approach.local_government) == local_government)
    if status is not None:
        query = query.where(col(Approach.status) == status)
    if approach_type is not None:
        query = query.where(col(Approach.approach_type) == approach_type)
    if women_and_girls is not None:
        query = query.where(col(Approach.women_and_girls) == women_and_girls)
    return (await session.scalars(query.order_by(col(Approach.created_at)))).all()


# --- milestones, reports and evidence ----------------------------------------------------------------------------


async def planned_milestones(
    session: AsyncSession, scope: Scope, local_government: str | None
) -> Sequence[PlannedMilestone]:
    """The planned milestones a reading scope covers (of one local government, if given), the earliest due first."""
    query = select(PlannedMilestone).where(visible_to(scope, PlannedMilestone))
    if local_government is not None:
        query = query.where(col(PlannedMilestone.local_government) == local_government)
    return (await session.scalars(query.order_by(col(PlannedMilestone.due_date)))).all()


async def milestone(session: AsyncSession, recommendation_id: UUID, milestone_id: UUID) -> PlannedMilestone:
    found = await session.get(PlannedMilestone, milestone_id)
    if found is None or found.recommendation_id != recommendation_id:
        raise CommandRefused(
            RefusalKind.NOT_FOUND, f"no milestone {milestone_id} is planned for recommendation {recommendation_id}"
        )
    return found


async def recommendation(session: AsyncSession, recommendation_id: UUID) -> Recommendation | None:
    """The recommendation as the lifecycle told of it; None before it told anything."""
    return await session.get(Recommendation, recommendation_id)


async def reports(session: AsyncSession, milestone_id: UUID) -> Sequence[MilestoneReport]:
    query = select(MilestoneReport).where(col(MilestoneReport.milestone_id) == milestone_id)
    return (await session.scalars(query.order_by(col(MilestoneReport.reported_at)))).all()


async def evidence(session: AsyncSession, evidence_id: UUID) -> Evidence | None:
    return await session.get(Evidence, evidence_id)
