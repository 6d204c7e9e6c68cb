"""The working group plans, holds and reports the programme's actions; participants stay in the service and
leave it only as counts."""

from datetime import date
from typing import Any

import pytest

from contracts.envelope import Role
from contracts.topics import WORKING_GROUP
from contracts.working_group import ActionHeld, ActionPlanned, ActionReported
from services.working_group.demo import load_demo
from tests.polling import eventually
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens
from tests.support.working_group import E_LEARNING_COURSE, PREFIX, TRAINING_CYCLE, plan


def participant(sex: str, organisation_type: str, **more: Any) -> dict[str, Any]:
    return {
        "organisation": "Municipality of Tetovo",
        "organisation_type": organisation_type,
        "role": "councillor",
        "sex": sex,
        "age_band": "30-44",
        **more,
    }


@pytest.fixture
def nalas(tokens: Tokens) -> dict[str, str]:
    return tokens.header(Role.NALAS, "NALAS", sub="secretariat@nalas")


async def register(wg: ServiceUnderTest, nalas: dict[str, str], action_id: str, *people: dict[str, Any]) -> None:
    for person in people:
        response = await wg.http.post(f"{PREFIX}/actions/{action_id}/participants", json=person, headers=nalas)
        assert response.status_code == 201, response.text


async def mark(wg: ServiceUnderTest, nalas: dict[str, str], action_id: str, step: str) -> Any:
    return await wg.http.post(f"{PREFIX}/actions/{action_id}/{step}", headers=nalas)


async def events_of(wg: ServiceUnderTest, count: int) -> list[Any]:
    async def probe() -> list[Any]:
        return wg.published.events(WORKING_GROUP)

    return await eventually(probe, until=lambda events: len(events) >= count)


async def test_nalas_plans_an_action_and_its_plan_is_published(wg: ServiceUnderTest, nalas: dict[str, str]) -> None:
    action_id = await plan(wg, nalas, TRAINING_CYCLE)

    read = await wg.http.get(f"{PREFIX}/actions/{action_id}", headers=nalas)

    assert read.json()["status"] == "planned"
    assert read.json()["recommendations"] == TRAINING_CYCLE["recommendations"]
    [event] = await events_of(wg, 1)
    assert event.type == ActionPlanned.TYPE
    assert event.subject == action_id
    assert event.data.title == TRAINING_CYCLE["title"]
    assert [str(r) for r in event.data.recommendations] == TRAINING_CYCLE["recommendations"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"ends_on": "2027-01-01"}, "an action cannot end (2027-01-01) before it starts (2027-02-01)"),
        ({"place": None, "online": False}, "an action needs a place, or online: true"),
        ({"enrolments": 10}, "only e-learning courses count enrolments; this is a training_cycle"),
    ],
)
async def test_an_unsound_plan_is_a_422_with_the_reason(
    wg: ServiceUnderTest, nalas: dict[str, str], change: dict[str, Any], reason: str
) -> None:
    response = await wg.http.post(f"{PREFIX}/actions", json={**TRAINING_CYCLE, **change}, headers=nalas)

    assert response.status_code == 422
    assert response.json()["detail"] == reason


async def test_a_training_cycle_has_sessions_across_regions(wg: ServiceUnderTest, nalas: dict[str, str]) -> None:
    action_id = await plan(wg, nalas, TRAINING_CYCLE)
    sessions = [
        {"date": "2027-03-07", "region": "Vojvodina", "target_body": "national councils of national minorities"},
        {"date": "2027-02-14", "region": "Polog", "target_body": "councils for interethnic relations"},
    ]
    for session in sessions:
        response = await wg.http.post(f"{PREFIX}/actions/{action_id}/sessions", json=session, headers=nalas)
        assert response.status_code == 201, response.text

    read = await wg.http.get(f"{PREFIX}/actions/{action_id}", headers=nalas)

    assert [(s["date"], s["region"]) for s in read.json()["sessions"]] == [
        ("2027-02-14", "Polog"),
        ("2027-03-07", "Vojvodina"),
    ]


async def test_only_training_cycles_have_sessions(wg: ServiceUnderTest, nalas: dict[str, str]) -> None:
    course_id = await plan(wg, nalas, E_LEARNING_COURSE)
    session = {"date": "2027-02-14", "region": "Polog", "target_body": "councils"}

    response = await wg.http.post(f"{PREFIX}/actions/{course_id}/sessions", json=session, headers=nalas)

    assert response.status_code == 409
    assert response.json()["detail"] == "only training cycles have sessions; this is a e_learning_course"


async def test_an_e_learning_course_counts_enrolments_and_completions(
    wg: ServiceUnderTest, nalas: dict[str, str]
) -> None:
    course_id = await plan(wg, nalas, E_LEARNING_COURSE)

    updated = await wg.http.put(
        f"{PREFIX}/actions/{course_id}/enrolment", json={"enrolments": 52, "completions": 37}, headers=nalas
    )
    too_many = await wg.http.put(
        f"{PREFIX}/actions/{course_id}/enrolment", json={"enrolments": 5, "completions": 6}, headers=nalas
    )

    assert (updated.json()["enrolments"], updated.json()["completions"]) == (52, 37)
    assert too_many.status_code == 422
    assert too_many.json()["detail"] == "6 completions cannot exceed 5 enrolments"


async def test_enrolment_of_a_training_cycle_is_a_409(wg: ServiceUnderTest, nalas: dict[str, str]) -> None:
    cycle_id = await plan(wg, nalas, TRAINING_CYCLE)

    response = await wg.http.put(
        f"{PREFIX}/actions/{cycle_id}/enrolment", json={"enrolments": 5, "completions": 1}, headers=nalas
    )

    assert response.status_code == 409
    assert "only e-learning courses count enrolments" in response.json()["detail"]


async def test_an_action_is_held_then_reported_and_the_events_carry_counts_only(
    wg: ServiceUnderTest, nalas: dict[str, str]
) -> None:
    action_id = await plan(wg, nalas, TRAINING_CYCLE)
    await register(
        wg,
        nalas,
        action_id,
        participant("female", "local_government", pre_score=40, post_score=70),
        participant("male", "csp_ngo", attended=False),
    )

    held = await mark(wg, nalas, action_id, "held")
    reported = await mark(wg, nalas, action_id, "reported")

    assert (held.json()["status"], reported.json()["status"]) == ("held", "reported")
    planned_event, held_event, reported_event = await events_of(wg, 3)
    assert [e.type for e in (planned_event, held_event, reported_event)] == [
        ActionPlanned.TYPE,
        ActionHeld.TYPE,
        ActionReported.TYPE,
    ]
    counts = reported_event.data.counts
    assert (counts.participants, counts.attended) == (2, 1)
    assert counts.participants_by_sex == {"female": 1, "male": 1, "other_undisclosed": 0}
    assert counts.participants_by_organisation_type["local_government"] == 1
    assert (counts.average_pre_score, counts.average_post_score) == (40, 70)
    assert held_event.data.counts == counts
    assert all(b"Tetovo" not in body and b"councillor" not in body for body in wg.published.raw[WORKING_GROUP])


@pytest.mark.parametrize(
    ("steps", "reason"),
    [
        (["reported"], "an action that is planned cannot be marked reported; only a held one can"),
        (["held", "held"], "an action that is held cannot be marked held; only a planned one can"),
        (["held", "reported", "held"], "an action that is reported cannot be marked held; only a planned one can"),
    ],
)
async def test_other_orders_than_planned_held_reported_are_a_409(
    wg: ServiceUnderTest, nalas: dict[str, str], steps: list[str], reason: str
) -> None:
    action_id = await plan(wg, nalas, TRAINING_CYCLE)
    *before, last = steps
    for step in before:
        assert (await mark(wg, nalas, action_id, step)).status_code == 200

    response = await mark(wg, nalas, action_id, last)

    assert response.status_code == 409
    assert response.json()["detail"] == reason


async def test_participants_cannot_be_added_once_the_action_is_reported(
    wg: ServiceUnderTest, nalas: dict[str, str]
) -> None:
    action_id = await plan(wg, nalas, TRAINING_CYCLE)
    await mark(wg, nalas, action_id, "held")
    await mark(wg, nalas, action_id, "reported")

    response = await wg.http.post(
        f"{PREFIX}/actions/{action_id}/participants", json=participant("female", "lga"), headers=nalas
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "the action is reported; its figures can no longer change"


async def test_action_aggregates_count_by_sex_and_organisation_type_with_attendance_and_scores(
    wg: ServiceUnderTest, nalas: dict[str, str], tokens: Tokens
) -> None:
    action_id = await plan(wg, nalas, TRAINING_CYCLE)
    await register(
        wg,
        nalas,
        action_id,
        participant("female", "lga", pre_score=50, post_score=80),
        participant("female", "local_government", pre_score=60, post_score=90),
        participant("other_undisclosed", "international", attended=False),
        participant("male", "local_government", post_score=75),
    )

    response = await wg.http.get(f"{PREFIX}/actions/{action_id}/aggregates", headers=tokens.header(Role.LG, "TETOVO"))

    assert response.status_code == 200, response.text
    assert response.json() == {
        "participants": 4,
        "attended": 3,
        "participants_by_sex": {"female": 2, "male": 1, "other_undisclosed": 1},
        "participants_by_organisation_type": {
            "lga": 1,
            "local_government": 2,
            "central_government": 0,
            "csp_ngo": 0,
            "international": 1,
            "other": 0,
        },
        "participants_by_age_band": {"under-18": 0, "18-29": 0, "30-44": 4, "45-64": 0, "65+": 0},
        "average_pre_score": 55.0,
        "average_post_score": 81.7,
    }


async def test_programme_aggregates_span_every_action_and_can_be_narrowed_to_a_kind(
    wg: ServiceUnderTest, nalas: dict[str, str]
) -> None:
    cycle_id = await plan(wg, nalas, TRAINING_CYCLE)
    course_id = await plan(wg, nalas, E_LEARNING_COURSE)
    await register(wg, nalas, cycle_id, participant("female", "lga"), participant("male", "lga"))
    await register(wg, nalas, course_id, participant("female", "central_government"))

    everything = await wg.http.get(f"{PREFIX}/participants/aggregates", headers=nalas)
    courses = await wg.http.get(f"{PREFIX}/participants/aggregates?kind=e_learning_course", headers=nalas)

    assert everything.json()["participants"] == 3
    assert everything.json()["participants_by_sex"] == {"female": 2, "male": 1, "other_undisclosed": 0}
    assert courses.json()["participants"] == 1
    assert courses.json()["participants_by_organisation_type"]["central_government"] == 1


async def test_aggregates_of_an_action_without_participants_have_no_averages(
    wg: ServiceUnderTest, nalas: dict[str, str]
) -> None:
    action_id = await plan(wg, nalas, TRAINING_CYCLE)

    response = await wg.http.get(f"{PREFIX}/actions/{action_id}/aggregates", headers=nalas)

    assert (response.json()["participants"], response.json()["average_pre_score"]) == (0, None)


async def test_a_score_outside_0_to_100_is_a_422(wg: ServiceUnderTest, nalas: dict[str, str]) -> None:
    action_id = await plan(wg, nalas, TRAINING_CYCLE)

    response = await wg.http.post(
        f"{PREFIX}/actions/{action_id}/participants", json=participant("male", "lga", post_score=101), headers=nalas
    )

    assert response.status_code == 422
    assert "post_score" in str(response.json()["detail"])


async def test_the_participants_of_an_action_are_listed(wg: ServiceUnderTest, nalas: dict[str, str]) -> None:
    action_id = await plan(wg, nalas, TRAINING_CYCLE)
    await register(wg, nalas, action_id, participant("female", "lga"), participant("male", "other"))

    response = await wg.http.get(f"{PREFIX}/actions/{action_id}/participants", headers=nalas)

    assert [(p["sex"], p["organisation_type"]) for p in response.json()] == [("female", "lga"), ("male", "other")]


@pytest.mark.parametrize("path", ["", "/participants", "/aggregates"])
async def test_an_unknown_action_is_a_404(wg: ServiceUnderTest, nalas: dict[str, str], path: str) -> None:
    action_id = "00000000-0000-4000-8000-000000000000"

    response = await wg.http.get(f"{PREFIX}/actions/{action_id}{path}", headers=nalas)

    assert response.status_code == 404
    assert response.json()["detail"] == f"no action {action_id}"


async def test_actions_are_listed_by_kind_and_status(wg: ServiceUnderTest, nalas: dict[str, str]) -> None:
    cycle_id = await plan(wg, nalas, TRAINING_CYCLE)
    course_id = await plan(wg, nalas, E_LEARNING_COURSE)
    await mark(wg, nalas, course_id, "held")

    cycles = await wg.http.get(f"{PREFIX}/actions?kind=training_cycle", headers=nalas)
    held = await wg.http.get(f"{PREFIX}/actions?status=held", headers=nalas)
    everything = await wg.http.get(f"{PREFIX}/actions", headers=nalas)

    assert [a["id"] for a in cycles.json()] == [cycle_id]
    assert [a["id"] for a in held.json()] == [course_id]
    assert [a["id"] for a in everything.json()] == [course_id, cycle_id]


async def test_the_demo_loads_a_training_cycle_and_an_e_learning_course_with_participants(
    wg: ServiceUnderTest, nalas: dict[str, str]
) -> None:
    wg.http.headers.update(nalas)

    summary = await load_demo(wg.http)

    actions = (await wg.http.get(f"{PREFIX}/actions")).json()
    assert {a["kind"] for a in actions} == {"training_cycle", "e_learning_course"}
    assert all("(demo)" in a["title"] for a in actions)
    cycle = next(a for a in actions if a["kind"] == "training_cycle")
    assert len({s["region"] for s in cycle["sessions"]}) == 3
    totals = (await wg.http.get(f"{PREFIX}/participants/aggregates")).json()
    assert totals["participants"] == 30
    assert summary == (
        "demo working-group actions: a training cycle with 3 sessions and 18 participants, "
        "an e-learning course with 12 participants, both held"
    )


async def test_the_demo_records_attendance_only_at_past_actions_and_publishes_their_counts(
    wg: ServiceUnderTest, nalas: dict[str, str]
) -> None:
    wg.http.headers.update(nalas)
    await load_demo(wg.http)

    actions = (await wg.http.get(f"{PREFIX}/actions")).json()
    for action in actions:
        participants = (await wg.http.get(f"{PREFIX}/actions/{action['id']}/participants")).json()
        if any(p["attended"] for p in participants):
            assert date.fromisoformat(action["ends_on"]) < date.today(), action["title"]
            assert all(date.fromisoformat(s["date"]) < date.today() for s in action["sessions"])
            assert action["status"] in {"held", "reported"}, "progress counts an action's participants once held"

    async def counted() -> list[Any]:
        return [e.data.counts for e in wg.published.events(WORKING_GROUP) if isinstance(e.data, ActionHeld)]

    held = await eventually(counted, until=lambda found: len(found) == len(actions))
    assert (sum(c.participants for c in held), sum(c.attended for c in held)) == (30, 27)
