"""Rules of the programme's actions: a sound plan, planned → held → reported, and participants as counts."""

from collections import Counter
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from statistics import fmean
from typing import Protocol, TypeVar

from contracts.working_group import ActionKind, AgeBand, OrganisationType, ParticipantCounts, Sex
from sori.errors import CommandRefused, RefusalKind

PLANNED, HELD, REPORTED = "planned", "held", "reported"
_NEXT_STATUS = {HELD: PLANNED, REPORTED: HELD}
Category = TypeVar("Category", bound=StrEnum)


class ParticipantFacts(Protocol):
    @property
    def sex(self) -> Sex: ...
    @property
    def organisation_type(self) -> OrganisationType: ...
    @property
    def age_band(self) -> AgeBand: ...
    @property
    def attended(self) -> bool: ...
    @property
    def pre_score(self) -> float | None: ...
    @property
    def post_score(self) -> float | None: ...


def check_plan(
    kind: ActionKind,
    *,
    starts_on: date,
    ends_on: date,
    place: str | None,
    online: bool,
    enrolments: int | None,
    completions: int | None,
) -> None:
    if ends_on < starts_on:
        raise CommandRefused(RefusalKind.INVALID, f"an action cannot end ({ends_on}) before it starts ({starts_on})")
    if not online and not (place or "").strip():
        raise CommandRefused(RefusalKind.INVALID, "an action needs a place, or online: true")
    if kind is not ActionKind.E_LEARNING_COURSE and (enrolments is not None or completions is not None):
        raise CommandRefused(RefusalKind.INVALID, f"only e-learning courses count enrolments; this is a {kind.value}")
    check_enrolment(enrolments or 0, completions or 0)


def check_enrolment(enrolments: int, completions: int) -> None:
    if completions > enrolments:
        raise CommandRefused(RefusalKind.INVALID, f"{completions} completions cannot exceed {enrolments} enrolments")


def advance(status: str, to: str) -> str:
    """planned → held → reported, one step at a time; any other order is a conflict naming the state."""
    if _NEXT_STATUS[to] != status:
        raise CommandRefused(
            RefusalKind.CONFLICT, f"an action that is {status} cannot be marked {to}; only a {_NEXT_STATUS[to]} one can"
        )
    return to


def require_training_cycle(kind: ActionKind, status: str) -> None:
    if kind is not ActionKind.TRAINING_CYCLE:
        raise CommandRefused(RefusalKind.CONFLICT, f"only training cycles have sessions; this is a {kind.value}")
    require_not_reported(status)


def require_e_learning_course(kind: ActionKind, status: str) -> None:
    if kind is not ActionKind.E_LEARNING_COURSE:
        raise CommandRefused(RefusalKind.CONFLICT, f"only e-learning courses count enrolments; this is a {kind.value}")
    require_not_reported(status)


def require_not_reported(status: str) -> None:
    if status == REPORTED:
        raise CommandRefused(RefusalKind.CONFLICT, "the action is reported; its figures can no longer change")


def count(participants: Sequence[ParticipantFacts]) -> ParticipantCounts:
    """Counts by sex, organisation type and age band (every category, zeros too), attendance and mean scores."""
    return ParticipantCounts(
        participants=len(participants),
        attended=sum(1 for p in participants if p.attended),
        participants_by_sex=_by(Sex, [p.sex for p in participants]),
        participants_by_organisation_type=_by(OrganisationType, [p.organisation_type for p in participants]),
        participants_by_age_band=_by(AgeBand, [p.age_band for p in participants]),
        average_pre_score=_mean([p.pre_score for p in participants]),
        average_post_score=_mean([p.post_score for p in participants]),
    )


def _by(categories: type[Category], values: Sequence[Category]) -> dict[Category, int]:
    counted = Counter(values)
    return {category: counted[category] for category in categories}


def _mean(scores: Sequence[float | None]) -> float | None:
    given = [s for s in scores if s is not None]
    return round(fmean(given), 1) if given else None
