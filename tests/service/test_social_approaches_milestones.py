"""The lifecycle tells a local government what it must deliver; it reports each milestone with figures and evidence."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from contracts.envelope import Actor, Role, new_event
from contracts.lifecycle import MilestonesPlanned, RecommendationStatus, StatusChanged
from contracts.roadmaps import PlannedMilestone, ReferenceEntryChanged
from contracts.social_approaches import MilestoneReported
from contracts.topics import LIFECYCLE, ROADMAPS
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import (
    API,
    LG,
    LGA,
    MAPPING,
    NEIGHBOUR_LG,
    OTHER_LGA,
    evidence,
    lg,
    lifecycle_event,
    plan,
    published,
    reports_path,
)
from tests.support.tokens import Tokens

ATTENDANCE = {"indicator": "people attending weekly", "value": 42, "by_sex": {"female": 25, "male": 17}}


async def report(
    sa: ServiceUnderTest, tokens: Tokens, recommendation_id: UUID, milestone_id: UUID, org: str = LG, **body: Any
) -> Any:
    return await sa.http.post(reports_path(recommendation_id, milestone_id), json=body, headers=lg(tokens, org))


async def expected(sa: ServiceUnderTest, headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
    response = await sa.http.get(f"{API}/milestones", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


# --- what is expected ----------------------------------------------------------------------------------------------


async def test_the_lifecycles_plan_tells_an_lg_what_is_expected_of_it(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa, indicators=["people attending weekly", "women attending"])

    [milestone] = await expected(sa, lg(tokens))

    assert milestone["milestone_id"] == str(milestone_id)
    assert milestone["recommendation_id"] == str(recommendation_id)
    assert milestone["recommendation_status"] == "in_implementation"
    assert milestone["indicators"] == ["people attending weekly", "women attending"]
    assert milestone["due_date"] == (date.today() + timedelta(days=90)).isoformat()
    assert milestone["latest_report_status"] is None


async def test_a_new_plan_replaces_the_whole_previous_plan(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, _first_milestone = await plan(sa)
    replacement = PlannedMilestone(
        milestone_id=uuid4(), title="Outreach team hired", due_date=date(2027, 3, 1), local_government=LG
    )
    new_plan = MilestonesPlanned(recommendation_id=recommendation_id, association=LGA, milestones=[replacement])

    await sa.deliver(LIFECYCLE, lifecycle_event(new_plan).to_json())

    assert [m["milestone_id"] for m in await expected(sa, lg(tokens))] == [str(replacement.milestone_id)]


async def test_an_older_plan_arriving_late_does_not_win(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, current_milestone = await plan(sa)
    stale = PlannedMilestone(milestone_id=uuid4(), title="Old", due_date=date(2027, 1, 1), local_government=LG)
    old_plan = MilestonesPlanned(recommendation_id=recommendation_id, association=LGA, milestones=[stale])

    await sa.deliver(LIFECYCLE, lifecycle_event(old_plan, at=datetime.now(UTC) - timedelta(hours=1)).to_json())

    assert [m["milestone_id"] for m in await expected(sa, lg(tokens))] == [str(current_milestone)]


async def test_each_reader_sees_the_milestones_it_may_see(sa: ServiceUnderTest, tokens: Tokens) -> None:
    await plan(sa, org=LG)
    await plan(sa, org=NEIGHBOUR_LG)

    async def whose(headers: dict[str, str], **params: str) -> list[str]:
        return sorted(m["local_government"] for m in await expected(sa, headers, **params))

    assert await whose(lg(tokens)) == [LG]
    assert await whose(tokens.header(Role.LGA, LGA)) == [LG, NEIGHBOUR_LG]
    assert await whose(tokens.header(Role.LGA, LGA), local_government=NEIGHBOUR_LG) == [NEIGHBOUR_LG]
    assert await whose(tokens.header(Role.NALAS, "NALAS")) == [LG, NEIGHBOUR_LG]
    assert await whose(tokens.header(Role.LGA, OTHER_LGA)) == []


async def test_an_lg_asking_for_another_lgs_milestones_is_refused(sa: ServiceUnderTest, tokens: Tokens) -> None:
    response = await sa.http.get(f"{API}/milestones", params={"local_government": NEIGHBOUR_LG}, headers=lg(tokens))

    assert response.status_code == 403
    assert response.json()["detail"] == f"a local government reads only its own records: this is {NEIGHBOUR_LG}'s"


# --- reporting -----------------------------------------------------------------------------------------------------


async def test_lg_reports_a_milestone_done_with_evidence_and_figures(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa)
    evidence_id = await evidence(sa, tokens)

    response = await report(
        sa,
        tokens,
        recommendation_id,
        milestone_id,
        status="done",
        narrative="The day centre opened in March.",
        indicators=[ATTENDANCE],
        evidence_ids=[evidence_id],
    )

    assert response.status_code == 201, response.text
    assert response.json()["evidence_ids"] == [evidence_id]
    [event] = await published(sa, MilestoneReported.TYPE, 1)
    assert event.subject == str(recommendation_id)
    assert isinstance(event.data, MilestoneReported)
    assert (event.data.milestone_id, event.data.local_government, event.data.status) == (milestone_id, LG, "done")
    assert event.data.report_id == UUID(response.json()["id"])
    assert [e.evidence_id for e in event.data.evidence] == [UUID(evidence_id)]
    assert event.data.evidence[0].sha256 is not None
    assert event.data.indicators[0].by_sex == {"female": 25, "male": 17}

    listed = await sa.http.get(reports_path(recommendation_id, milestone_id), headers=tokens.header(Role.LGA, LGA))
    assert [r["id"] for r in listed.json()] == [response.json()["id"]]
    [milestone] = await expected(sa, lg(tokens))
    assert milestone["latest_report_status"] == "done"


async def test_an_at_risk_report_needs_neither_evidence_nor_every_indicator(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation_id, milestone_id = await plan(sa)

    response = await report(sa, tokens, recommendation_id, milestone_id, status="at_risk", narrative="Staff left.")

    assert response.status_code == 201, response.text
    [milestone] = await expected(sa, lg(tokens))
    assert milestone["latest_report_status"] == "at_risk"


async def test_lg_cannot_report_on_a_milestone_assigned_to_another_lg(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa, org=NEIGHBOUR_LG)

    response = await report(sa, tokens, recommendation_id, milestone_id, status="on_track")

    assert response.status_code == 403
    assert response.json()["detail"] == f"milestone {milestone_id} is assigned to {NEIGHBOUR_LG}; you act for {LG}"
    assert (await expected(sa, tokens.header(Role.NALAS, "NALAS")))[0]["latest_report_status"] is None


async def test_reporting_on_an_unknown_milestone_is_a_404(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa)
    unknown = uuid4()

    response = await report(sa, tokens, recommendation_id, unknown, status="on_track")
    elsewhere = await report(sa, tokens, uuid4(), milestone_id, status="on_track")

    assert response.status_code == 404
    assert response.json()["detail"] == f"no milestone {unknown} is planned for recommendation {recommendation_id}"
    assert elsewhere.status_code == 404


async def test_done_without_evidence_is_refused(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa)

    response = await report(sa, tokens, recommendation_id, milestone_id, status="done", indicators=[ATTENDANCE])

    assert response.status_code == 422
    assert response.json()["detail"] == "a done report needs at least one evidence item"


async def test_done_without_every_required_indicator_is_refused(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa, indicators=["people attending weekly", "women attending"])
    evidence_id = await evidence(sa, tokens)

    response = await report(
        sa, tokens, recommendation_id, milestone_id, status="done", indicators=[ATTENDANCE], evidence_ids=[evidence_id]
    )

    assert response.status_code == 422
    assert response.json()["detail"] == (
        "a done report gives every indicator the plan requires; missing: women attending"
    )


@pytest.mark.parametrize("status", ["on_track", "done"])
async def test_an_indicator_the_plan_does_not_name_is_refused_naming_it(
    sa: ServiceUnderTest, tokens: Tokens, status: str
) -> None:
    recommendation_id, milestone_id = await plan(sa, indicators=["people attending weekly"])
    evidence_id = await evidence(sa, tokens)
    unplanned = {"indicator": "cups of coffee", "value": 3}

    response = await report(
        sa,
        tokens,
        recommendation_id,
        milestone_id,
        status=status,
        indicators=[ATTENDANCE, unplanned],
        evidence_ids=[evidence_id],
    )

    assert response.status_code == 422, response.text
    assert response.json()["detail"] == (
        "the plan asks for people attending weekly; these indicators are not in it: cups of coffee"
    )
    listed = await sa.http.get(reports_path(recommendation_id, milestone_id), headers=lg(tokens))
    assert listed.json() == []


async def test_a_milestone_planned_without_indicators_takes_a_report_without_figures(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation_id, milestone_id = await plan(sa, indicators=[])

    figures = await report(sa, tokens, recommendation_id, milestone_id, status="on_track", indicators=[ATTENDANCE])
    words = await report(sa, tokens, recommendation_id, milestone_id, status="on_track", narrative="On time.")

    assert figures.status_code == 422, figures.text
    assert figures.json()["detail"] == (
        "the plan asks for no indicators; these indicators are not in it: people attending weekly"
    )
    assert words.status_code == 201, words.text


@pytest.mark.parametrize(
    ("indicator", "reason"),
    [
        (
            {**ATTENDANCE, "by_sex": {"female": 25, "male": 10}},
            "indicator 'people attending weekly': by_sex sums to 35, not the total 42",
        ),
        (
            {**ATTENDANCE, "by_age_band": {"18-64": 40, "65+": 12}},
            "indicator 'people attending weekly': by_age_band sums to 52, not the total 42",
        ),
    ],
)
async def test_disaggregation_that_does_not_sum_to_the_value_is_refused(
    sa: ServiceUnderTest, tokens: Tokens, indicator: dict[str, Any], reason: str
) -> None:
    recommendation_id, milestone_id = await plan(sa)

    response = await report(sa, tokens, recommendation_id, milestone_id, status="on_track", indicators=[indicator])

    assert response.status_code == 422
    assert response.json()["detail"] == reason
    listed = await sa.http.get(reports_path(recommendation_id, milestone_id), headers=lg(tokens))
    assert listed.json() == []


async def test_evidence_of_another_lg_cannot_back_a_report(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa)
    neighbours_evidence = await evidence(sa, tokens, org=NEIGHBOUR_LG)

    response = await report(
        sa,
        tokens,
        recommendation_id,
        milestone_id,
        status="done",
        indicators=[ATTENDANCE],
        evidence_ids=[neighbours_evidence],
    )

    assert response.status_code == 403
    assert response.json()["detail"] == f"evidence {neighbours_evidence} belongs to {NEIGHBOUR_LG}, not {LG}"


async def test_unknown_evidence_cannot_back_a_report(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa)
    unknown = uuid4()

    response = await report(sa, tokens, recommendation_id, milestone_id, status="on_track", evidence_ids=[str(unknown)])

    assert response.status_code == 422
    assert response.json()["detail"] == f"no evidence {unknown}: upload it first"


async def test_a_verified_recommendation_takes_no_more_reports(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa, status=RecommendationStatus.VERIFIED)

    response = await report(sa, tokens, recommendation_id, milestone_id, status="on_track")

    assert response.status_code == 409
    assert response.json()["detail"] == "the recommendation is verified; milestones are reported in implementation"


async def test_an_unknown_milestone_status_is_refused_with_the_reason(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id, milestone_id = await plan(sa)

    response = await report(sa, tokens, recommendation_id, milestone_id, status="almost")

    assert response.status_code == 422
    assert "on_track" in str(response.json()["detail"])


async def test_a_status_that_arrives_before_the_plan_is_kept(sa: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = uuid4()
    changed = StatusChanged(
        recommendation_id=recommendation_id,
        from_status=RecommendationStatus.ENDORSED,
        to_status=RecommendationStatus.IN_IMPLEMENTATION,
        cause_event_id=uuid4(),
        cause_event_type="sori.roadmaps.recommendation.assigned.v1",
    )
    milestone = PlannedMilestone(milestone_id=uuid4(), title="Opened", due_date=date(2027, 1, 1), local_government=LG)
    planned = MilestonesPlanned(recommendation_id=recommendation_id, association=LGA, milestones=[milestone])

    await sa.deliver(LIFECYCLE, lifecycle_event(changed).to_json())
    await sa.deliver(LIFECYCLE, lifecycle_event(planned).to_json())

    [expected_milestone] = await expected(sa, lg(tokens))
    assert expected_milestone["recommendation_status"] == "in_implementation"


async def test_a_plan_teaches_which_association_an_unlisted_lg_belongs_to(sa: ServiceUnderTest, tokens: Tokens) -> None:
    refused = await sa.http.post(f"{API}/mappings", json=MAPPING, headers=lg(tokens, "RS-NIS"))
    assert refused.status_code == 403, refused.text
    milestone = PlannedMilestone(
        milestone_id=uuid4(), title="Opened", due_date=date(2027, 1, 1), local_government="RS-NIS"
    )
    planned = MilestonesPlanned(recommendation_id=uuid4(), association="SKGO", milestones=[milestone])

    await sa.deliver(LIFECYCLE, lifecycle_event(planned).to_json())

    mapping = await sa.http.post(f"{API}/mappings", json=MAPPING, headers=lg(tokens, "RS-NIS"))
    assert mapping.status_code == 201, mapping.text
    response = await sa.http.get(f"{API}/mappings/{mapping.json()['id']}", headers=tokens.header(Role.LGA, "SKGO"))
    assert response.status_code == 200, response.text
    assert response.json()["association"] == "SKGO"


@pytest.mark.parametrize("figure", ["1e309", "-1e309", "NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(
    ("indicator", "field"),
    [
        ('{"indicator": "people attending weekly", "value": %s}', ["value"]),
        ('{"indicator": "people attending weekly", "value": 1, "by_sex": {"female": %s}}', ["by_sex", "female"]),
        ('{"indicator": "people attending weekly", "value": 1, "by_age_band": {"65+": %s}}', ["by_age_band", "65+"]),
    ],
)
async def test_a_figure_that_is_not_a_finite_number_is_refused_naming_its_field(
    sa: ServiceUnderTest, tokens: Tokens, figure: str, indicator: str, field: list[str]
) -> None:
    recommendation_id, milestone_id = await plan(sa)
    body = '{"status": "on_track", "indicators": [%s]}' % (indicator % figure)

    response = await sa.http.post(
        reports_path(recommendation_id, milestone_id),
        content=body,
        headers={**lg(tokens), "content-type": "application/json"},
    )

    assert response.status_code == 422, response.text
    assert "finite number" in response.text
    assert all(f'"{name}"' in response.text for name in ["indicators", *field]), response.text
    listed = await sa.http.get(reports_path(recommendation_id, milestone_id), headers=lg(tokens))
    assert listed.json() == []


async def test_a_local_government_nalas_adds_to_the_reference_data_may_write(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    added = ReferenceEntryChanged(kind="local-governments", code="RS-NIS", association="SKGO")
    nalas = Actor(sub="jana@nalas", org="NALAS", role=Role.NALAS)

    await sa.deliver(ROADMAPS, new_event(added, subject="RS-NIS", actor=nalas, source="roadmaps").to_json())

    mapping = await sa.http.post(f"{API}/mappings", json=MAPPING, headers=lg(tokens, "RS-NIS"))
    assert mapping.status_code == 201, mapping.text
    assert mapping.json()["association"] == "SKGO"
