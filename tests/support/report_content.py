"""A progress report's content: a dashboard with names in every script the programme writes, and a month's moves."""

from datetime import UTC, date, datetime
from uuid import uuid4

from contracts.languages import Language
from contracts.lifecycle import (
    RecommendationStatus,
)
from services.progress.reports.content import ChangedRecommendation, ReportContent
from services.progress.schemas import (
    Dashboard,
    Funnel,
    LocalGovernmentMilestones,
    MilestoneRow,
    Participants,
    WomenAndGirls,
)

ALBANIAN = "Shërbime sociale për gratë dhe vajzat në Çair"

SERBIAN_CYRILLIC = "Социјалне услуге у Нишу — ђаци, љубав, џеп"  # noqa: RUF001 (Cyrillic on purpose)


def funnel(key: str, drafted: int, submitted: int, verified: int) -> Funnel:
    total = drafted + submitted + verified
    by_status = {
        RecommendationStatus.DRAFTED: drafted,
        RecommendationStatus.SUBMITTED: submitted,
        RecommendationStatus.VERIFIED: verified,
    }
    share = round(100 * verified / total, 1)
    return Funnel(key=key, total=total, by_status=by_status, implemented_percent=share, verified_percent=share)


def a_dashboard() -> Dashboard:
    late = MilestoneRow(
        milestone_id=uuid4(), recommendation_id=uuid4(), association="SKGO", local_government="RS-NIS",
        title=SERBIAN_CYRILLIC, due_date=date(2026, 10, 15), report_status=None, reported_at=None, reports=0,
        evidence_count=0, overdue=True, escalated=False,
    )  # fmt: skip
    return Dashboard(
        programme=None, economy=None, association=None,
        totals=funnel("all", 4, 5, 3),
        by_programme=[funnel("SoRi 3", 4, 5, 3)],
        by_economy=[funnel("MK", 1, 4, 2), funnel("XK", 3, 1, 1)],
        by_association=[funnel("ZELS", 1, 4, 2), funnel("AKM", 3, 1, 1)],
        overdue_reviews=[], overdue_reviews_total=0,
        overdue_milestones=[late], overdue_milestones_total=1,
        milestones_by_local_government=[
            LocalGovernmentMilestones(local_government="RS-NIS", planned=6, due=4, reported=3, done=2, overdue=1)
        ],
        participants=Participants(
            actions=3, participants=87, attended=71, by_sex={"female": 52, "male": 35},
            by_organisation_type={"local_government": 60, "association": 27},
        ),
        social_approaches=WomenAndGirls(
            approaches=20, marked=7, marked_percent=35.0, target_percent=30.0, target_met=True
        ),
    )  # fmt: skip


def report_content() -> ReportContent:
    """A month's report in English: the dashboard above and one recommendation that moved, its title in Albanian."""
    moved = ChangedRecommendation(
        recommendation_id=uuid4(), code="AKM-2026-02", title=ALBANIAN, association="AKM",
        from_status=RecommendationStatus.DRAFTED, to_status=RecommendationStatus.SUBMITTED,
        at=datetime(2026, 11, 12, 9, 30, tzinfo=UTC),
    )  # fmt: skip
    return ReportContent(
        period_start=datetime(2026, 11, 1, 6, tzinfo=UTC),
        period_end=datetime(2026, 12, 1, 6, tzinfo=UTC),
        language=Language.ENGLISH,
        dashboard=a_dashboard(),
        changes=[moved],
    )
