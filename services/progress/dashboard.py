"""The regional dashboard, computed from the projections for one programme, economy or association (or all)."""

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from contracts.lifecycle import RecommendationStatus
from services.progress.domain import DONE, IMPLEMENTED_OR_VERIFIED, percent
from services.progress.models import ActionProgress, MilestoneProgress, RecommendationProgress, SocialApproachProgress
from services.progress.schemas import (
    Dashboard,
    Funnel,
    LocalGovernmentMilestones,
    Participants,
    WomenAndGirls,
)
from services.progress.store import (
    MILESTONE_OVERDUE,
    REVIEW_OVERDUE,
    list_milestones,
    paged,
    recommendation_filters,
    recommendation_row,
)
from sori.settings import Settings

ALL = "all"
UNKNOWN = "unknown"
# A programme at scale has tens of thousands of overdue milestones: the dashboard lists the longest overdue.
OVERDUE_LISTED = 100


class StatusCount(NamedTuple):
    programme: str | None
    economy: str | None
    association: str | None
    status: RecommendationStatus
    recommendations: int


def funnel(key: str, by_status: Counter[RecommendationStatus]) -> Funnel:
    total = sum(by_status.values())
    implemented = sum(by_status[s] for s in IMPLEMENTED_OR_VERIFIED)
    return Funnel(
        key=key,
        total=total,
        by_status={s: by_status[s] for s in RecommendationStatus},
        implemented_percent=percent(implemented, total),
        verified_percent=percent(by_status[RecommendationStatus.VERIFIED], total),
    )


def funnels_by(counts: list[StatusCount], key: Callable[[StatusCount], str | None]) -> list[Funnel]:
    groups: dict[str, Counter[RecommendationStatus]] = defaultdict(Counter)
    for row in counts:
        groups[key(row) or UNKNOWN][row.status] += row.recommendations
    return [funnel(name, groups[name]) for name in sorted(groups)]


async def status_counts(session: AsyncSession, filters: list[ColumnElement[bool]]) -> list[StatusCount]:
    """How many recommendations stand in each status, per programme, economy and association: one grouped query."""
    grouping = [col(RecommendationProgress.programme), col(RecommendationProgress.economy)]
    grouping += [col(RecommendationProgress.association), col(RecommendationProgress.status)]
    rows = await session.execute(select(*grouping, func.count()).where(*filters).group_by(*grouping))
    return [StatusCount(r[0], r[1], r[2], RecommendationStatus(str(r[3])), int(r[4] or 0)) for r in rows.all()]


def _how_many(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def milestones_by_local_government(
    session: AsyncSession, filters: list[ColumnElement[bool]]
) -> list[LocalGovernmentMilestones]:
    lg = col(MilestoneProgress.local_government)
    query = select(
        lg,
        func.count(),
        _how_many(col(MilestoneProgress.due_date) <= datetime.now(UTC).date()),
        _how_many(col(MilestoneProgress.reports) > 0),
        _how_many(col(MilestoneProgress.report_status) == DONE),
        _how_many(MILESTONE_OVERDUE),
    )
    if filters:
        of_those = select(col(RecommendationProgress.recommendation_id)).where(*filters)
        query = query.where(col(MilestoneProgress.recommendation_id).in_(of_those))
    rows = await session.execute(query.group_by(lg).order_by(lg))
    return [
        LocalGovernmentMilestones(local_government=name, planned=n, due=due, reported=reported, done=done, overdue=late)
        for name, n, due, reported, done, late in rows.all()
    ]


async def participants(session: AsyncSession) -> Participants:
    actions = (await session.scalars(select(ActionProgress))).all()
    by_sex: Counter[str] = Counter()
    by_organisation_type: Counter[str] = Counter()
    for action in actions:
        by_sex.update(action.participants_by_sex)
        by_organisation_type.update(action.participants_by_organisation_type)
    return Participants(
        actions=len(actions),
        participants=sum(a.participants for a in actions),
        attended=sum(a.attended for a in actions),
        by_sex=dict(sorted(by_sex.items())),
        by_organisation_type=dict(sorted(by_organisation_type.items())),
    )


async def women_and_girls(
    session: AsyncSession, economy: str | None, association: str | None, target_percent: float
) -> WomenAndGirls:
    query = select(func.count(), _how_many(col(SocialApproachProgress.women_and_girls).is_(True)))
    if economy is not None:
        query = query.where(col(SocialApproachProgress.economy) == economy)
    if association is not None:
        query = query.where(col(SocialApproachProgress.association) == association)
    approaches, marked = (await session.execute(query)).one()
    share = percent(marked, approaches)
    return WomenAndGirls(
        approaches=approaches,
        marked=marked,
        marked_percent=share,
        target_percent=target_percent,
        target_met=approaches > 0 and share >= target_percent,
    )


async def dashboard(
    session: AsyncSession,
    *,
    programme: str | None = None,
    economy: str | None = None,
    association: str | None = None,
    women_and_girls_target: float | None = None,
) -> Dashboard:
    """Where the roadmap stands for the filters given.

    Funnels, overdue reviews and milestones follow every filter; social approaches follow economy and association
    (they belong to no programme); actions and their participants belong to the whole programme and ignore filters.
    The women-and-girls target is SORI_WOMEN_AND_GIRLS_TARGET unless given.
    """
    filters = recommendation_filters(programme=programme, economy=economy, association=association)
    counts = await status_counts(session, filters)
    review_query = select(RecommendationProgress, REVIEW_OVERDUE).where(*filters, REVIEW_OVERDUE)
    by_submission = (col(RecommendationProgress.submitted_at), col(RecommendationProgress.recommendation_id))
    reviews_total, reviews = await paged(session, review_query, by_submission, 0, OVERDUE_LISTED)
    late = await list_milestones(session, recommendations=filters, overdue=True, limit=OVERDUE_LISTED)
    target = Settings().women_and_girls_target_percent if women_and_girls_target is None else women_and_girls_target
    return Dashboard(
        programme=programme,
        economy=economy,
        association=association,
        totals=funnels_by(counts, lambda _: ALL)[0] if counts else funnel(ALL, Counter()),
        by_programme=funnels_by(counts, lambda r: r.programme),
        by_economy=funnels_by(counts, lambda r: r.economy),
        by_association=funnels_by(counts, lambda r: r.association),
        overdue_reviews=[recommendation_row(row, is_overdue) for row, is_overdue in reviews],
        overdue_reviews_total=reviews_total,
        overdue_milestones=late.items,
        overdue_milestones_total=late.total,
        milestones_by_local_government=await milestones_by_local_government(session, filters),
        participants=await participants(session),
        social_approaches=await women_and_girls(session, economy, association, target),
    )
