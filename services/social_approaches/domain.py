"""Social-approaches rules: who may write and read what, how figures must add up, which state allows which step."""

import math
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from uuid import UUID

from contracts.envelope import Actor, Role
from contracts.lifecycle import RecommendationStatus
from contracts.social_approaches import ApproachStatus, GroupCount, IndicatorValue, MilestoneProgress
from sori.errors import CommandRefused, RefusalKind
from sori.scopes import reading_scope
from sori.scopes import require_reader as require_reader  # the rule is shared with progress

SERVICE = "social_approaches"

# Reports are taken while a plan is being carried out; endorsed covers the moment between plan and status change.
REPORTABLE = frozenset({RecommendationStatus.ENDORSED, RecommendationStatus.IN_IMPLEMENTATION})
NEXT_APPROACH_STATUS: dict[ApproachStatus, ApproachStatus] = {
    ApproachStatus.PLANNED: ApproachStatus.IN_PROGRESS,
    ApproachStatus.IN_PROGRESS: ApproachStatus.IMPLEMENTED,
}


class MappingStatus(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


class ApproachType(StrEnum):
    DAY_CARE_CENTRE = "day_care_centre"
    MOBILE_OUTREACH_TEAM = "mobile_outreach_team"
    RIGHTS_AWARENESS_CAMPAIGN = "rights_awareness_campaign"
    SOCIAL_DIALOGUE_FORUM = "social_dialogue_forum"
    INCLUSIVE_DISASTER_RISK_PLAN = "inclusive_disaster_risk_plan"
    OTHER = "other"


# --- who ---------------------------------------------------------------------------------------------------------


def require_local_government(actor: Actor, owner: str | None = None) -> str:
    """The local government an actor writes for; only its own officers (lg) write its records."""
    if actor.role is not Role.LG:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"only local-government (lg) officers may do this; you are {actor.role.value}"
        )
    if owner is not None and owner != actor.org:
        raise CommandRefused(RefusalKind.FORBIDDEN, f"this belongs to {owner}; you act for {actor.org}")
    return actor.org


def may_read(actor: Actor, local_government: str, association: str | None) -> bool:
    return reading_scope(actor).covers(local_government, association)


# --- figures -----------------------------------------------------------------------------------------------------


def check_breakdown(label: str, total: float, breakdown: Mapping[str, float], dimension: str) -> None:
    """A breakdown, where given, accounts for the whole total: no more, no less."""
    if any(value < 0 for value in breakdown.values()):
        raise CommandRefused(RefusalKind.INVALID, f"{label}: {dimension} has a negative figure")
    if breakdown and not math.isclose(sum(breakdown.values()), total, abs_tol=1e-9):
        raise CommandRefused(
            RefusalKind.INVALID,
            f"{label}: {dimension} sums to {_figure(sum(breakdown.values()))}, not the total {_figure(total)}",
        )


def check_group_counts(groups: Sequence[GroupCount], what: str) -> None:
    _require_unique((g.group for g in groups), f"{what} name a group twice")
    for count in groups:
        label = f"{what} '{count.group}'"
        check_breakdown(label, count.total, count.by_sex, "by_sex")
        check_breakdown(label, count.total, count.by_age_band, "by_age_band")


def check_indicators(indicators: Sequence[IndicatorValue]) -> None:
    _require_unique((i.indicator for i in indicators), "the report gives an indicator twice")
    for value in indicators:
        label = f"indicator '{value.indicator}'"
        if value.value < 0:
            raise CommandRefused(RefusalKind.INVALID, f"{label}: the value is negative")
        check_breakdown(label, value.value, value.by_sex, "by_sex")
        check_breakdown(label, value.value, value.by_age_band, "by_age_band")


def _require_unique(names: Iterable[str], reason: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise CommandRefused(RefusalKind.INVALID, f"{reason}: '{name}'")
        seen.add(name)


def _figure(value: float) -> str:
    return f"{value:g}"


# --- mappings ----------------------------------------------------------------------------------------------------


def require_draft_mapping(status: MappingStatus) -> None:
    if status is not MappingStatus.DRAFT:
        raise CommandRefused(RefusalKind.CONFLICT, f"the mapping is {status.value}; only a draft can change")


def require_completable(groups: Sequence[GroupCount], finding_count: int) -> None:
    if not groups:
        raise CommandRefused(RefusalKind.INVALID, "a mapping is completed only with at least one vulnerable group")
    if finding_count == 0:
        raise CommandRefused(RefusalKind.INVALID, "a mapping is completed only with at least one finding")


def require_unique_finding_ids(finding_ids: Sequence[UUID]) -> None:
    _require_unique((str(f) for f in finding_ids), "the mapping names a finding id twice")


# --- approaches --------------------------------------------------------------------------------------------------


def next_approach_status(current: ApproachStatus, wanted: ApproachStatus) -> ApproachStatus:
    """Approaches move one step at a time: planned → in_progress → implemented."""
    allowed = NEXT_APPROACH_STATUS.get(current)
    if wanted is not allowed:
        after = f"only {allowed.value} comes next" if allowed else "it is final"
        raise CommandRefused(
            RefusalKind.CONFLICT, f"an approach that is {current.value} cannot become {wanted.value}: {after}"
        )
    return wanted


def require_mapping_of(local_government: str, mapping_owner: str) -> None:
    if mapping_owner != local_government:
        raise CommandRefused(
            RefusalKind.INVALID, f"the mapping belongs to {mapping_owner}; link a mapping of {local_government}"
        )


# --- milestone reports -------------------------------------------------------------------------------------------


def require_assigned(actor: Actor, assigned_to: str, milestone_id: UUID) -> None:
    require_local_government(actor)
    if assigned_to != actor.org:
        raise CommandRefused(
            RefusalKind.FORBIDDEN, f"milestone {milestone_id} is assigned to {assigned_to}; you act for {actor.org}"
        )


def require_reportable(status: RecommendationStatus | None) -> None:
    if status is not None and status not in REPORTABLE:
        raise CommandRefused(
            RefusalKind.CONFLICT,
            f"the recommendation is {status.value}; milestones are reported in implementation",
            "wrong_status",
            {"status": status.value, "allowed": ",".join(sorted(s.value for s in REPORTABLE))},
        )


def require_own_evidence(reporter: str, evidence_id: UUID, owner: str | None) -> None:
    if owner is None:
        raise CommandRefused(RefusalKind.INVALID, f"no evidence {evidence_id}: upload it first")
    if owner != reporter:
        raise CommandRefused(RefusalKind.FORBIDDEN, f"evidence {evidence_id} belongs to {owner}, not {reporter}")


def check_report(
    status: MilestoneProgress,
    indicators: Sequence[IndicatorValue],
    required: Sequence[str],
    evidence_count: int,
) -> None:
    check_indicators(indicators)
    _require_planned(indicators, required)
    if status is not MilestoneProgress.DONE:
        return
    if evidence_count == 0:
        raise CommandRefused(
            RefusalKind.INVALID, "a done report needs at least one evidence item", "done_needs_evidence"
        )
    given = {i.indicator for i in indicators}
    missing = [name for name in required if name not in given]
    if missing:
        raise CommandRefused(
            RefusalKind.INVALID,
            f"a done report gives every indicator the plan requires; missing: {', '.join(missing)}",
            "done_needs_indicators",
            {"indicators": ", ".join(missing)},
        )


def _require_planned(indicators: Sequence[IndicatorValue], planned: Sequence[str]) -> None:
    """A report gives figures for the plan's indicators only: another name is a typo or a figure nobody asked for."""
    unplanned = [i.indicator for i in indicators if i.indicator not in planned]
    if unplanned:
        asked = ", ".join(planned) if planned else "no indicators"
        raise CommandRefused(
            RefusalKind.INVALID, f"the plan asks for {asked}; these indicators are not in it: {', '.join(unplanned)}"
        )
