"""Once the working group endorses a recommendation, its association assigns it to its own local governments with
a milestone plan, and reschedules milestones while it is being implemented."""

from typing import Any
from uuid import UUID, uuid4

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus
from contracts.roadmaps import MilestoneRescheduled, RecommendationAssigned
from tests.support.roadmaps import (
    a_drafted_recommendation,
    an_endorsed_recommendation,
    assign,
    in_days,
    lifecycle_applies,
    plan,
    published,
    settle,
)
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


async def reschedule(service: ServiceUnderTest, tokens: Tokens, rid: str, milestone_id: str, **body: Any) -> Any:
    return await service.http.post(
        f"/roadmaps/v1/recommendations/{rid}/milestones/{milestone_id}/reschedule",
        json=body,
        headers=tokens.header(Role.LGA, "ZELS"),
    )


async def test_an_endorsed_recommendation_is_assigned_with_milestones_that_get_ids(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)

    response = await assign(roadmaps, tokens, rid, plan())

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["local_governments"] == ["MK-KUMANOVO", "MK-STRUMICA"]
    assert [(m["title"], m["local_government"]) for m in body["milestones"]] == [
        ("Satellite day-care unit opens", "MK-KUMANOVO"),
        ("Transport service runs", "MK-STRUMICA"),
    ]
    ids = [UUID(m["id"]) for m in body["milestones"]]
    [assigned] = await published(roadmaps, RecommendationAssigned.TYPE)
    assert assigned.subject == rid
    assert [m.milestone_id for m in assigned.data.milestones] == ids
    assert assigned.data.milestones[0].indicators == ["day-care places"]
    current = await roadmaps.http.get(
        f"/roadmaps/v1/recommendations/{rid}", headers=tokens.header(Role.LG, "MK-KUMANOVO")
    )
    assert (current.json()["status"], current.json()["local_governments"]) == (
        "in_implementation",
        ["MK-KUMANOVO", "MK-STRUMICA"],
    )
    listed = await roadmaps.http.get(
        f"/roadmaps/v1/recommendations/{rid}/milestones", headers=tokens.header(Role.LG, "MK-KUMANOVO")
    )
    assert [UUID(m["id"]) for m in listed.json()] == ids


async def test_assigning_before_endorsement_is_refused_naming_the_state(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await a_drafted_recommendation(roadmaps, tokens)

    response = await assign(roadmaps, tokens, recommendation["id"], plan())

    assert response.status_code == 409
    assert response.json()["detail"] == "a recommendation that is drafted cannot be assigned; only endorsed ones can"


async def test_assigning_twice_is_refused(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)
    await assign(roadmaps, tokens, rid, plan())

    again = await assign(roadmaps, tokens, rid, plan())

    assert again.status_code == 409
    assert "in_implementation cannot be assigned" in again.json()["detail"]


async def test_only_the_associations_own_local_governments_are_assigned(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)

    foreign = await assign(roadmaps, tokens, rid, plan(local_governments=["MK-KUMANOVO", "AL-ELBASAN", "XX-NOWHERE"]))

    assert foreign.status_code == 422
    assert foreign.json()["detail"] == "not local governments of ZELS: AL-ELBASAN, XX-NOWHERE"


async def test_every_milestone_belongs_to_an_assigned_local_government(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)

    response = await assign(roadmaps, tokens, rid, plan(local_governments=["MK-KUMANOVO"]))

    assert response.status_code == 422
    assert response.json()["detail"] == (
        "milestone 'Transport service runs' is for MK-STRUMICA, which is not among the assigned local governments"
    )


async def test_a_milestone_due_in_the_past_is_refused(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)
    late = plan()
    late["milestones"][0]["due_date"] = in_days(-1)

    response = await assign(roadmaps, tokens, rid, late)

    assert response.status_code == 422
    assert response.json()["detail"].startswith(
        f"milestone 'Satellite day-care unit opens' is due {in_days(-1)}, which is in the past"
    )


async def test_an_assignment_without_milestones_or_naming_a_local_government_twice_is_refused(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)

    no_milestones = await assign(roadmaps, tokens, rid, plan(milestones=[]))
    twice = await assign(roadmaps, tokens, rid, plan(local_governments=["MK-KUMANOVO", "MK-KUMANOVO"]))

    assert no_milestones.status_code == 422
    assert no_milestones.json()["detail"][0]["loc"] == ["body", "milestones"]
    assert twice.status_code == 422
    assert twice.json()["detail"] == "a local government is named twice in local_governments"


async def test_a_milestone_is_rescheduled_with_the_reason_while_in_implementation(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)
    milestone = (await assign(roadmaps, tokens, rid, plan())).json()["milestones"][0]

    response = await reschedule(roadmaps, tokens, rid, milestone["id"], due_date=in_days(120), reason="Permit late")

    assert response.status_code == 200, response.text
    assert response.json()["due_date"] == in_days(120)
    [rescheduled] = await published(roadmaps, MilestoneRescheduled.TYPE)
    assert (str(rescheduled.data.milestone_id), rescheduled.data.reason, rescheduled.subject) == (
        milestone["id"],
        "Permit late",
        rid,
    )


async def test_rescheduling_outside_implementation_is_refused_naming_the_state(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)
    milestone = (await assign(roadmaps, tokens, rid, plan())).json()["milestones"][0]
    await lifecycle_applies(roadmaps, RecommendationAssigned.TYPE, RecommendationStatus.IN_IMPLEMENTATION)
    await settle(roadmaps, rid, RecommendationStatus.IMPLEMENTED)

    response = await reschedule(roadmaps, tokens, rid, milestone["id"], due_date=in_days(120), reason="r")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "a recommendation that is implemented cannot be rescheduled; only in_implementation ones can"
    )


async def test_rescheduling_into_the_past_is_refused(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)
    milestone = (await assign(roadmaps, tokens, rid, plan())).json()["milestones"][0]

    response = await reschedule(roadmaps, tokens, rid, milestone["id"], due_date=in_days(-3), reason="r")

    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"the new due date is due {in_days(-3)}, which is in the past")


async def test_rescheduling_a_milestone_the_recommendation_does_not_have_is_a_404(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    rid = await an_endorsed_recommendation(roadmaps, tokens)
    await assign(roadmaps, tokens, rid, plan())
    stranger = uuid4()

    response = await reschedule(roadmaps, tokens, rid, str(stranger), due_date=in_days(9), reason="r")

    assert response.status_code == 404
    assert response.json()["detail"] == f"recommendation {rid} has no milestone {stranger}"
