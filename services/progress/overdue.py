"""What counts as overdue, as SQL: a list can filter on it and a row can show it from one definition."""

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import Mapped
from sqlmodel import col

from services.progress.domain import AWAITING_REVIEW, DONE
from services.progress.models import MilestoneProgress, RecommendationProgress

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
