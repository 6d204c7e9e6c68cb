"""Rules of reviews: only the working group starts a review, decides and verifies, and only in the right state; the
review queue, comments on versions, and meetings' agendas and attendance."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from contracts.envelope import Actor
from contracts.lifecycle import RecommendationStatus
from contracts.working_group import (
    ChangesRequested,
    Decision,
    ImplementationReturned,
    ImplementationVerified,
    RecommendationEndorsed,
    RecommendationRejected,
    ReviewStarted,
)
from services.working_group.domain import require_decider
from sori.errors import CommandRefused, RefusalKind
from sori.moments import as_utc

IN_REVIEW_QUEUE = frozenset({RecommendationStatus.SUBMITTED, RecommendationStatus.UNDER_REVIEW})
ENDORSE, REQUEST_CHANGES, REJECT = "endorse", "request_changes", "reject"
VERIFY, RETURN = "verify", "return"


@dataclass(frozen=True)
class Standing:
    """Where the lifecycle topic last said a recommendation stands; None when it never mentioned it."""

    recommendation_id: UUID
    status: RecommendationStatus
    version: int


def unknown_recommendation(recommendation_id: UUID) -> CommandRefused:
    return CommandRefused(
        RefusalKind.NOT_FOUND, f"recommendation {recommendation_id} has never been seen on the lifecycle topic"
    )


def require_known(standing: Standing | None, recommendation_id: UUID) -> Standing:
    if standing is None:
        raise unknown_recommendation(recommendation_id)
    return standing


def _require_status(standing: Standing, wanted: RecommendationStatus, command: str) -> None:
    if standing.status is not wanted:
        raise CommandRefused(
            RefusalKind.CONFLICT,
            f"cannot {command} a recommendation that is {standing.status.value}; it must be {wanted.value}",
            "wrong_status",
            {"status": standing.status.value, "allowed": wanted.value},
        )


def start_review(
    actor: Actor,
    standing: Standing | None,
    *,
    recommendation_id: UUID,
    may_decide: bool | None,
    reviewers: Sequence[str],
    meeting_id: UUID | None,
) -> ReviewStarted:
    require_decider(actor, may_decide)
    known = require_known(standing, recommendation_id)
    _require_status(known, RecommendationStatus.SUBMITTED, "start a review of")
    return ReviewStarted(
        recommendation_id=known.recommendation_id,
        version=known.version,
        reviewers=list(reviewers),
        meeting_id=meeting_id,
    )


def decide(
    actor: Actor,
    standing: Standing | None,
    *,
    recommendation_id: UUID,
    may_decide: bool | None,
    decision: str,
    comments: Sequence[str],
    reason: str,
    meeting_id: UUID | None,
) -> Decision:
    require_decider(actor, may_decide)
    written_comments = [c.strip() for c in comments if c.strip()]
    if decision == REQUEST_CHANGES and not written_comments:
        raise CommandRefused(
            RefusalKind.INVALID, "requesting changes needs at least one comment saying which", "changes_need_comment"
        )
    if decision == REJECT and not reason.strip():
        raise CommandRefused(RefusalKind.INVALID, "a rejection needs a reason", "rejection_needs_reason")
    known = require_known(standing, recommendation_id)
    _require_status(known, RecommendationStatus.UNDER_REVIEW, decision.replace("_", " "))
    rid, version, by = known.recommendation_id, known.version, actor.sub
    if decision == ENDORSE:
        return RecommendationEndorsed(recommendation_id=rid, version=version, decided_by=by, meeting_id=meeting_id)
    if decision == REQUEST_CHANGES:
        return ChangesRequested(
            recommendation_id=rid, version=version, decided_by=by, meeting_id=meeting_id, comments=written_comments
        )
    if decision == REJECT:
        return RecommendationRejected(
            recommendation_id=rid, version=version, decided_by=by, meeting_id=meeting_id, reason=reason.strip()
        )
    raise CommandRefused(RefusalKind.INVALID, f"unknown decision {decision!r}; say endorse, request_changes or reject")


def verify(
    actor: Actor,
    standing: Standing | None,
    *,
    recommendation_id: UUID,
    may_decide: bool | None,
    outcome: str,
    note: str,
    reasons: Sequence[str],
) -> ImplementationVerified | ImplementationReturned:
    require_decider(actor, may_decide)
    written_reasons = [r.strip() for r in reasons if r.strip()]
    if outcome == RETURN and not written_reasons:
        raise CommandRefused(
            RefusalKind.INVALID, "returning an implementation needs at least one reason", "return_needs_reason"
        )
    if outcome not in (VERIFY, RETURN):
        raise CommandRefused(RefusalKind.INVALID, f"unknown outcome {outcome!r}; say verify or return")
    known = require_known(standing, recommendation_id)
    _require_status(known, RecommendationStatus.IMPLEMENTED, outcome)
    if outcome == VERIFY:
        return ImplementationVerified(recommendation_id=known.recommendation_id, verified_by=actor.sub, note=note)
    return ImplementationReturned(
        recommendation_id=known.recommendation_id, returned_by=actor.sub, reasons=written_reasons
    )


# What the lifecycle will make of each of our events; the queue shows it at once, so a second command is refused.
_STATUS_AFTER: dict[str, RecommendationStatus] = {
    ReviewStarted.TYPE: RecommendationStatus.UNDER_REVIEW,
    RecommendationEndorsed.TYPE: RecommendationStatus.ENDORSED,
    ChangesRequested.TYPE: RecommendationStatus.CHANGES_REQUESTED,
    RecommendationRejected.TYPE: RecommendationStatus.REJECTED,
    ImplementationVerified.TYPE: RecommendationStatus.VERIFIED,
    ImplementationReturned.TYPE: RecommendationStatus.IN_IMPLEMENTATION,
}


def expected_status(event_type: str) -> RecommendationStatus:
    return _STATUS_AFTER[event_type]


def corrects_our_expectation(rejected_event_type: str) -> bool:
    """A refusal of one of our own commands undoes the status the queue expected from it."""
    return rejected_event_type in _STATUS_AFTER


def require_comment_version(standing: Standing, version: int) -> None:
    if version > standing.version:
        raise CommandRefused(
            RefusalKind.INVALID,
            f"version {version} of recommendation {standing.recommendation_id} is not known; "
            f"the latest is {standing.version}",
        )


def require_registered(present: Collection[str], members: Collection[str]) -> list[str]:
    """Attendance names registered members only, each once, in the order given."""
    unknown = sorted(set(present) - set(members))
    if unknown:
        raise CommandRefused(RefusalKind.INVALID, f"not registered working-group members: {', '.join(unknown)}")
    return list(dict.fromkeys(present))


def require_told_of(agenda: Sequence[UUID], told_of: Collection[UUID]) -> list[UUID]:
    """An agenda names recommendations the lifecycle has told of, each once, in the order given."""
    unknown = sorted({str(r) for r in agenda if r not in told_of})
    if unknown:
        raise CommandRefused(
            RefusalKind.INVALID, f"the lifecycle has told the working group of no recommendation {', '.join(unknown)}"
        )
    return list(dict.fromkeys(agenda))


def queue_position(overdue: bool, submitted_at: datetime | None) -> tuple[bool, datetime]:
    """Sort key of the review queue: overdue first, then the oldest submission first (unknown ones last)."""
    return (not overdue, as_utc(submitted_at) if submitted_at else datetime.max.replace(tzinfo=UTC))
