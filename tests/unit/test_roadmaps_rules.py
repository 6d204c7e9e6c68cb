"""Roadmaps' rules for revising, withdrawing, commenting, assigning and rescheduling: who, when, what event."""

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from contracts.envelope import Actor, Role
from contracts.lifecycle import RecommendationStatus as S
from contracts.roadmaps import PlannedMilestone, RecommendationAssigned
from services.roadmaps import domain
from services.roadmaps.demo import DEMO_ROADMAP
from services.roadmaps.reference_loader import reference_document
from sori.errors import CommandRefused, RefusalKind

pytestmark = pytest.mark.unit

ZELS = Actor(sub="ana", org="ZELS", role=Role.LGA)
NALAS = Actor(sub="wg", org="NALAS", role=Role.NALAS)
TODAY = date(2025, 3, 1)


def milestone(lg: str = "MK-KUMANOVO", due: date = date(2025, 6, 30)) -> PlannedMilestone:
    return PlannedMilestone(milestone_id=uuid4(), title="Unit opens", due_date=due, local_government=lg)


def refusal(call: Callable[[], object]) -> CommandRefused:
    with pytest.raises(CommandRefused) as refused:
        call()
    return refused.value


def assign(**overrides: Any) -> RecommendationAssigned:
    arguments: dict[str, Any] = {
        "association": "ZELS",
        "recommendation_id": uuid4(),
        "status": S.ENDORSED,
        "local_governments": ["MK-KUMANOVO"],
        "milestones": [milestone()],
        "associations_local_governments": {"MK-KUMANOVO", "MK-STRUMICA"},
        "today": TODAY,
        **overrides,
    }
    return domain.assign(ZELS, **arguments)


@pytest.mark.parametrize("status", sorted(domain.EDITABLE))
def test_a_revision_while_editable_is_the_next_version_with_what_changed(status: S) -> None:
    event = domain.revise(
        ZELS, association="ZELS", recommendation_id=uuid4(), status=status, version=2, changed=["title"]
    )

    assert (event.version, event.changed_fields) == (3, ["title"])


@pytest.mark.parametrize("status", [s for s in S if s not in domain.EDITABLE])
def test_a_revision_in_any_other_state_is_a_conflict_naming_it(status: S) -> None:
    refused = refusal(
        lambda: domain.revise(
            ZELS, association="ZELS", recommendation_id=uuid4(), status=status, version=1, changed=["t"]
        )
    )

    assert refused.kind is RefusalKind.CONFLICT
    assert f"that is {status.value} cannot be revised" in refused.reason


def test_a_revision_that_changes_nothing_is_invalid() -> None:
    refused = refusal(
        lambda: domain.revise(
            ZELS, association="ZELS", recommendation_id=uuid4(), status=S.DRAFTED, version=1, changed=[]
        )
    )

    assert refused.kind is RefusalKind.INVALID


def test_changed_fields_are_those_whose_value_differs() -> None:
    before = {"title": "a", "sdg_targets": ["10.2"], "priority": "high"}
    after = {"title": "a", "sdg_targets": ["10.2", "1.3"], "priority": "low"}

    assert domain.changed_fields(before, after) == ["sdg_targets", "priority"]


@pytest.mark.parametrize("status", sorted(domain.WITHDRAWABLE))
def test_withdrawal_before_endorsement_carries_the_reason(status: S) -> None:
    event = domain.withdraw(ZELS, association="ZELS", recommendation_id=uuid4(), status=status, reason="merged")

    assert event.reason == "merged"


@pytest.mark.parametrize("status", [s for s in S if s not in domain.WITHDRAWABLE])
def test_withdrawal_from_endorsement_on_is_a_conflict(status: S) -> None:
    refused = refusal(
        lambda: domain.withdraw(ZELS, association="ZELS", recommendation_id=uuid4(), status=status, reason="r")
    )

    assert refused.kind is RefusalKind.CONFLICT


def test_withdrawal_before_endorsement_covers_exactly_the_states_before_it() -> None:
    assert frozenset({S.DRAFTED, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED}) == domain.WITHDRAWABLE


@pytest.mark.parametrize("actor", [NALAS, ZELS])
def test_nalas_and_the_owning_association_comment(actor: Actor) -> None:
    comment_id = uuid4()

    event = domain.comment(actor, association="ZELS", recommendation_id=uuid4(), version=2, comment_id=comment_id)

    assert (event.author_org, event.author_role, event.comment_id, event.version) == (
        actor.org,
        actor.role,
        comment_id,
        2,
    )


@pytest.mark.parametrize(
    ("actor", "reason"),
    [
        (Actor(sub="x", org="AAM", role=Role.LGA), "belongs to ZELS; you act for AAM"),
        (Actor(sub="x", org="MK-KUMANOVO", role=Role.LG), "you are lg"),
        (Actor(sub="x", org="OBS", role=Role.OBSERVER), "you are observer"),
    ],
)
def test_others_may_not_comment(actor: Actor, reason: str) -> None:
    refused = refusal(lambda: domain.require_commenter(actor, "ZELS"))

    assert refused.kind is RefusalKind.FORBIDDEN
    assert reason in refused.reason


def test_an_assignment_of_own_local_governments_produces_the_plan() -> None:
    plan = [milestone(), milestone(due=TODAY)]

    event = assign(milestones=plan)

    assert event.milestones == plan
    assert event.local_governments == ["MK-KUMANOVO"]


@pytest.mark.parametrize(
    ("overrides", "kind", "reason"),
    [
        ({"status": S.SUBMITTED}, RefusalKind.CONFLICT, "submitted cannot be assigned"),
        ({"local_governments": ["AL-ELBASAN"]}, RefusalKind.INVALID, "not local governments of ZELS: AL-ELBASAN"),
        ({"local_governments": ["MK-KUMANOVO"] * 2}, RefusalKind.INVALID, "named twice"),
        ({"milestones": [milestone(lg="MK-STRUMICA")]}, RefusalKind.INVALID, "not among the assigned"),
        ({"milestones": [milestone(due=date(2025, 2, 28))]}, RefusalKind.INVALID, "in the past"),
    ],
)
def test_an_assignment_is_refused_with_the_reason(overrides: dict[str, object], kind: RefusalKind, reason: str) -> None:
    refused = refusal(lambda: assign(**overrides))

    assert refused.kind is kind
    assert reason in refused.reason


def test_rescheduling_in_implementation_to_a_future_date_produces_the_event() -> None:
    milestone_id = uuid4()

    event = domain.reschedule(
        ZELS,
        association="ZELS",
        recommendation_id=uuid4(),
        status=S.IN_IMPLEMENTATION,
        milestone_id=milestone_id,
        due_date=TODAY,
        reason="permit",
        today=TODAY,
    )

    assert (event.milestone_id, event.due_date, event.reason) == (milestone_id, TODAY, "permit")


@pytest.mark.parametrize(
    ("status", "due", "kind"),
    [
        (S.ENDORSED, date(2025, 6, 1), RefusalKind.CONFLICT),
        (S.IN_IMPLEMENTATION, date(2025, 2, 1), RefusalKind.INVALID),
    ],
)
def test_rescheduling_outside_implementation_or_into_the_past_is_refused(
    status: S, due: date, kind: RefusalKind
) -> None:
    refused = refusal(
        lambda: domain.reschedule(
            ZELS,
            association="ZELS",
            recommendation_id=uuid4(),
            status=status,
            milestone_id=uuid4(),
            due_date=due,
            reason="r",
            today=TODAY,
        )
    )

    assert refused.kind is kind


def test_unknown_codes_are_invalid_and_named() -> None:
    refused = refusal(lambda: domain.require_known("vulnerable groups", ["roma", "x", "y"], {"roma"}))

    assert refused.kind is RefusalKind.INVALID
    assert refused.reason.startswith("unknown vulnerable groups: x, y")


def test_a_period_may_be_open_but_not_backwards() -> None:
    domain.require_period(None, date(2020, 1, 1))
    domain.require_period(date(2020, 1, 1), date(2020, 1, 1))

    assert refusal(lambda: domain.require_period(date(2021, 1, 1), date(2020, 1, 1))).kind is RefusalKind.INVALID


def test_a_second_roadmap_for_a_programme_is_a_conflict_naming_the_first() -> None:
    first = uuid4()
    domain.require_first_roadmap("ZELS", "SoRi 3", None)

    refused = refusal(lambda: domain.require_first_roadmap("ZELS", "SoRi 3", first))

    assert refused.kind is RefusalKind.CONFLICT
    assert str(first) in refused.reason


def test_only_nalas_keeps_reference_data() -> None:
    domain.require_nalas(NALAS)

    assert refusal(lambda: domain.require_nalas(ZELS)).reason == "only NALAS (nalas) may do this; you are lga"


def test_a_programme_takes_work_through_its_last_day_and_refuses_it_after() -> None:
    last_day = date(2025, 11, 30)
    domain.require_running("SoRi 3", last_day, today=last_day)

    refused = refusal(lambda: domain.require_running("SoRi 3", last_day, today=date(2025, 12, 1)))

    assert refused.kind is RefusalKind.CONFLICT
    assert (refused.code, refused.params) == ("programme_ended", {"programme": "SoRi 3", "ends_on": "2025-11-30"})


def test_the_demo_drafts_into_a_programme_that_runs_today() -> None:
    programmes = {p["code"]: p for p in reference_document()["programmes"]}
    phase = programmes[DEMO_ROADMAP["programme"]]
    runs = date.fromisoformat(phase["starts_on"]) <= date.today() <= date.fromisoformat(phase["ends_on"])
    assert runs, f"{phase['code']} does not run today: add the programme's current phase to reference_data.json"
