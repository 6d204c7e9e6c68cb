"""A report's content laid out once, in its language's words, for both the HTML and the PDF to draw."""

from dataclasses import dataclass

from services.progress.reports.content import ReportContent
from services.progress.reports.labels import LABELS, STATUS_NAMES
from services.progress.reports.tables import (
    Table,
    changes_table,
    counts_table,
    funnel_table,
    milestones_by_lg_table,
    moment,
    overdue_milestones_table,
    overdue_reviews_table,
    percent,
)
from services.progress.schemas import Funnel


@dataclass(frozen=True)
class ReportDocument:
    language: str
    title: str
    period: str
    generated: str
    nothing: str
    figures: list[tuple[str, str]]
    funnel_title: str
    funnel: list[tuple[str, int]]
    tables: list[Table]


def lay_out(content: ReportContent) -> ReportDocument:
    words = LABELS[content.language]
    board = content.dashboard
    return ReportDocument(
        language=content.language.value,
        title=words["title"],
        period=f"{words['period']}: {moment(content.period_start)} \N{EN DASH} {moment(content.period_end)}",
        generated=f"{words['generated']} {moment(content.period_end)}",
        nothing=words["nothing"],
        figures=_figures(content, words),
        funnel_title=words["funnel"],
        funnel=[(STATUS_NAMES[status], count) for status, count in board.totals.by_status.items()],
        tables=[
            changes_table(content, words),
            *(funnel_table(dimension, funnels, words) for dimension, funnels in _funnel_groups(content)),
            overdue_reviews_table(content, words),
            overdue_milestones_table(content, words),
            milestones_by_lg_table(content, words),
            counts_table("sex", board.participants.by_sex, words),
            counts_table("organisation_type", board.participants.by_organisation_type, words),
        ],
    )


def _figures(content: ReportContent, words: dict[str, str]) -> list[tuple[str, str]]:
    board = content.dashboard
    women = board.social_approaches
    verdict = words["met"] if women.target_met else words["not_met"]
    return [
        (words["recommendations"], str(board.totals.total)),
        (words["implemented_percent"], percent(board.totals.implemented_percent)),
        (words["verified_percent"], percent(board.totals.verified_percent)),
        (words["overdue_reviews"], str(board.overdue_reviews_total)),
        (words["overdue_milestones"], str(board.overdue_milestones_total)),
        (words["participants"], str(board.participants.participants)),
        (
            words["women_and_girls"],
            f"{women.marked} / {women.approaches} ({percent(women.marked_percent)}; "
            f"{words['target']} {percent(women.target_percent)}, {verdict})",
        ),
    ]


def _funnel_groups(content: ReportContent) -> list[tuple[str, list[Funnel]]]:
    board = content.dashboard
    return [
        ("programme", board.by_programme),
        ("economy", board.by_economy),
        ("association", board.by_association),
    ]
