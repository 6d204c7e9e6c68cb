"""A recommendation's whole journey on the real stack, all through public HTTP: ZELS drafts, revises and submits;
the working group requests changes; ZELS revises and resubmits; the working group endorses; ZELS assigns two local
governments a milestone each; both report `done` with evidence; the working group verifies. Every step reaches the
workflow, and the progress API and the workflow's timeline agree."""

from datetime import UTC, datetime, timedelta

import pytest

from contracts.envelope import Role
from contracts.lifecycle import RecommendationStatus as S
from sori_cli.stack.child import RunningStack
from tests.support.journey import INDICATOR, person, planned_for, report_done, workflow_state, zels_roadmap

pytestmark = pytest.mark.integration


async def test_a_recommendation_goes_from_draft_to_verified_through_every_service(shared_stack: RunningStack) -> None:
    lga = person(shared_stack, "roadmaps", Role.LGA, "ZELS")
    wg = person(shared_stack, "working_group", Role.NALAS, "NALAS")
    kumanovo = person(shared_stack, "social_approaches", Role.LG, "MK-KUMANOVO")
    strumica = person(shared_stack, "social_approaches", Role.LG, "MK-STRUMICA")
    observer = person(shared_stack, "progress", Role.OBSERVER, "OBSERVER")

    roadmap = await zels_roadmap(lga)
    draft = {"title": "Day care for persons with disabilities in rural areas", "language": "en"}
    rec = (await lga.call("POST", f"/roadmaps/v1/roadmaps/{roadmap}/recommendations", json=draft))["id"]
    await lga.call(
        "POST",
        f"/roadmaps/v1/recommendations/{rec}/versions",
        json={"proposed_measures": "Two satellite day-care units."},
    )
    await lga.call("POST", f"/roadmaps/v1/recommendations/{rec}/submit")

    wg_rec = f"/working-group/v1/recommendations/{rec}"
    await wg.until(wg_rec, "status", "submitted")
    await wg.call("POST", f"{wg_rec}/review", json={})
    await wg.call("POST", f"{wg_rec}/decision", json={"decision": "request_changes", "comments": ["Add costs."]})

    await lga.until(f"/roadmaps/v1/recommendations/{rec}", "status", "changes_requested")
    await lga.call(
        "POST",
        f"/roadmaps/v1/recommendations/{rec}/versions",
        json={"proposed_measures": "Two satellite day-care units; 40,000 EUR a year."},
    )
    await lga.call("POST", f"/roadmaps/v1/recommendations/{rec}/submit")

    await wg.until(wg_rec, "status", "submitted")
    await wg.call("POST", f"{wg_rec}/review", json={})
    await wg.call("POST", f"{wg_rec}/decision", json={"decision": "endorse"})

    await lga.until(f"/roadmaps/v1/recommendations/{rec}", "status", "endorsed")
    due = (datetime.now(UTC).date() + timedelta(days=60)).isoformat()
    await lga.call(
        "POST",
        f"/roadmaps/v1/recommendations/{rec}/assignment",
        json={
            "local_governments": ["MK-KUMANOVO", "MK-STRUMICA"],
            "milestones": [
                {
                    "title": "Unit opens in Kumanovo",
                    "due_date": due,
                    "local_government": "MK-KUMANOVO",
                    "indicators": [INDICATOR],
                },
                {
                    "title": "Unit opens in Strumica",
                    "due_date": due,
                    "local_government": "MK-STRUMICA",
                    "indicators": [INDICATOR],
                },
            ],
        },
    )

    for lg in (kumanovo, strumica):
        [milestone] = await planned_for(lg, rec)
        await report_done(lg, rec, milestone)

    await wg.until(wg_rec, "status", "implemented")
    await wg.call("POST", f"{wg_rec}/verification", json={"outcome": "verify", "note": "Visited both units."})

    progress = await observer.until(f"/progress/v1/recommendations/{rec}", "status", "verified")
    assert progress["status"] == "verified"
    state = await workflow_state(shared_stack, rec)
    assert state.status is S.VERIFIED
    assert state.version == 3
    moves = [(e.from_status, e.to_status) for e in state.timeline if e.to_status is not e.from_status]
    assert moves == [
        (None, S.DRAFTED),
        (S.DRAFTED, S.SUBMITTED),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.CHANGES_REQUESTED),
        (S.CHANGES_REQUESTED, S.SUBMITTED),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.ENDORSED),
        (S.ENDORSED, S.IN_IMPLEMENTATION),
        (S.IN_IMPLEMENTATION, S.IMPLEMENTED),
        (S.IMPLEMENTED, S.VERIFIED),
    ]
    assert all(entry.applied for entry in state.timeline)
    # One order and one clock: progress' timeline is the workflow's, move for move, at the time of each cause.
    timeline = await observer.call("GET", f"/progress/v1/recommendations/{rec}/timeline")
    assert [(c["from_status"], c["to_status"], datetime.fromisoformat(c["at"])) for c in timeline["changes"]] == [
        (e.from_status, e.to_status, e.time) for e in state.timeline if e.to_status is not e.from_status
    ]
    assert all(isinstance(c["sequence"], int) for c in timeline["changes"]), "every move is numbered"
    assert {m.local_government for m in state.milestones if m.done} == {"MK-KUMANOVO", "MK-STRUMICA"}
