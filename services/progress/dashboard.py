"""The regional dashboard, computed from the projections for one programme, economy or association (or all)."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from contracts.lifecycle import RecommendationStatus
from services.progress.domain import DONE, IMPLEMENTED_OR_VERIFIED, percent
from services.progress.models import ActionProgress, RecommendationProgress, SocialApproachProgress
from services.progress.overdue import REVIEW_OVERDUE
from services.progress.reads import list_milestones, recommendation_filters, recommendation_row
from services.progress.views import (
    Dashboard,
    Funnel,
    LocalGovernmentMilestones,
    MilestoneRow,
    Participants,
    RecommendationRow,
    WomenAndGirls,
)
from sori.settings import Settings

ALL = "all"
UNKNOWN = "unknown"
EVERY_ROW = 1_000_000


def funnel(key: str, rows: Iterable[RecommendationRow]) -> Funnel:
    by_status = Counter(row.status for row in rows)
    total = sum(by_status.values())
    implemented = sum(by_status[s] for s in IMPLEMENTED_OR_VERIFIED)
    return Funnel(
        key=key,
        total=total,
        by_status={s: by_status[s] for s in RecommendationStatus},
        implemented_percent=percent(implemented, total),
        verified_percent=percent(by_status[RecommendationStatus.VERIFIED], total),
    )


def funnels_by(rows: list[RecommendationRow], key: Callable[[RecommendationRow], str | None]) -> list[Funnel]:
    groups: dict[str, list[RecommendationRow]] = defaultdict(list)
    for row in rows:
        groups[key(row) or UNKNOWN].append(row)
    return [funnel(name, groups[name]) for name in sorted(groups)]


def milestones_by_local_government(milestones: list[MilestoneRow]) -> list[LocalGovernmentMilestones]:
    today = datetime.now(UTC).date()
    groups: dict[str, list[MilestoneRow]] = defaultdict(list)
    for milestone in milestones:
        groups[milestone.local_government].append(milestone)
    return [
        LocalGovernmentMilestones(
            local_government=lg,
            planned=len(rows),
            due=sum(1 for m in rows if m.due_date is not None and m.due_date <= today),
            reported=sum(1 for m in rows if m.reports),
            done=sum(1 for m in rows if m.report_status == DONE),
            overdue=sum(1 for m in rows if m.overdue),
        )
        for lg, rows in sorted(groups.items())
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
    query = select(col(SocialApproachProgress.women_and_girls))
    if economy is not None:
        query = query.where(col(SocialApproachProgress.economy) == economy)
    if association is not None:
        query = query.where(col(SocialApproachProgress.association) == association)
    marks = (await session.scalars(query)).all()
    share = percent(sum(marks), len(marks))
    return WomenAndGirls(
        approaches=len(marks),
        marked=sum(marks),
        marked_percent=share,
        target_percent=target_percent,
        target_met=bool(marks) and share >= target_percent,
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
    found = await session.execute(select(RecommendationProgress, REVIEW_OVERDUE).where(*filters))
    rows = [recommendation_row(row, overdue) for row, overdue in found.all()]
    milestones = (await list_milestones(session, recommendations=filters, limit=EVERY_ROW)).items
    target = Settings().women_and_girls_target_percent if women_and_girls_target is None else women_and_girls_target
    return Dashboard(
        programme=programme,
        economy=economy,
        association=association,
        totals=funnel(ALL, rows),
        by_programme=funnels_by(rows, lambda r: r.programme),
        by_economy=funnels_by(rows, lambda r: r.economy),
        by_association=funnels_by(rows, lambda r: r.association),
        overdue_reviews=[r for r in rows if r.review_overdue],
        overdue_milestones=[m for m in milestones if m.overdue],
        milestones_by_local_government=milestones_by_local_government(milestones),
        participants=await participants(session),
        social_approaches=await women_and_girls(session, economy, association, target),
    )
