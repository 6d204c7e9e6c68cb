"""Roadmaps' rules (who may draft and submit, and when) and progress' ordering of facts in time."""

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from contracts.envelope import Actor, Role
from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from contracts.roadmaps import RecommendationDrafted, RecommendationSubmitted
from services.progress.domain import as_utc, is_newer
from services.roadmaps.domain import SUBMITTABLE, draft, recommendation_code, require_association_staff, submit
from sori.errors import CommandRefused, RefusalKind

pytestmark = pytest.mark.unit

ZELS_STAFF = Actor(sub="ana", org="ZELS", role=Role.LGA)


def test_association_staff_write_for_their_own_association() -> None:
    assert require_association_staff(ZELS_STAFF) == "ZELS"
    assert require_association_staff(ZELS_STAFF, "ZELS") == "ZELS"


@pytest.mark.parametrize("role", [Role.NALAS, Role.LG, Role.OBSERVER])
def test_only_association_staff_may_write_roadmaps(role: Role) -> None:
    with pytest.raises(CommandRefused) as refused:
        require_association_staff(Actor(sub="bo", org="ZELS", role=role), "ZELS")

    assert refused.value.kind is RefusalKind.FORBIDDEN
    assert refused.value.kind.value == 403
    assert "lga" in refused.value.reason
    assert role.value in refused.value.reason


def test_association_staff_may_not_write_another_associations_roadmap() -> None:
    with pytest.raises(CommandRefused) as refused:
        require_association_staff(ZELS_STAFF, "SKGO")

    assert refused.value.kind is RefusalKind.FORBIDDEN
    assert "SKGO" in refused.value.reason
    assert "ZELS" in refused.value.reason


def test_draft_by_association_staff_produces_a_first_version() -> None:
    recommendation_id, roadmap_id = uuid4(), uuid4()

    event = draft(
        ZELS_STAFF,
        roadmap_association="ZELS",
        roadmap_id=roadmap_id,
        recommendation_id=recommendation_id,
        code="ZELS-2024-07",
        title="Open a day centre",
        language=Language.ENGLISH,
        programme="SoRi 3",
    )

    assert event == RecommendationDrafted(
        recommendation_id=recommendation_id,
        roadmap_id=roadmap_id,
        association="ZELS",
        code="ZELS-2024-07",
        title="Open a day centre",
        language=Language.ENGLISH,
        version=1,
        programme="SoRi 3",
    )


def test_draft_for_another_association_is_forbidden() -> None:
    with pytest.raises(CommandRefused) as refused:
        draft(
            ZELS_STAFF,
            roadmap_association="SKGO",
            roadmap_id=uuid4(),
            recommendation_id=uuid4(),
            code="SKGO-2024-01",
            title="t",
            language=Language.SERBIAN_LATIN,
            programme="SoRi 3",
        )

    assert refused.value.kind is RefusalKind.FORBIDDEN


@pytest.mark.parametrize("status", sorted(SUBMITTABLE))
def test_submit_from_drafted_or_changes_requested_produces_submitted(status: RecommendationStatus) -> None:
    recommendation_id = uuid4()

    event = submit(ZELS_STAFF, association="ZELS", recommendation_id=recommendation_id, status=status, version=3)

    assert event == RecommendationSubmitted(recommendation_id=recommendation_id, association="ZELS", version=3)


@pytest.mark.parametrize("status", [s for s in RecommendationStatus if s not in SUBMITTABLE])
def test_submit_from_any_other_state_is_a_conflict_naming_it(status: RecommendationStatus) -> None:
    with pytest.raises(CommandRefused) as refused:
        submit(ZELS_STAFF, association="ZELS", recommendation_id=uuid4(), status=status, version=1)

    assert refused.value.kind is RefusalKind.CONFLICT
    assert refused.value.kind.value == 409
    assert status.value in refused.value.reason


def test_submittable_states_are_drafted_and_changes_requested() -> None:
    assert frozenset({RecommendationStatus.DRAFTED, RecommendationStatus.CHANGES_REQUESTED}) == SUBMITTABLE


def test_submit_by_someone_outside_the_association_is_forbidden_before_the_state_is_checked() -> None:
    with pytest.raises(CommandRefused) as refused:
        submit(
            Actor(sub="bo", org="NALAS", role=Role.NALAS),
            association="ZELS",
            recommendation_id=uuid4(),
            status=RecommendationStatus.VERIFIED,
            version=1,
        )

    assert refused.value.kind is RefusalKind.FORBIDDEN


@pytest.mark.parametrize(
    ("association", "year", "number", "code"),
    [("ZELS", 2024, 7, "ZELS-2024-07"), ("SKGO", 2025, 12, "SKGO-2025-12"), ("ZELS", 2024, 123, "ZELS-2024-123")],
)
def test_recommendation_code_is_association_year_and_two_digit_number(
    association: str, year: int, number: int, code: str
) -> None:
    assert recommendation_code(association, year, number) == code


NOON_UTC = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
NOON_NAIVE = datetime(2024, 5, 1, 12, 0)


def test_any_event_is_newer_than_no_status_at_all() -> None:
    assert is_newer(None, NOON_UTC)
    assert is_newer(None, NOON_NAIVE)


def test_an_aware_event_after_a_naive_stored_time_is_newer() -> None:
    assert is_newer(NOON_NAIVE, NOON_UTC + timedelta(seconds=1))


def test_an_aware_event_before_a_naive_stored_time_is_not_newer() -> None:
    assert not is_newer(NOON_NAIVE, NOON_UTC - timedelta(seconds=1))


def test_an_event_at_the_same_moment_counts_as_newer() -> None:
    assert is_newer(NOON_NAIVE, NOON_UTC)
    assert is_newer(NOON_UTC, NOON_NAIVE)
    assert is_newer(NOON_UTC, NOON_UTC)


def test_a_naive_event_is_compared_as_utc_against_an_aware_stored_time() -> None:
    assert is_newer(NOON_UTC, NOON_NAIVE + timedelta(minutes=1))
    assert not is_newer(NOON_UTC, NOON_NAIVE - timedelta(minutes=1))


def test_aware_times_in_other_zones_are_compared_by_instant() -> None:
    skopje_summer = timezone(timedelta(hours=2))
    one_pm_in_skopje = datetime(2024, 5, 1, 13, 0, tzinfo=skopje_summer)  # 11:00 UTC

    assert not is_newer(NOON_NAIVE, one_pm_in_skopje)
    assert is_newer(datetime(2024, 5, 1, 10, 59), one_pm_in_skopje)


def test_as_utc_reads_a_naive_time_as_utc_and_leaves_an_aware_one_alone() -> None:
    assert as_utc(NOON_NAIVE) == NOON_UTC
    assert as_utc(NOON_NAIVE).tzinfo is UTC
    aware = datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert as_utc(aware) is aware
