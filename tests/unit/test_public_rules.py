"""What is public, as pure rules: statuses, NALAS's decisions, and counts by sex below five."""

from collections import Counter
from datetime import date

import pytest

from contracts.lifecycle import RecommendationStatus as S
from contracts.working_group import Visibility as V
from services.progress.public.iati import number, period_of, shares
from services.progress.public.rules import (
    FEW,
    WITHHELD,
    MilestoneState,
    milestone_state,
    recommendation_is_public,
    shown_by_sex,
    shown_count,
)


@pytest.mark.parametrize("status", list(S))
def test_only_endorsed_on_is_public_by_the_rules_and_no_decision_makes_a_draft_public(status: S) -> None:
    by_the_rules = status in {S.ENDORSED, S.IN_IMPLEMENTATION, S.IMPLEMENTED, S.VERIFIED}

    assert recommendation_is_public(status, None) is by_the_rules
    assert recommendation_is_public(status, V.AS_THE_RULES_SAY) is by_the_rules
    assert recommendation_is_public(status, V.WITHHELD) is False
    assert recommendation_is_public(status, V.PUBLISHED) is (by_the_rules or status in {S.REJECTED, S.WITHDRAWN})


def test_a_count_below_five_shows_only_that_it_is_below_five() -> None:
    assert [shown_count(n) for n in (0, 1, 4, 5, 17)] == [FEW, FEW, FEW, 5, 17]


def test_a_breakdown_hides_the_next_smallest_when_it_hides_just_one() -> None:
    assert shown_by_sex({"female": 3, "male": 12}) == {"female": FEW, "male": WITHHELD}
    assert shown_by_sex({"female": 3, "male": 12, "other_undisclosed": 7}) == {
        "female": FEW,
        "male": 12,
        "other_undisclosed": WITHHELD,
    }
    assert shown_by_sex({"female": 2, "male": 1, "other_undisclosed": 9}) == {
        "female": FEW,
        "male": FEW,
        "other_undisclosed": 9,
    }
    assert shown_by_sex({"female": 6, "male": 9}) == {"female": 6, "male": 9}
    assert shown_by_sex({"female": 3}) == {"female": FEW}


def test_a_milestone_reads_as_its_latest_report_else_overdue_or_planned() -> None:
    assert milestone_state("at_risk", overdue=True) is MilestoneState.AT_RISK
    assert milestone_state(None, overdue=True) is MilestoneState.OVERDUE
    assert milestone_state(None, overdue=False) is MilestoneState.PLANNED


def test_iati_numbers_shares_and_periods_keep_the_rulesets() -> None:
    assert [number(v) for v in (40.0, 12.5, 1e-7, 3)] == ["40", "12.5", "0.0000001", "3"]
    assert sum(shares(Counter({"MK": 1, "AL": 1, "XK": 1})).values()) == 100
    start, end = period_of(date(2026, 3, 2), date(2026, 3, 2))
    assert start < end
