"""Clock durations come from settings, and a programme can have its own."""

from datetime import timedelta

import pytest

from sori.settings import Settings
from workflows.bridge import clocks_for

pytestmark = pytest.mark.unit


def test_clocks_come_from_settings_in_days() -> None:
    clocks = clocks_for(Settings(SORI_REVIEW_DUE_DAYS=21, SORI_ESCALATION_DAYS=0.5), None)
    assert clocks.review_due_after == timedelta(days=21)
    assert clocks.escalation_after == timedelta(hours=12)
    assert clocks.milestone_reminder_before == timedelta(days=7)


def test_a_programme_overrides_only_what_it_names() -> None:
    settings = Settings(SORI_PROGRAMME_CLOCKS={"SoRi 3": {"review_due_days": 30}})
    assert clocks_for(settings, "SoRi 3").review_due_after == timedelta(days=30)
    assert clocks_for(settings, "SoRi 3").draft_idle_after == timedelta(days=30)
    assert clocks_for(settings, "Another programme").review_due_after == timedelta(days=14)


def test_an_unknown_clock_name_is_refused_with_its_name() -> None:
    settings = Settings(SORI_PROGRAMME_CLOCKS={"SoRi 3": {"review_days": 30}})
    with pytest.raises(ValueError, match="review_days"):
        clocks_for(settings, "SoRi 3")
