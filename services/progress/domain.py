"""Progress' rules: a later fact never gives way to an earlier one; shares are percentages of a whole."""

from datetime import UTC, datetime
from uuid import UUID, uuid5

from contracts.lifecycle import RecommendationStatus
from sori.moments import as_utc, is_newer

# A recommendation first heard of from a non-lifecycle fact has no known status time yet: any status change wins.
STATUS_NOT_YET_KNOWN = datetime(1970, 1, 1, tzinfo=UTC)

AWAITING_REVIEW = frozenset({RecommendationStatus.SUBMITTED, RecommendationStatus.UNDER_REVIEW})
IMPLEMENTED_OR_VERIFIED = frozenset({RecommendationStatus.IMPLEMENTED, RecommendationStatus.VERIFIED})
DONE = "done"


def latest(current: datetime | None, moment: datetime) -> datetime:
    """The later of two moments: keeping the latest makes a projection the same whatever the delivery order."""
    return moment if current is None or as_utc(moment) > as_utc(current) else current


def moves_later(shown: tuple[int | None, datetime], move: tuple[int | None, datetime]) -> bool:
    """Whether a status move, as (lifecycle sequence, moment), comes after the one a row shows. The lifecycle's
    sequence decides, since moves of one moment share their time; a move from before lifecycles numbered their
    events comes before every numbered one, and two such go by time as they always did."""
    (shown_sequence, shown_at), (sequence, at) = shown, move
    if sequence is None:
        return shown_sequence is None and is_newer(shown_at, at)
    return shown_sequence is None or sequence > shown_sequence


def actual_id(report_id: UUID, indicator: str) -> UUID:
    """The identifier of one indicator's value in one report: the same however often the report is projected."""
    return uuid5(report_id, indicator)


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


__all__ = ["actual_id", "as_utc", "is_newer", "latest", "moves_later", "percent"]
