"""What is public, pure: the rules the public selection applies to every projected row.

Public: recommendations from `endorsed` on (a withdrawn or rejected one only if NALAS publishes it), their
milestones, indicators and reported values; the working group's actions with participant counts; local governments'
social approaches. Never: drafts, submitted and under-review texts, comments and reviews, people's names and emails,
participant records, evidence (it carries no public mark yet), NALAS's reasons, or a count by sex below five. NALAS
may hold back any item, and what it holds back takes everything under it along (a recommendation its milestones,
indicators and values; a milestone its values).
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from contracts.lifecycle import RecommendationStatus
from contracts.working_group import Visibility

S = RecommendationStatus

# From endorsement on, a recommendation's text is the working group's endorsed one: public.
PUBLIC_STATUSES: Final = frozenset({S.ENDORSED, S.IN_IMPLEMENTATION, S.IMPLEMENTED, S.VERIFIED})
# Closed without endorsement: kept back unless NALAS publishes them.
PUBLISHABLE_STATUSES: Final = frozenset({S.WITHDRAWN, S.REJECTED})
# The moves the public hears of (the Atom feed): a recommendation endorsed, implemented, verified.
ANNOUNCED_STATUSES: Final = frozenset({S.ENDORSED, S.IMPLEMENTED, S.VERIFIED})

# A count by sex below this is shown as FEW, so that no small group of people can be singled out.
FEWEST_SHOWN: Final = 5
FEW: Final = "<5"
# A count hidden although not below five, because with the total it would give away one that is.
WITHHELD: Final = "withheld"

Shown = int | float | str


class MilestoneState(StrEnum):
    """A milestone as the public reads it: its latest report's progress, else overdue or planned."""

    PLANNED = "planned"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DONE = "done"
    OVERDUE = "overdue"


def recommendation_is_public(status: RecommendationStatus, visibility: Visibility | None) -> bool:
    """Endorsed on and not withheld; withdrawn or rejected only when published. A draft, a submitted or
    under-review text, or one whose changes were requested, is never public, whatever NALAS decided."""
    if visibility is Visibility.WITHHELD:
        return False
    if status in PUBLISHABLE_STATUSES:
        return visibility is Visibility.PUBLISHED
    return status in PUBLIC_STATUSES


def item_is_public(visibility: Visibility | None) -> bool:
    """A milestone, action or social approach (of a public recommendation, where it has one): unless withheld."""
    return visibility is not Visibility.WITHHELD


def title_is_public(title_revised: bool) -> bool:
    """The projection knows the drafted title only; once a revision changed it, the drafted one is a draft's text."""
    return not title_revised


def shown_count(count: float) -> Shown:
    """A count of people by sex as the public sees it: below five, only that it is below five."""
    return FEW if count < FEWEST_SHOWN else count


def shown_by_sex(counts: Mapping[str, float]) -> dict[str, Shown]:
    """A breakdown by sex with every count below five shown as FEW, and when that hides just one of several, the
    next smallest WITHHELD too: otherwise the total less the others would give the hidden one away."""
    few = {sex for sex, count in counts.items() if count < FEWEST_SHOWN}
    withheld: set[str] = set()
    if len(few) == 1 and len(counts) > 1:
        withheld.add(min((count, sex) for sex, count in counts.items() if sex not in few)[1])
    return {sex: FEW if sex in few else WITHHELD if sex in withheld else count for sex, count in sorted(counts.items())}


def milestone_state(report_status: str | None, overdue: bool) -> MilestoneState:
    if report_status is not None:
        return MilestoneState(report_status)
    return MilestoneState.OVERDUE if overdue else MilestoneState.PLANNED


def actual_is_approved(status: RecommendationStatus) -> bool:
    """A reported value counts as approved once the working group has verified the implementation it belongs to."""
    return status is S.VERIFIED
