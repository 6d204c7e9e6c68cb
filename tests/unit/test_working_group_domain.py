"""The working group's rules: who decides, in which state, what each decision says; actions and their counts."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from contracts.envelope import Actor, Role
from contracts.lifecycle import RecommendationStatus as S
from contracts.working_group import (
    ActionKind,
    AgeBand,
    ChangesRequested,
    Decision,
    ImplementationReturned,
    ImplementationVerified,
    OrganisationType,
    RecommendationEndorsed,
    RecommendationRejected,
    ReviewStarted,
    Sex,
)
from services.working_group.domain import actions as action_rules
from services.working_group.domain import may_read_participant, require_decider
from services.working_group.domain.reviews import (
    Standing,
    corrects_our_expectation,
    decide,
    expected_status,
    queue_position,
    require_registered,
    start_review,
    verify,
)
from sori.errors import CommandRefused, RefusalKind

pytestmark = pytest.mark.unit

CHAIR = Actor(sub="chair@nalas", org="NALAS", role=Role.NALAS)
RID = uuid4()


def standing(status: S, version: int = 2) -> Standing:
    return Standing(recommendation_id=RID, status=status, version=version)


def refusal(call: Callable[[], object]) -> CommandRefused:
    with pytest.raises(CommandRefused) as refused:
        call()
    return refused.value


def decision(
    status: S, kind: str, *, comments: list[str] | None = None, reason: str = "", may_decide: bool | None = None
) -> Decision:
    return decide(
        CHAIR,
        standing(status),
        recommendation_id=RID,
        may_decide=may_decide,
        decision=kind,
        comments=comments or [],
        reason=reason,
        meeting_id=None,
    )


@pytest.mark.parametrize("role", [Role.LGA, Role.LG, Role.OBSERVER])
def test_only_nalas_decides(role: Role) -> None:
    refused = refusal(lambda: require_decider(Actor(sub="x", org="ZELS", role=role), None))

    assert refused.kind is RefusalKind.FORBIDDEN
    assert role.value in refused.reason


def test_a_nalas_member_who_may_not_decide_is_refused_and_a_non_member_may() -> None:
    assert refusal(lambda: require_decider(CHAIR, False)).kind is RefusalKind.FORBIDDEN
    require_decider(CHAIR, True)
    require_decider(CHAIR, None)


def test_a_review_starts_on_the_version_the_lifecycle_named() -> None:
    started = start_review(
        CHAIR, standing(S.SUBMITTED, 3), recommendation_id=RID, may_decide=True, reviewers=["a"], meeting_id=None
    )

    assert started == ReviewStarted(recommendation_id=RID, version=3, reviewers=["a"])


@pytest.mark.parametrize("status", [s for s in S if s is not S.SUBMITTED])
def test_a_review_starts_only_on_a_submitted_recommendation(status: S) -> None:
    refused = refusal(
        lambda: start_review(
            CHAIR, standing(status), recommendation_id=RID, may_decide=None, reviewers=[], meeting_id=None
        )
    )

    assert refused.kind is RefusalKind.CONFLICT
    assert status.value in refused.reason


def test_an_unknown_recommendation_is_not_found() -> None:
    refused = refusal(
        lambda: start_review(CHAIR, None, recommendation_id=RID, may_decide=None, reviewers=[], meeting_id=None)
    )

    assert refused.kind is RefusalKind.NOT_FOUND
    assert str(RID) in refused.reason


def test_each_decision_produces_its_event_with_version_and_decider() -> None:
    assert decision(S.UNDER_REVIEW, "endorse") == RecommendationEndorsed(
        recommendation_id=RID, version=2, decided_by="chair@nalas"
    )
    assert decision(S.UNDER_REVIEW, "request_changes", comments=[" Add a budget. ", ""]) == ChangesRequested(
        recommendation_id=RID, version=2, decided_by="chair@nalas", comments=["Add a budget."]
    )
    assert decision(S.UNDER_REVIEW, "reject", reason="Out of scope") == RecommendationRejected(
        recommendation_id=RID, version=2, decided_by="chair@nalas", reason="Out of scope"
    )


def test_request_changes_without_comments_and_reject_without_reason_are_invalid() -> None:
    assert refusal(lambda: decision(S.UNDER_REVIEW, "request_changes", comments=[" "])).kind is RefusalKind.INVALID
    assert refusal(lambda: decision(S.UNDER_REVIEW, "reject", reason="  ")).kind is RefusalKind.INVALID


def test_an_invalid_decision_is_refused_before_its_state_is_looked_at() -> None:
    assert refusal(lambda: decision(S.ENDORSED, "reject")).kind is RefusalKind.INVALID


@pytest.mark.parametrize("status", [s for s in S if s is not S.UNDER_REVIEW])
def test_a_decision_needs_a_recommendation_under_review(status: S) -> None:
    refused = refusal(lambda: decision(status, "endorse"))

    assert refused.kind is RefusalKind.CONFLICT
    assert refused.reason == f"cannot endorse a recommendation that is {status.value}; it must be under_review"


def test_verification_verifies_or_returns_an_implemented_recommendation() -> None:
    def check(outcome: str, reasons: list[str]) -> object:
        return verify(
            CHAIR,
            standing(S.IMPLEMENTED),
            recommendation_id=RID,
            may_decide=True,
            outcome=outcome,
            note="ok",
            reasons=reasons,
        )

    assert check("verify", []) == ImplementationVerified(recommendation_id=RID, verified_by="chair@nalas", note="ok")
    assert check("return", ["no report"]) == ImplementationReturned(
        recommendation_id=RID, returned_by="chair@nalas", reasons=["no report"]
    )
    assert refusal(lambda: check("return", [])).kind is RefusalKind.INVALID


def test_each_event_leads_the_queue_to_the_status_the_lifecycle_will_reach() -> None:
    assert expected_status(ReviewStarted.TYPE) is S.UNDER_REVIEW
    assert expected_status(ChangesRequested.TYPE) is S.CHANGES_REQUESTED
    assert expected_status(ImplementationReturned.TYPE) is S.IN_IMPLEMENTATION


def test_only_a_refusal_of_our_own_commands_corrects_the_queue() -> None:
    assert corrects_our_expectation(RecommendationEndorsed.TYPE)
    assert not corrects_our_expectation("sori.roadmaps.recommendation.submitted.v1")


def test_attendance_names_registered_members_only_each_once() -> None:
    assert require_registered(["b", "a", "b"], {"a", "b"}) == ["b", "a"]
    assert "c, d" in refusal(lambda: require_registered(["d", "c"], {"a"})).reason


def test_the_queue_puts_overdue_first_then_the_oldest_submission_then_the_unknown() -> None:
    noon = datetime(2026, 5, 1, 12, tzinfo=UTC)
    entries = [(False, None), (False, noon), (True, noon + timedelta(days=1)), (False, datetime(2026, 4, 1))]

    ordered = sorted(entries, key=lambda e: queue_position(*e))

    assert ordered == [(True, noon + timedelta(days=1)), (False, datetime(2026, 4, 1)), (False, noon), (False, None)]


@dataclass(frozen=True)
class Person:
    sex: Sex
    organisation_type: OrganisationType
    age_band: AgeBand = AgeBand.FROM_30_TO_44
    attended: bool = True
    pre_score: float | None = None
    post_score: float | None = None


def test_counts_cover_every_category_with_attendance_and_mean_scores() -> None:
    counts = action_rules.count(
        [
            Person(Sex.FEMALE, OrganisationType.LGA, pre_score=40, post_score=60),
            Person(Sex.FEMALE, OrganisationType.CSP_NGO, attended=False, pre_score=45),
            Person(Sex.MALE, OrganisationType.LGA, AgeBand.FROM_65),
        ]
    )

    assert (counts.participants, counts.attended) == (3, 2)
    assert counts.participants_by_sex == {Sex.FEMALE: 2, Sex.MALE: 1, Sex.OTHER_UNDISCLOSED: 0}
    assert sum(counts.participants_by_organisation_type.values()) == 3
    assert counts.participants_by_age_band[AgeBand.FROM_65] == 1
    assert (counts.average_pre_score, counts.average_post_score) == (42.5, 60)


def test_no_participants_count_zero_and_have_no_averages() -> None:
    counts = action_rules.count([])

    assert counts.participants == 0
    assert counts.average_pre_score is None


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [
        ("planned", "held", True),
        ("held", "reported", True),
        ("planned", "reported", False),
        ("reported", "held", False),
    ],
)
def test_actions_move_planned_held_reported_one_step_at_a_time(status: str, to: str, allowed: bool) -> None:
    if allowed:
        assert action_rules.advance(status, to) == to
    else:
        assert refusal(lambda: action_rules.advance(status, to)).kind is RefusalKind.CONFLICT


def test_a_plan_is_refused_for_dates_place_or_enrolments_that_make_no_sense() -> None:
    def plan(
        kind: ActionKind = ActionKind.STUDY_VISIT,
        *,
        ends_on: date = date(2027, 1, 2),
        place: str | None = "Ohrid",
        enrolments: int | None = None,
        completions: int | None = None,
    ) -> None:
        action_rules.check_plan(
            kind,
            starts_on=date(2027, 1, 1),
            ends_on=ends_on,
            place=place,
            online=kind is ActionKind.E_LEARNING_COURSE,
            enrolments=enrolments,
            completions=completions,
        )

    plan()
    plan(ActionKind.E_LEARNING_COURSE, place=None, enrolments=5, completions=5)
    assert "end" in refusal(lambda: plan(ends_on=date(2026, 12, 31))).reason
    assert "place" in refusal(lambda: plan(place=" ")).reason
    assert "e-learning" in refusal(lambda: plan(enrolments=3)).reason
    assert "exceed" in refusal(lambda: plan(ActionKind.E_LEARNING_COURSE, enrolments=3, completions=4)).reason


@pytest.mark.parametrize(
    ("role", "org", "code", "reads"),
    [
        (Role.NALAS, "NALAS", None, True),
        (Role.LG, "MK-KUMANOVO", "MK-KUMANOVO", True),
        (Role.LGA, "ZELS", "ZELS", True),
        (Role.LGA, "ZELS", "MK-KUMANOVO", False),  # an association does not read its municipalities' people
        (Role.LG, "MK-KUMANOVO", None, False),
        (Role.OBSERVER, "UNDP", "UNDP", True),
        (Role.OBSERVER, "UNDP", None, False),
    ],
)
def test_a_participant_record_is_for_nalas_and_its_own_organisation(
    role: Role, org: str, code: str | None, reads: bool
) -> None:
    assert may_read_participant(Actor(sub="s", org=org, role=role), code) is reads
