"""Notification rules, pure: who hears of which event, who may manage what, and how long to wait before a retry."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from contracts.envelope import Actor, Envelope, Role
from contracts.lifecycle import (
    DraftIdle,
    MilestoneClock,
    MilestoneDueSoon,
    MilestoneEscalated,
    MilestoneOverdue,
    MilestonesPlanned,
    RecommendationStatus,
    ReviewOverdue,
    StatusChanged,
)
from sori.errors import CommandRefused, RefusalKind

NALAS = "NALAS"


class NoticeKind(StrEnum):
    CHANGES_REQUESTED = "changes_requested"
    ENDORSED = "endorsed"
    REJECTED = "rejected"
    IMPLEMENTED = "implemented"
    VERIFIED = "verified"
    RETURNED = "returned"
    MILESTONES_ASSIGNED = "milestones_assigned"
    DRAFT_IDLE = "draft_idle"
    MILESTONE_DUE_SOON = "milestone_due_soon"
    MILESTONE_OVERDUE = "milestone_overdue"
    MILESTONE_ESCALATED = "milestone_escalated"
    REVIEW_OVERDUE = "review_overdue"


# The status changes everyone concerned hears of; changes requested concerns only the association.
_TO_EVERYONE = {
    RecommendationStatus.ENDORSED: NoticeKind.ENDORSED,
    RecommendationStatus.REJECTED: NoticeKind.REJECTED,
    RecommendationStatus.IMPLEMENTED: NoticeKind.IMPLEMENTED,
    RecommendationStatus.VERIFIED: NoticeKind.VERIFIED,
}


@dataclass(frozen=True)
class NoticePlan:
    """What to tell about one event: the kind of notice, its parameters, and the organisations concerned."""

    kind: NoticeKind
    recommendation_id: UUID
    organisations: frozenset[str]
    params: dict[str, str] = field(default_factory=dict)
    comments: tuple[str, ...] = ()  # what the working group wrote, quoted under the body


def plan_notice(event: Envelope, assigned: Iterable[str]) -> NoticePlan | None:
    """Who hears of this event and what they are told; None when it concerns no one.

    The working group's decisions are heard through the lifecycle's status changes, which carry the association and
    exist only for transitions the lifecycle applied: a decision it refused tells no one.
    """
    data = event.data
    if isinstance(data, StatusChanged):
        return _status_notice(data, set(assigned))
    if isinstance(data, MilestonesPlanned):
        params = {"recommendation": _short(data.recommendation_id), "association": data.association}
        orgs = frozenset(m.local_government for m in data.milestones)
        return NoticePlan(NoticeKind.MILESTONES_ASSIGNED, data.recommendation_id, orgs, params)
    if isinstance(data, DraftIdle):
        params = {
            "recommendation": _short(data.recommendation_id),
            "association": data.association,
            "since": data.idle_since.date().isoformat(),
        }
        return NoticePlan(NoticeKind.DRAFT_IDLE, data.recommendation_id, frozenset({data.association}), params)
    if isinstance(data, ReviewOverdue):
        params = {
            "recommendation": _short(data.recommendation_id),
            "association": data.association,
            "due": data.due_at.date().isoformat(),
        }
        return NoticePlan(NoticeKind.REVIEW_OVERDUE, data.recommendation_id, frozenset({NALAS}), params)
    if isinstance(data, MilestoneClock):
        return _milestone_notice(data)
    return None


def _status_notice(data: StatusChanged, assigned: set[str]) -> NoticePlan | None:
    association = {data.association} if data.association else set()
    if data.to_status is RecommendationStatus.CHANGES_REQUESTED:
        return _told(NoticeKind.CHANGES_REQUESTED, data, association)
    if (
        data.from_status is RecommendationStatus.IMPLEMENTED
        and data.to_status is RecommendationStatus.IN_IMPLEMENTATION
    ):
        # Verification returned the implementation: those who do the milestones have more to do.
        return _told(NoticeKind.RETURNED, data, association | assigned)
    kind = _TO_EVERYONE.get(data.to_status)
    if kind is None:
        return None
    return _told(kind, data, association | assigned | {NALAS})


def _told(kind: NoticeKind, data: StatusChanged, organisations: set[str]) -> NoticePlan:
    params = {"recommendation": _short(data.recommendation_id), "association": data.association or ""}
    return NoticePlan(kind, data.recommendation_id, frozenset(organisations), params, tuple(data.comments))


def _milestone_notice(data: MilestoneClock) -> NoticePlan | None:
    params = {
        "recommendation": _short(data.recommendation_id),
        "association": data.association,
        "milestone": data.title,
        "local_government": data.local_government,
        "due": data.due_date.isoformat(),
    }
    if isinstance(data, MilestoneEscalated):
        orgs = {NALAS} if "nalas" in data.escalated_to else set()
        if "lga" in data.escalated_to:
            orgs.add(data.association)
        return NoticePlan(NoticeKind.MILESTONE_ESCALATED, data.recommendation_id, frozenset(orgs), params)
    kinds: dict[type[MilestoneClock], NoticeKind] = {
        MilestoneDueSoon: NoticeKind.MILESTONE_DUE_SOON,
        MilestoneOverdue: NoticeKind.MILESTONE_OVERDUE,
    }
    kind = kinds.get(type(data))
    if kind is None:
        return None
    orgs = {data.association, data.local_government}
    return NoticePlan(kind, data.recommendation_id, frozenset(orgs), params)


def _short(recommendation_id: UUID) -> str:
    return str(recommendation_id)[:8]


def notice_id(event_id: UUID, person_id: UUID) -> UUID:
    """One notice per person and event, with an id that a repeat computes again."""
    return uuid5(NAMESPACE_URL, f"sori:notice:{event_id}:{person_id}")


def digest_id(person_id: UUID, day: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"sori:digest:{person_id}:{day}")


def delivery_id(webhook_id: UUID, event_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"sori:delivery:{webhook_id}:{event_id}")


def webhook_wants(event_types: Iterable[str], scope: str | None, event_type: str, orgs: Iterable[str]) -> bool:
    """A subscription wants an event of one of its types ("*" for all) that concerns its organisation, if any."""
    types = set(event_types)
    if "*" not in types and event_type not in types:
        return False
    return scope is None or scope in set(orgs)


def next_attempt(now: datetime, attempts: int, base_seconds: float, max_seconds: float) -> datetime:
    """Exponential backoff: base, 2 * base, 4 * base … capped at max, after the n-th failed attempt (n ≥ 1)."""
    delay = min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds)
    return now + timedelta(seconds=delay)


def check_event_types(wanted: Iterable[str], known: Iterable[str]) -> list[str]:
    """The event types a subscription asks for, once each; a type this service never hears of is refused."""
    types = list(dict.fromkeys(wanted))
    unknown = sorted(set(types) - set(known) - {"*"})
    if unknown:
        raise CommandRefused(
            RefusalKind.INVALID,
            f"notifications hears of no event type {', '.join(unknown)[:300]}; name lifecycle, working-group or "
            "social-approaches types, or *",
        )
    return types


def require_nalas(actor: Actor) -> None:
    if actor.role is not Role.NALAS:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"only NALAS (nalas) manages people and webhooks; you are {actor.role.value}"
        )


def require_own(actor: Actor, owner_sub: str, what: str) -> None:
    if owner_sub != actor.sub:
        raise CommandRefused(RefusalKind.FORBIDDEN, f"{what} belongs to {owner_sub}, not to you ({actor.sub})")
