"""The public selection: everything the public side shows, read from the projections through rules.py, as plain
values any page, file or feed renders. `public_programme(session)` is the one entry; nothing else of the public
side reads progress' tables, so nothing reaches the public that these functions left out.

Identifiers are the projections' own UUIDs (stable across replays); an indicator, known by its name within its
recommendation until the results framework gives it one, gets a UUID derived from the two (`indicator_id`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID, uuid5

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from contracts.lifecycle import RecommendationStatus
from contracts.working_group import PublicItem, Visibility
from services.progress.models import (
    ActionProgress,
    IndicatorActual,
    MilestoneProgress,
    PublicationDecision,
    RecommendationProgress,
    SocialApproachProgress,
    StatusChange,
)
from services.progress.public import rules
from services.progress.public.rules import MilestoneState, Shown
from services.progress.store import LIFECYCLE_ORDER, MILESTONE_OVERDUE


@dataclass(frozen=True)
class PublicRecommendation:
    id: UUID
    code: str | None
    title: str | None  # None: the title was revised since the draft, and the projection knows only the draft's
    language: str | None
    status: RecommendationStatus
    programme: str | None
    association: str | None
    economy: str | None
    roadmap_id: UUID | None
    endorsed_version: int | None
    local_governments: tuple[str, ...]
    decided_at: datetime | None
    implemented_at: datetime | None
    verified_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class PublicMilestone:
    id: UUID
    recommendation_id: UUID
    local_government: str
    title: str | None
    due_date: date | None
    state: MilestoneState
    reported_at: datetime | None


@dataclass(frozen=True)
class PublicActual:
    id: UUID
    indicator_id: UUID
    recommendation_id: UUID
    milestone_id: UUID
    local_government: str
    value: float
    by_sex: dict[str, Shown]
    reported_at: datetime
    approved: bool


@dataclass(frozen=True)
class PublicIndicator:
    id: UUID
    recommendation_id: UUID
    name: str
    milestone_ids: tuple[UUID, ...]
    actuals: tuple[PublicActual, ...] = field(default=())


@dataclass(frozen=True)
class PublicAction:
    id: UUID
    kind: str
    title: str | None
    language: str | None
    starts_on: date | None
    ends_on: date | None
    online: bool | None
    stage: str
    sessions: int
    participants: Shown
    attended: Shown
    participants_by_sex: dict[str, Shown]


@dataclass(frozen=True)
class PublicApproach:
    id: UUID
    local_government: str
    association: str | None
    economy: str | None
    approach_type: str
    women_and_girls: bool
    status: str
    beneficiaries_planned: int
    beneficiaries_reached: int
    updated_at: datetime


@dataclass(frozen=True)
class PublicChange:
    """A move the public hears of: a public recommendation endorsed, implemented or verified."""

    id: UUID  # the lifecycle event's
    recommendation_id: UUID
    to_status: RecommendationStatus
    at: datetime


@dataclass(frozen=True)
class PublicProgramme:
    recommendations: tuple[PublicRecommendation, ...]
    milestones: tuple[PublicMilestone, ...]
    indicators: tuple[PublicIndicator, ...]
    actions: tuple[PublicAction, ...]
    approaches: tuple[PublicApproach, ...]
    changes: tuple[PublicChange, ...]

    @property
    def actuals(self) -> tuple[PublicActual, ...]:
        return tuple(actual for indicator in self.indicators for actual in indicator.actuals)

    @property
    def updated_at(self) -> datetime | None:
        """The latest moment anything public changed (None: nothing is public)."""
        moments: list[datetime] = [
            *(r.updated_at for r in self.recommendations),
            *(a.reported_at for a in self.actuals),
            *(a.updated_at for a in self.approaches),
            *(m.reported_at for m in self.milestones if m.reported_at),
        ]
        return max(moments, default=None)


def indicator_id(recommendation_id: UUID, name: str) -> UUID:
    return uuid5(recommendation_id, f"indicator:{name}")


async def public_programme(session: AsyncSession) -> PublicProgramme:
    decisions = await _decisions(session)
    recommendations = await public_recommendations(session, decisions)
    by_id = {r.id: r for r in recommendations}
    milestones = await public_milestones(session, by_id, decisions)
    return PublicProgramme(
        recommendations=recommendations,
        milestones=milestones,
        indicators=await public_indicators(session, by_id, milestones),
        actions=await public_actions(session, decisions),
        approaches=await public_approaches(session, decisions),
        changes=await public_changes(session, by_id),
    )


Decisions = dict[tuple[PublicItem, UUID], Visibility]


async def _decisions(session: AsyncSession) -> Decisions:
    rows = (await session.execute(select(PublicationDecision))).scalars()
    return {(PublicItem(d.item_kind), d.item_id): Visibility(d.visibility) for d in rows}


async def public_recommendations(session: AsyncSession, decisions: Decisions) -> tuple[PublicRecommendation, ...]:
    shown = [s.value for s in rules.PUBLIC_STATUSES | rules.PUBLISHABLE_STATUSES]
    query = (
        select(RecommendationProgress)
        .where(col(RecommendationProgress.status).in_(shown))
        .order_by(col(RecommendationProgress.code), col(RecommendationProgress.recommendation_id))
    )
    rows = (await session.execute(query)).scalars()
    return tuple(
        _recommendation(row)
        for row in rows
        if rules.recommendation_is_public(row.status, decisions.get((PublicItem.RECOMMENDATION, row.recommendation_id)))
    )


def _recommendation(row: RecommendationProgress) -> PublicRecommendation:
    return PublicRecommendation(
        id=row.recommendation_id,
        code=row.code,
        title=row.title if rules.title_is_public(row.title_revised) else None,
        language=row.language,
        status=row.status,
        programme=row.programme,
        association=row.association,
        economy=row.economy,
        roadmap_id=row.roadmap_id,
        endorsed_version=row.endorsed_version,
        local_governments=tuple(row.local_governments),
        decided_at=row.decided_at,
        implemented_at=row.implemented_at,
        verified_at=row.verified_at,
        updated_at=row.updated_at,
    )


async def public_milestones(
    session: AsyncSession, recommendations: dict[UUID, PublicRecommendation], decisions: Decisions
) -> tuple[PublicMilestone, ...]:
    query = (
        select(MilestoneProgress, MILESTONE_OVERDUE)
        .where(col(MilestoneProgress.recommendation_id).in_(list(recommendations)))
        .order_by(col(MilestoneProgress.due_date), col(MilestoneProgress.milestone_id))
    )
    return tuple(
        PublicMilestone(
            id=row.milestone_id,
            recommendation_id=row.recommendation_id,
            local_government=row.local_government,
            title=row.title,
            due_date=row.due_date,
            state=rules.milestone_state(row.report_status, bool(overdue)),
            reported_at=row.reported_at,
        )
        for row, overdue in (await session.execute(query)).all()
        if rules.item_is_public(decisions.get((PublicItem.MILESTONE, row.milestone_id)))
    )


async def public_indicators(
    session: AsyncSession, recommendations: dict[UUID, PublicRecommendation], milestones: Sequence[PublicMilestone]
) -> tuple[PublicIndicator, ...]:
    """Each indicator a public milestone's plan names, with the values reports of public milestones gave it."""
    shown = {m.id for m in milestones}
    query = (
        select(IndicatorActual)
        .where(col(IndicatorActual.milestone_id).in_(list(shown)))
        .order_by(col(IndicatorActual.reported_at), col(IndicatorActual.actual_id))
    )
    actuals = (await session.execute(query)).scalars().all()
    planned = await _planned_indicators(session, shown)
    names: dict[tuple[UUID, str], list[UUID]] = {}
    for recommendation_id, milestone_id, name in [
        *planned,
        *((a.recommendation_id, a.milestone_id, a.indicator) for a in actuals),
    ]:
        at = names.setdefault((recommendation_id, name), [])
        if milestone_id not in at:
            at.append(milestone_id)
    return tuple(
        PublicIndicator(
            id=indicator_id(recommendation_id, name),
            recommendation_id=recommendation_id,
            name=name,
            milestone_ids=tuple(milestone_ids),
            actuals=tuple(
                _actual(a, recommendations[recommendation_id].status)
                for a in actuals
                if (a.recommendation_id, a.indicator) == (recommendation_id, name)
            ),
        )
        for (recommendation_id, name), milestone_ids in sorted(names.items(), key=lambda n: (str(n[0][0]), n[0][1]))
    )


async def _planned_indicators(session: AsyncSession, milestones: Iterable[UUID]) -> list[tuple[UUID, UUID, str]]:
    query = select(MilestoneProgress).where(col(MilestoneProgress.milestone_id).in_(list(milestones)))
    return [
        (m.recommendation_id, m.milestone_id, name)
        for m in (await session.execute(query)).scalars()
        for name in m.indicators
    ]


def _actual(actual: IndicatorActual, status: RecommendationStatus) -> PublicActual:
    return PublicActual(
        id=actual.actual_id,
        indicator_id=indicator_id(actual.recommendation_id, actual.indicator),
        recommendation_id=actual.recommendation_id,
        milestone_id=actual.milestone_id,
        local_government=actual.local_government,
        value=actual.value,
        by_sex=rules.shown_by_sex(actual.by_sex),
        reported_at=actual.reported_at,
        approved=rules.actual_is_approved(status),
    )


async def public_actions(session: AsyncSession, decisions: Decisions) -> tuple[PublicAction, ...]:
    query = select(ActionProgress).order_by(col(ActionProgress.starts_on), col(ActionProgress.action_id))
    return tuple(
        PublicAction(
            id=a.action_id,
            kind=a.kind,
            title=a.title,
            language=a.language,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            online=a.online,
            stage=a.stage,
            sessions=a.sessions,
            participants=rules.shown_count(a.participants),
            attended=rules.shown_count(a.attended),
            participants_by_sex=rules.shown_by_sex(a.participants_by_sex),
        )
        for a in (await session.execute(query)).scalars()
        if rules.item_is_public(decisions.get((PublicItem.ACTION, a.action_id)))
    )


async def public_approaches(session: AsyncSession, decisions: Decisions) -> tuple[PublicApproach, ...]:
    query = select(SocialApproachProgress).order_by(
        col(SocialApproachProgress.local_government), col(SocialApproachProgress.approach_id)
    )
    return tuple(
        PublicApproach(
            id=a.approach_id,
            local_government=a.local_government,
            association=a.association,
            economy=a.economy,
            approach_type=a.approach_type,
            women_and_girls=a.women_and_girls,
            status=a.status,
            beneficiaries_planned=a.beneficiaries_planned,
            beneficiaries_reached=a.beneficiaries_reached,
            updated_at=a.updated_at,
        )
        for a in (await session.execute(query)).scalars()
        if rules.item_is_public(decisions.get((PublicItem.SOCIAL_APPROACH, a.approach_id)))
    )


async def public_changes(
    session: AsyncSession, recommendations: dict[UUID, PublicRecommendation]
) -> tuple[PublicChange, ...]:
    """The announced moves of public recommendations, the latest first."""
    query = (
        select(StatusChange)
        .where(
            col(StatusChange.recommendation_id).in_(list(recommendations)),
            col(StatusChange.to_status).in_([s.value for s in rules.ANNOUNCED_STATUSES]),
        )
        .order_by(*LIFECYCLE_ORDER)
    )
    changes = [
        PublicChange(id=c.event_id, recommendation_id=c.recommendation_id, to_status=c.to_status, at=c.at)
        for c in (await session.execute(query)).scalars()
    ]
    return tuple(sorted(changes, key=lambda c: c.at, reverse=True))
