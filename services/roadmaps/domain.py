"""Roadmaps' rules: who may draft and submit what, in which state, and which event each command produces."""

from uuid import UUID

from contracts.envelope import Actor, Role
from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted
from sori.errors import CommandRefused, RefusalKind

SERVICE = "roadmaps"
SUBMITTABLE = frozenset({RecommendationStatus.DRAFTED, RecommendationStatus.CHANGES_REQUESTED})


def require_association_staff(actor: Actor, association: str | None = None) -> str:
    """The association an actor writes for; only LGA staff write roadmaps, and only their own."""
    if actor.role is not Role.LGA:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"only association (lga) staff may do this; you are {actor.role.value}"
        )
    if association is not None and association != actor.org:
        raise CommandRefused(RefusalKind.FORBIDDEN, f"this roadmap belongs to {association}; you act for {actor.org}")
    return actor.org


def recommendation_code(association: str, year: int, number: int) -> str:
    return f"{association}-{year}-{number:02d}"


def draft(
    actor: Actor,
    *,
    roadmap_association: str,
    roadmap_id: UUID,
    recommendation_id: UUID,
    code: str,
    title: str,
    language: Language,
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
    )


def submit(
    actor: Actor,
    *,
    association: str,
    recommendation_id: UUID,
    status: RecommendationStatus,
    version: int,
) -> RecommendationSubmitted:
    require_association_staff(actor, association)
    if status not in SUBMITTABLE:
        raise CommandRefused(
            RefusalKind.CONFLICT,
            f"a recommendation that is {status.value} cannot be submitted; only drafted or changes_requested ones can",
        )
    return RecommendationSubmitted(recommendation_id=recommendation_id, association=association, version=version)
