"""The report's tables, one builder each, in the report language's words; and how it writes moments and shares."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from services.progress.reports.content import ChangedRecommendation, ReportContent
from services.progress.reports.labels import STATUS_NAMES
from services.progress.schemas import Funnel


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[str]] = field(default_factory=list)


def moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def percent(value: float) -> str:
    return f"{value:.1f} %"


def funnel_table(dimension: str, funnels: list[Funnel], words: dict[str, str]) -> Table:
    # Only the statuses some recommendation is in: ten mostly empty columns would hide the ones that count.
    statuses = [status for status in STATUS_NAMES if any(funnel.by_status.get(status) for funnel in funnels)]
    headers = (
        words[dimension],
        words["total"],
        *(STATUS_NAMES[status] for status in statuses),
        words["implemented_percent"],
        words["verified_percent"],
    )
    rows = [
        (
            funnel.key,
            str(funnel.total),
            *(str(funnel.by_status.get(status, 0)) for status in statuses),
            percent(funnel.implemented_percent),
            percent(funnel.verified_percent),
        )
        for funnel in funnels
    ]
    return Table(words[f"by_{dimension}"], headers, rows)


def changes_table(content: ReportContent, words: dict[str, str]) -> Table:
    headers = (words["when"], words["code"], words["recommendation"], words["association"], words["change"])
    rows = [
        (
            moment(change.at),
            change.code or "—",
            change.title or str(change.recommendation_id),
            change.association or "—",
            move(change, words),
        )
        for change in content.changes
    ]
    return Table(words["changes"], headers, rows)


def move(change: ChangedRecommendation, words: dict[str, str]) -> str:
    before = STATUS_NAMES[change.from_status] if change.from_status else words["new"]
    steps = f" ({change.moves} {words['moves']})" if change.moves > 1 else ""
    return f"{before} → {STATUS_NAMES[change.to_status]}{steps}"


def overdue_reviews_table(content: ReportContent, words: dict[str, str]) -> Table:
    headers = (words["code"], words["recommendation"], words["association"], words["submitted"])
    rows = [
        (r.code or "—", r.title or str(r.recommendation_id), r.association or "—", maybe_moment(r.submitted_at))
        for r in content.dashboard.overdue_reviews
    ]
    return Table(words["overdue_reviews"], headers, rows)


def maybe_moment(value: datetime | None) -> str:
    return moment(value) if value else "—"


def day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def overdue_milestones_table(content: ReportContent, words: dict[str, str]) -> Table:
    headers = (words["local_government"], words["milestone"], words["due_date"], words["status"])
    rows = [
        (m.local_government, m.title or "—", day(m.due_date), m.report_status or "—")
        for m in content.dashboard.overdue_milestones
    ]
    return Table(words["overdue_milestones"], headers, rows)


def milestones_by_lg_table(content: ReportContent, words: dict[str, str]) -> Table:
    keys = ("planned", "due", "reported", "done", "overdue")
    headers = (words["local_government"], *(words[key] for key in keys))
    rows = [
        (lg.local_government, *(str(getattr(lg, key)) for key in keys))
        for lg in content.dashboard.milestones_by_local_government
    ]
    return Table(words["milestones_by_lg"], headers, rows)


def counts_table(dimension: str, counts: dict[str, int], words: dict[str, str]) -> Table:
    rows = [(key, str(value)) for key, value in sorted(counts.items())]
    return Table(words[f"participants_by_{dimension}"], (words[dimension], words["count"]), rows)
