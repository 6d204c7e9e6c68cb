"""Reading progress' tables: lists and single rows from the projections (the API, the portal and reports call
these), what counts as overdue as SQL, and the kept reports."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, func, nulls_first, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, defer
from sqlmodel import col

from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from services.progress.domain import AWAITING_REVIEW, DONE
from services.progress.models import (
    ActionProgress,
    MilestoneProgress,
    ProgressReport,
    RecommendationProgress,
    ReportTrigger,
    SocialApproachProgress,
    StatusChange,
)
from services.progress.schemas import (
    ActionRow,
    MilestoneRow,
    Page,
    RecommendationDetail,
    RecommendationRow,
    SocialApproachRow,
    StatusChangeRow,
    Timeline,
)
from sori.errors import CommandRefused, RefusalKind
from sori.scopes import Scope

DEFAULT_LIMIT = 100
# A recommendation's moves in the order its lifecycle made them: moves of one moment share their time, so time and
# a random id cannot tell them apart. Moves from before the numbering come first and go by time, as they did.
LIFECYCLE_ORDER = (nulls_first(col(StatusChange.sequence)), col(StatusChange.at), col(StatusChange.event_id))

# What counts as overdue, as SQL: a list can filter on it and a row can show it from one definition.
_recommendation_overdue_at = col(RecommendationProgress.review_overdue_at)
_submitted_at = col(RecommendationProgress.submitted_at)

# Overdue while still awaiting a decision, unless it was submitted again after the clock rang.
REVIEW_OVERDUE: ColumnElement[bool] = and_(
    _recommendation_overdue_at.is_not(None),
    col(RecommendationProgress.status).in_([s.value for s in AWAITING_REVIEW]),
    or_(_submitted_at.is_(None), _recommendation_overdue_at >= _submitted_at),
)


def _clock_applies(clock: Mapped[datetime | None]) -> ColumnElement[bool]:
    """A milestone clock counts unless the milestone is done or was planned anew after the clock rang."""
    planned_at = col(MilestoneProgress.planned_at)
    report_status = col(MilestoneProgress.report_status)
    return and_(
        clock.is_not(None),
        or_(report_status.is_(None), report_status != DONE),
        or_(planned_at.is_(None), clock >= planned_at),
    )


MILESTONE_OVERDUE = _clock_applies(col(MilestoneProgress.overdue_at))
MILESTONE_ESCALATED = _clock_applies(col(MilestoneProgress.escalated_at))


async def paged(
    session: AsyncSession, query: Select[*tuple[Any, ...]], order: Sequence[Any], offset: int, limit: int
) -> Any:
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.execute(query.order_by(*order).offset(offset).limit(limit))).all()
    return int(total or 0), rows


def recommendation_filters(
    *,
    status: RecommendationStatus | None = None,
    association: str | None = None,
    programme: str | None = None,
    economy: str | None = None,
    local_government: str | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE clauses for recommendations; a local government matches where it has a milestone or an assignment."""
    wanted = {
        col(RecommendationProgress.status): status.value if status else None,
        col(RecommendationProgress.association): association,
        col(RecommendationProgress.programme): programme,
        col(RecommendationProgress.economy): economy,
    }
    clauses = [column == value for column, value in wanted.items() if value is not None]
    if local_government is not None:
        assigned = select(col(MilestoneProgress.recommendation_id)).where(
            col(MilestoneProgress.local_government) == local_government
        )
        clauses.append(col(RecommendationProgress.recommendation_id).in_(assigned))
    return clauses


def recommendation_row(row: RecommendationProgress, review_overdue: bool) -> RecommendationRow:
    return RecommendationRow.model_validate({**row.model_dump(), "review_overdue": bool(review_overdue)})


async def list_recommendations(
    session: AsyncSession,
    *,
    status: RecommendationStatus | None = None,
    association: str | None = None,
    programme: str | None = None,
    economy: str | None = None,
    local_government: str | None = None,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> Page[RecommendationRow]:
    """Recommendations matching every filter given, by association then code."""
    filters = recommendation_filters(
        status=status, association=association, programme=programme, economy=economy, local_government=local_government
    )
    query = select(RecommendationProgress, REVIEW_OVERDUE).where(*filters)
    order = (
        col(RecommendationProgress.association),
        col(RecommendationProgress.code),
        RecommendationProgress.recommendation_id,
    )
    total, rows = await paged(session, query, order, offset, limit)
    return Page(total=total, offset=offset, limit=limit, items=[recommendation_row(r, o) for r, o in rows])


async def find_recommendation(session: AsyncSession, recommendation_id: UUID) -> RecommendationDetail | None:
    """One recommendation, or None when no topic has mentioned it yet; with the comments of its current status."""
    query = (
        select(RecommendationProgress, REVIEW_OVERDUE, col(StatusChange.comments))
        .outerjoin(StatusChange, col(StatusChange.event_id) == col(RecommendationProgress.last_event_id))
        .where(col(RecommendationProgress.recommendation_id) == recommendation_id)
    )
    found = (await session.execute(query)).first()
    if found is None:
        return None
    row, overdue, comments = found
    return RecommendationDetail.model_validate(
        {**recommendation_row(row, overdue).model_dump(), "comments": comments or []}
    )


async def timeline(session: AsyncSession, recommendation_id: UUID, as_of: datetime | None = None) -> Timeline:
    """Its status changes in order up to `as_of` (inclusive), and the status they leave it in."""
    query = select(StatusChange).where(col(StatusChange.recommendation_id) == recommendation_id)
    if as_of is not None:
        query = query.where(col(StatusChange.at) <= as_of)
    changes = (await session.scalars(query.order_by(*LIFECYCLE_ORDER))).all()
    rows = [StatusChangeRow.model_validate(change) for change in changes]
    return Timeline(
        recommendation_id=recommendation_id, as_of=as_of, status=rows[-1].to_status if rows else None, changes=rows
    )


def milestone_row(row: MilestoneProgress, overdue: bool, escalated: bool) -> MilestoneRow:
    return MilestoneRow.model_validate({**row.model_dump(), "overdue": bool(overdue), "escalated": bool(escalated)})


async def list_milestones(
    session: AsyncSession,
    *,
    recommendation_id: UUID | None = None,
    association: str | None = None,
    local_government: str | None = None,
    overdue: bool | None = None,
    recommendations: Sequence[ColumnElement[bool]] = (),
    scope: Scope = Scope(),
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> Page[MilestoneRow]:
    """Milestones matching every filter within the reader's scope, by due date; `recommendations` narrows to
    those of matching ones."""
    query = select(MilestoneProgress, MILESTONE_OVERDUE, MILESTONE_ESCALATED)
    scoped = {
        col(MilestoneProgress.local_government): scope.local_government,
        col(MilestoneProgress.association): scope.association,
    }
    query = query.where(*(column == value for column, value in scoped.items() if value is not None))
    wanted = {
        col(MilestoneProgress.recommendation_id): recommendation_id,
        col(MilestoneProgress.association): association,
        col(MilestoneProgress.local_government): local_government,
    }
    query = query.where(*(column == value for column, value in wanted.items() if value is not None))
    if overdue is not None:
        query = query.where(MILESTONE_OVERDUE if overdue else ~MILESTONE_OVERDUE)
    if recommendations:
        of_those = select(col(RecommendationProgress.recommendation_id)).where(*recommendations)
        query = query.where(col(MilestoneProgress.recommendation_id).in_(of_those))
    order = (col(MilestoneProgress.due_date), col(MilestoneProgress.milestone_id))
    total, rows = await paged(session, query, order, offset, limit)
    return Page(total=total, offset=offset, limit=limit, items=[milestone_row(*row) for row in rows])


async def association_of(session: AsyncSession, local_government: str) -> str | None:
    """The association the lifecycle's plans name for a local government (None: no plan names it yet)."""
    query = select(col(MilestoneProgress.association)).where(
        col(MilestoneProgress.local_government) == local_government
    )
    return await session.scalar(query.limit(1))


async def list_actions(
    session: AsyncSession, *, kind: str | None = None, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> Page[ActionRow]:
    """Working-group actions, by start date."""
    query = select(ActionProgress)
    if kind is not None:
        query = query.where(col(ActionProgress.kind) == kind)
    order = (col(ActionProgress.starts_on), col(ActionProgress.action_id))
    total, rows = await paged(session, query, order, offset, limit)
    return Page(total=total, offset=offset, limit=limit, items=[ActionRow.model_validate(r) for (r,) in rows])


async def list_social_approaches(
    session: AsyncSession,
    *,
    association: str | None = None,
    economy: str | None = None,
    women_and_girls: bool | None = None,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> Page[SocialApproachRow]:
    """Local governments' social approaches, by local government."""
    wanted = {
        col(SocialApproachProgress.association): association,
        col(SocialApproachProgress.economy): economy,
        col(SocialApproachProgress.women_and_girls): women_and_girls,
    }
    query = select(SocialApproachProgress).where(*(c == v for c, v in wanted.items() if v is not None))
    order = (col(SocialApproachProgress.local_government), col(SocialApproachProgress.approach_id))
    total, rows = await paged(session, query, order, offset, limit)
    return Page(total=total, offset=offset, limit=limit, items=[SocialApproachRow.model_validate(r) for (r,) in rows])


async def last_scheduled_end(session: AsyncSession, before: datetime) -> datetime | None:
    """Where the last scheduled report ending before `before` stopped (None: there was none)."""
    query = select(func.max(ProgressReport.period_end)).where(
        col(ProgressReport.trigger) == ReportTrigger.SCHEDULED, col(ProgressReport.period_end) < before
    )
    return (await session.execute(query)).scalar_one_or_none()


async def find_report(session: AsyncSession, end: datetime, language: Language) -> ProgressReport | None:
    query = select(ProgressReport).where(
        col(ProgressReport.period_end) == end, col(ProgressReport.language) == language
    )
    return (await session.execute(query)).scalars().first()


async def kept_reports(session: AsyncSession, offset: int, limit: int) -> Sequence[ProgressReport]:
    """Newest period first, without their bytes."""
    query = (
        select(ProgressReport)
        .options(defer(ProgressReport.html), defer(ProgressReport.pdf))  # type: ignore[arg-type]
        .order_by(col(ProgressReport.period_end).desc(), col(ProgressReport.language))
        .offset(offset)
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def report_by_id(session: AsyncSession, report_id: UUID) -> ProgressReport:
    report = await session.get(ProgressReport, report_id)
    if report is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no progress report {report_id}")
    return report
