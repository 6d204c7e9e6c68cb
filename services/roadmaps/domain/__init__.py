"""Roadmaps' rules: who may do what to a recommendation, in which state, and which event each command produces."""

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from contracts.envelope import Actor, Role
from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus as S
from contracts.roadmaps import (
    CommentAdded,
    MilestoneRescheduled,
    PlannedMilestone,
    RecommendationAssigned,
    RecommendationDrafted,
    RecommendationRevised,
    RecommendationSubmitted,
    RecommendationWithdrawn,
)
from sori.errors import CommandRefused, RefusalKind

SERVICE = "roadmaps"
SUBMITTABLE = frozenset({S.DRAFTED, S.CHANGES_REQUESTED})
EDITABLE = frozenset({S.DRAFTED, S.CHANGES_REQUESTED})
WITHDRAWABLE = frozenset({S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED})
ASSIGNABLE = frozenset({S.ENDORSED})
RESCHEDULABLE = frozenset({S.IN_IMPLEMENTATION})


def require_association_staff(actor: Actor, association: str | None = None) -> str:
    """The association an actor writes for; only LGA staff write roadmaps, and only their own."""
    if actor.role is not Role.LGA:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"only association (lga) staff may do this; you are {actor.role.value}"
        )
    if association is not None and association != actor.org:
        raise CommandRefused(RefusalKind.FORBIDDEN, f"this roadmap belongs to {association}; you act for {actor.org}")
    return actor.org


def require_nalas(actor: Actor) -> None:
    if actor.role is not Role.NALAS:
        raise CommandRefused(RefusalKind.FORBIDDEN, f"only NALAS (nalas) may do this; you are {actor.role.value}")


def require_commenter(actor: Actor, association: str) -> None:
    """The owning association and NALAS discuss a recommendation's versions."""
    if actor.role is Role.NALAS:
        return
    if actor.role is not Role.LGA:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"only NALAS and the owning association comment; you are {actor.role.value}"
        )
    if actor.org != association:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"this recommendation belongs to {association}; you act for {actor.org}"
        )


def require_known(kind: str, codes: Collection[str], known: Collection[str]) -> None:
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise CommandRefused(
            RefusalKind.INVALID, f"unknown {kind}: {', '.join(unknown)} (see GET /roadmaps/v1/reference)"
        )


def require_period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise CommandRefused(RefusalKind.INVALID, f"the period ends ({end}) before it starts ({start})")


def require_first_roadmap(association: str, programme: str, existing: UUID | None) -> None:
    if existing is not None:
        raise CommandRefused(
            RefusalKind.CONFLICT,
            f"{association} already has a roadmap for {programme}: {existing}",
            "roadmap_exists",
            {"association": association, "programme": programme},
        )


def require_running(programme: str, ends_on: date, today: date) -> None:
    """New roadmaps and drafts go into a programme that is running; an ended one keeps its record as it stands."""
    if today > ends_on:
        raise CommandRefused(
            RefusalKind.CONFLICT,
            f"programme {programme} ended on {ends_on}; work in a programme that is running",
            "programme_ended",
            {"programme": programme, "ends_on": ends_on.isoformat()},
        )


def recommendation_code(association: str, year: int, number: int) -> str:
    return f"{association}-{year}-{number:02d}"


def _require_state(status: S, allowed: frozenset[S], command: str) -> None:
    if status not in allowed:
        names = ", ".join(sorted(s.value for s in allowed))
        raise CommandRefused(
            RefusalKind.CONFLICT,
            f"a recommendation that is {status.value} cannot be {command}; only {names} ones can",
            "wrong_status",
            {"status": status.value, "allowed": names.replace(", ", ",")},
        )


def draft(
    actor: Actor,
    *,
    roadmap_association: str,
    roadmap_id: UUID,
    recommendation_id: UUID,
    code: str,
    title: str,
    language: Language,
    programme: str,
) -> RecommendationDrafted:
    require_association_staff(actor, roadmap_association)
    return RecommendationDrafted(
        recommendation_id=recommendation_id,
        roadmap_id=roadmap_id,
        association=roadmap_association,
        code=code,
        title=title,
        language=language,
        version=1,
        programme=programme,
    )


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The fields whose value differs, in the order of `after`."""
    return [name for name, value in after.items() if before.get(name) != value]


def require_editable(actor: Actor, *, association: str, status: S) -> None:
    require_association_staff(actor, association)
    _require_state(status, EDITABLE, "revised")


def revise(
    actor: Actor,
    *,
    association: str,
    recommendation_id: UUID,
    status: S,
    version: int,
    changed: Sequence[str],
) -> RecommendationRevised:
    """A new version, one after `version`; a revision must change something."""
    require_editable(actor, association=association, status=status)
    if not changed:
        raise CommandRefused(
            RefusalKind.INVALID,
            "the revision changes nothing: every field it names has that value",
            "revision_changes_nothing",
        )
    return RecommendationRevised(
        recommendation_id=recommendation_id, association=association, version=version + 1, changed_fields=list(changed)
    )


def submit(
    actor: Actor,
    *,
    association: str,
    recommendation_id: UUID,
    status: S,
    version: int,
) -> RecommendationSubmitted:
    require_association_staff(actor, association)
    _require_state(status, SUBMITTABLE, "submitted")
    return RecommendationSubmitted(recommendation_id=recommendation_id, association=association, version=version)


def withdraw(
    actor: Actor, *, association: str, recommendation_id: UUID, status: S, reason: str
) -> RecommendationWithdrawn:
    require_association_staff(actor, association)
    _require_state(status, WITHDRAWABLE, "withdrawn")
    return RecommendationWithdrawn(recommendation_id=recommendation_id, association=association, reason=reason)


def comment(actor: Actor, *, association: str, recommendation_id: UUID, version: int, comment_id: UUID) -> CommentAdded:
    require_commenter(actor, association)
    return CommentAdded(
        recommendation_id=recommendation_id,
        association=association,
        version=version,
        comment_id=comment_id,
        author_org=actor.org,
        author_role=actor.role,
    )


def assign(
    actor: Actor,
    *,
    association: str,
    recommendation_id: UUID,
    status: S,
    local_governments: Sequence[str],
    milestones: Sequence[PlannedMilestone],
    associations_local_governments: Collection[str],
    today: date,
) -> RecommendationAssigned:
    """Endorsed recommendations go to the association's own local governments, each milestone to an assigned one."""
    require_association_staff(actor, association)
    _require_state(status, ASSIGNABLE, "assigned")
    if len(set(local_governments)) != len(local_governments):
        raise CommandRefused(RefusalKind.INVALID, "a local government is named twice in local_governments")
    foreign = [lg for lg in local_governments if lg not in associations_local_governments]
    if foreign:
        raise CommandRefused(RefusalKind.INVALID, f"not local governments of {association}: {', '.join(foreign)}")
    for milestone in milestones:
        if milestone.local_government not in local_governments:
            raise CommandRefused(
                RefusalKind.INVALID,
                f"milestone {milestone.title!r} is for {milestone.local_government}, "
                "which is not among the assigned local governments",
            )
        _require_not_past(milestone.due_date, today, f"milestone {milestone.title!r}")
    return RecommendationAssigned(
        recommendation_id=recommendation_id,
        association=association,
        local_governments=list(local_governments),
        milestones=list(milestones),
    )


def reschedule(
    actor: Actor,
    *,
    association: str,
    recommendation_id: UUID,
    status: S,
    milestone_id: UUID,
    due_date: date,
    reason: str,
    today: date,
) -> MilestoneRescheduled:
    require_association_staff(actor, association)
    _require_state(status, RESCHEDULABLE, "rescheduled")
    _require_not_past(due_date, today, "the new due date")
    return MilestoneRescheduled(
        recommendation_id=recommendation_id, milestone_id=milestone_id, due_date=due_date, reason=reason
    )


def _require_not_past(due_date: date, today: date, what: str) -> None:
    if due_date < today:
        raise CommandRefused(
            RefusalKind.INVALID,
            f"{what} is due {due_date}, which is in the past (today is {today})",
            "due_in_past",
            {"due_date": due_date.isoformat()},
        )
