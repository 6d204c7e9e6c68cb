"""Social approaches' pure rules: who writes and reads, figures that add up, one step at a time, done means proven."""

from uuid import uuid4

import pytest

from contracts.envelope import Actor, Role
from contracts.lifecycle import RecommendationStatus
from contracts.social_approaches import ApproachStatus, GroupCount, IndicatorValue, MilestoneProgress
from services.social_approaches.domain import (
    check_breakdown,
    check_group_counts,
    check_report,
    next_approach_status,
    require_assigned,
    require_local_government,
    require_own_evidence,
    require_reader,
    require_reportable,
)
from sori.errors import CommandRefused, RefusalKind
from sori.scopes import Scope, reading_scope

pytestmark = pytest.mark.unit

KUMANOVO = Actor(sub="ana", org="MK-KUMANOVO", role=Role.LG)
ZELS = Actor(sub="bo", org="ZELS", role=Role.LGA)


def refusal(call: object, *args: object, **kwargs: object) -> CommandRefused:
    assert callable(call)
    with pytest.raises(CommandRefused) as refused:
        call(*args, **kwargs)
    return refused.value


def test_a_local_government_writes_its_own_records() -> None:
    assert require_local_government(KUMANOVO) == "MK-KUMANOVO"
    assert require_local_government(KUMANOVO, "MK-KUMANOVO") == "MK-KUMANOVO"


@pytest.mark.parametrize("role", [Role.NALAS, Role.LGA, Role.OBSERVER])
def test_only_local_government_officers_write(role: Role) -> None:
    refused = refusal(require_local_government, Actor(sub="x", org="MK-KUMANOVO", role=role))

    assert refused.kind is RefusalKind.FORBIDDEN
    assert refused.reason == f"only local-government (lg) officers may do this; you are {role.value}"


def test_a_local_government_does_not_write_anothers_records() -> None:
    refused = refusal(require_local_government, KUMANOVO, "MK-STRUMICA")

    assert refused.kind is RefusalKind.FORBIDDEN
    assert refused.reason == "this belongs to MK-STRUMICA; you act for MK-KUMANOVO"


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        (Actor(sub="n", org="NALAS", role=Role.NALAS), True),
        (Actor(sub="o", org="UNDP", role=Role.OBSERVER), True),
        (ZELS, True),
        (Actor(sub="a", org="AAM", role=Role.LGA), False),
        (KUMANOVO, True),
        (Actor(sub="s", org="MK-STRUMICA", role=Role.LG), False),
    ],
)
def test_who_reads_a_local_governments_records(actor: Actor, allowed: bool) -> None:
    if allowed:
        require_reader(actor, "MK-KUMANOVO", "ZELS")
    else:
        assert refusal(require_reader, actor, "MK-KUMANOVO", "ZELS").kind is RefusalKind.FORBIDDEN


def test_an_association_cannot_read_a_local_government_of_no_known_association() -> None:
    refused = refusal(require_reader, ZELS, "XX-NOWHERE", None)

    assert refused.reason == "XX-NOWHERE belongs to no association known to this service; you act for ZELS"


def test_reading_scopes_follow_the_role() -> None:
    assert reading_scope(ZELS) == Scope(association="ZELS")
    assert reading_scope(KUMANOVO) == Scope(local_government="MK-KUMANOVO")
    assert reading_scope(Actor(sub="n", org="NALAS", role=Role.NALAS)) == Scope()


def test_a_scope_covers_its_own_local_governments_only() -> None:
    assert reading_scope(ZELS).covers("MK-STRUMICA", "ZELS")
    assert not reading_scope(ZELS).covers("AL-ELBASAN", "AAM")
    assert reading_scope(KUMANOVO).covers("MK-KUMANOVO", "ZELS")
    assert not reading_scope(KUMANOVO).covers("MK-STRUMICA", "ZELS")
    assert Scope().covers("AL-ELBASAN", None)


def test_a_breakdown_that_adds_up_or_is_absent_is_accepted() -> None:
    check_breakdown("x", 10, {"female": 6, "male": 4}, "by_sex")
    check_breakdown("x", 10, {}, "by_sex")
    check_breakdown("x", 0.3, {"a": 0.1, "b": 0.2}, "by_sex")


def test_a_breakdown_that_does_not_add_up_is_invalid_with_both_figures() -> None:
    refused = refusal(check_breakdown, "group 'roma'", 10, {"female": 6, "male": 5}, "by_sex")

    assert refused.kind is RefusalKind.INVALID
    assert refused.reason == "group 'roma': by_sex sums to 11, not the total 10"


def test_negative_figures_are_invalid() -> None:
    refused = refusal(check_breakdown, "g", 0, {"female": -1, "male": 1}, "by_sex")

    assert refused.reason == "g: by_sex has a negative figure"


def test_a_group_named_twice_is_invalid() -> None:
    roma = GroupCount(group="roma", total=1)

    assert refusal(check_group_counts, [roma, roma], "groups").reason == "groups name a group twice: 'roma'"


@pytest.mark.parametrize(
    ("current", "wanted"),
    [(ApproachStatus.PLANNED, ApproachStatus.IN_PROGRESS), (ApproachStatus.IN_PROGRESS, ApproachStatus.IMPLEMENTED)],
)
def test_an_approach_moves_to_its_next_status(current: ApproachStatus, wanted: ApproachStatus) -> None:
    assert next_approach_status(current, wanted) is wanted


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (ApproachStatus.PLANNED, ApproachStatus.IMPLEMENTED),
        (ApproachStatus.PLANNED, ApproachStatus.PLANNED),
        (ApproachStatus.IN_PROGRESS, ApproachStatus.PLANNED),
        (ApproachStatus.IMPLEMENTED, ApproachStatus.IN_PROGRESS),
    ],
)
def test_an_approach_never_skips_or_goes_back(current: ApproachStatus, wanted: ApproachStatus) -> None:
    assert refusal(next_approach_status, current, wanted).kind is RefusalKind.CONFLICT


def test_only_the_assigned_local_government_reports_a_milestone() -> None:
    milestone = uuid4()
    require_assigned(KUMANOVO, "MK-KUMANOVO", milestone)

    refused = refusal(require_assigned, KUMANOVO, "MK-STRUMICA", milestone)

    assert refused.kind is RefusalKind.FORBIDDEN
    assert refused.reason == f"milestone {milestone} is assigned to MK-STRUMICA; you act for MK-KUMANOVO"


@pytest.mark.parametrize("status", [None, RecommendationStatus.ENDORSED, RecommendationStatus.IN_IMPLEMENTATION])
def test_reports_are_taken_while_a_plan_is_carried_out(status: RecommendationStatus | None) -> None:
    require_reportable(status)


@pytest.mark.parametrize("status", [RecommendationStatus.VERIFIED, RecommendationStatus.WITHDRAWN])
def test_reports_on_a_finished_recommendation_are_a_conflict(status: RecommendationStatus) -> None:
    assert refusal(require_reportable, status).kind is RefusalKind.CONFLICT


def test_evidence_must_exist_and_belong_to_the_reporter() -> None:
    evidence = uuid4()
    require_own_evidence("MK-KUMANOVO", evidence, "MK-KUMANOVO")

    assert refusal(require_own_evidence, "MK-KUMANOVO", evidence, None).kind is RefusalKind.INVALID
    assert refusal(require_own_evidence, "MK-KUMANOVO", evidence, "MK-STRUMICA").kind is RefusalKind.FORBIDDEN


ATTENDANCE = IndicatorValue(indicator="attendance", value=10, by_sex={"female": 7, "male": 3})


def test_a_done_report_with_evidence_and_every_required_indicator_is_accepted() -> None:
    check_report(MilestoneProgress.DONE, [ATTENDANCE], ["attendance"], evidence_count=1)


def test_a_done_report_needs_evidence() -> None:
    refused = refusal(check_report, MilestoneProgress.DONE, [ATTENDANCE], ["attendance"], 0)

    assert refused.reason == "a done report needs at least one evidence item"


def test_a_done_report_names_the_missing_indicators() -> None:
    refused = refusal(check_report, MilestoneProgress.DONE, [ATTENDANCE], ["attendance", "women", "youth"], 1)

    assert refused.reason == "a done report gives every indicator the plan requires; missing: women, youth"


def test_an_on_track_report_needs_neither_evidence_nor_indicators() -> None:
    check_report(MilestoneProgress.ON_TRACK, [], ["attendance"], evidence_count=0)


def test_an_indicator_given_twice_is_invalid() -> None:
    refused = refusal(check_report, MilestoneProgress.ON_TRACK, [ATTENDANCE, ATTENDANCE], [], 0)

    assert refused.reason == "the report gives an indicator twice: 'attendance'"
