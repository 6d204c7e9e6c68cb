"""Every command that creates something honours an Idempotency-Key (tests/support/idempotency.py checks the rule),
on both databases; with no key it runs as before (the other service tests)."""

import asyncio
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.envelope import Role
from contracts.roadmaps import CommentAdded, RecommendationDrafted, RecommendationRevised
from contracts.social_approaches import ApproachStatusChanged, MilestoneReported
from contracts.working_group import ActionPlanned
from services.notifications.models import Person, Webhook
from services.progress.models import ProgressReport
from services.roadmaps.models import Recommendation, Roadmap, VersionComment
from services.roadmaps.models import RecommendationVersion as Version
from services.social_approaches.models import Approach, Evidence, Mapping, MilestoneReport
from services.working_group.models import Action, Meeting, Member, Participant, ReviewComment, TrainingSession
from sori.idempotency import HEADER, REPLAYED
from sori.kafka import make_broker
from sori.settings import Settings
from tests.support import roadmaps as rm
from tests.support import working_group as wg_story
from tests.support.idempotency import check_idempotency, written
from tests.support.services import ServiceUnderTest
from tests.support.social_approaches import API, APPROACH, LG, MAPPING, PDF, lg, plan, reports_path
from tests.support.tokens import Tokens

Body = Callable[[bool], dict[str, Any]]
ATTENDANCE = {"indicator": "people attending weekly", "value": 42, "by_sex": {"female": 25, "male": 17}}

SERVICES = ["roadmaps", "working_group", "social_approaches", "progress", "notifications"]
# Every command that creates something, by service; the tests below send each with a key.
CREATING = {
    "roadmaps": {
        "POST /roadmaps/v1/roadmaps",
        "POST /roadmaps/v1/roadmaps/{roadmap_id}/recommendations",
        "POST /roadmaps/v1/recommendations/{recommendation_id}/versions",
        "POST /roadmaps/v1/recommendations/{recommendation_id}/versions/{number}/comments",
    },
    "working_group": {
        "POST /working-group/v1/members",
        "POST /working-group/v1/meetings",
        "POST /working-group/v1/recommendations/{recommendation_id}/comments",
        "POST /working-group/v1/actions",
        "POST /working-group/v1/actions/{action_id}/sessions",
        "POST /working-group/v1/actions/{action_id}/participants",
    },
    "social_approaches": {
        "POST /social-approaches/v1/recommendations/{recommendation_id}/milestones/{milestone_id}/reports",
        "POST /social-approaches/v1/mappings",
        "POST /social-approaches/v1/approaches",
        "POST /social-approaches/v1/evidence",
    },
    "progress": {"POST /progress/v1/reports"},
    "notifications": {"POST /notifications/v1/people", "POST /notifications/v1/webhooks"},
}


def sending(service: ServiceUnderTest, path: str, body: Body, headers: dict[str, str]) -> Any:
    """The command as check_idempotency sends it: its JSON body, or (other) another valid one."""

    async def send(extra: dict[str, str], other: bool) -> httpx.Response:
        return await service.http.post(path, json=body(other), headers={**headers, **extra})

    return send


# --- social approaches ---------------------------------------------------------------------------------------------


async def test_a_milestone_report_sent_again_with_its_key_is_reported_once(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation_id, milestone_id = await plan(sa)

    def body(other: bool) -> dict[str, Any]:
        return {"status": "at_risk" if other else "on_track", "narrative": "Staff left." if other else "On course."}

    send = sending(sa, reports_path(recommendation_id, milestone_id), body, lg(tokens))
    await check_idempotency(sa, send, MilestoneReport, MilestoneReported.TYPE)


async def test_an_evidence_upload_sent_again_with_its_key_is_kept_once(sa: ServiceUnderTest, tokens: Tokens) -> None:
    async def send(headers: dict[str, str], other: bool) -> httpx.Response:
        content = PDF + (b"%second\n" if other else b"")
        files = {"file": ("minutes.pdf" if other else "report.pdf", content, "application/pdf")}
        return await sa.http.post(f"{API}/evidence", files=files, headers={**lg(tokens), **headers})

    await check_idempotency(sa, send, Evidence, None)


async def test_an_evidence_link_sent_again_with_its_key_is_kept_once(sa: ServiceUnderTest, tokens: Tokens) -> None:
    def body(other: bool) -> dict[str, Any]:
        return {"url": f"https://kumanovo.gov.mk/report-{2 if other else 1}.pdf", "name": "Day-centre report"}

    await check_idempotency(sa, sending(sa, f"{API}/evidence", body, lg(tokens)), Evidence, None)


async def test_a_social_mapping_sent_again_with_its_key_is_made_once(sa: ServiceUnderTest, tokens: Tokens) -> None:
    def body(other: bool) -> dict[str, Any]:
        return {**MAPPING, "topic": "employment"} if other else MAPPING

    await check_idempotency(sa, sending(sa, f"{API}/mappings", body, lg(tokens)), Mapping, None)


async def test_a_social_approach_sent_again_with_its_key_is_made_once(sa: ServiceUnderTest, tokens: Tokens) -> None:
    def body(other: bool) -> dict[str, Any]:
        return {**APPROACH, "title": "Second approach" if other else APPROACH["title"]}

    send = sending(sa, f"{API}/approaches", body, lg(tokens))
    await check_idempotency(sa, send, Approach, ApproachStatusChanged.TYPE)


# --- roadmaps ------------------------------------------------------------------------------------------------------


async def test_a_roadmap_sent_again_with_its_key_is_made_once(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    def body(other: bool) -> dict[str, Any]:
        return {**rm.ROADMAP, "title": "Second roadmap" if other else rm.ROADMAP["title"]}

    send = sending(roadmaps, "/roadmaps/v1/roadmaps", body, rm.zels(tokens))
    await check_idempotency(roadmaps, send, Roadmap, None, creates_again=False)  # one roadmap per programme


async def test_a_draft_sent_again_with_its_key_is_drafted_once(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    roadmap = await rm.create_roadmap(roadmaps, tokens)

    def body(other: bool) -> dict[str, Any]:
        return {**rm.RECOMMENDATION, "title": "Mobile teams" if other else rm.RECOMMENDATION["title"]}

    path = f"/roadmaps/v1/roadmaps/{roadmap['id']}/recommendations"
    send = sending(roadmaps, path, body, rm.zels(tokens))
    await check_idempotency(roadmaps, send, Recommendation, RecommendationDrafted.TYPE)


async def test_a_version_sent_again_with_its_key_is_added_once(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation = await rm.a_drafted_recommendation(roadmaps, tokens)

    def body(other: bool) -> dict[str, Any]:
        return {"title": "Revised again" if other else "Revised"}

    path = f"/roadmaps/v1/recommendations/{recommendation['id']}/versions"
    send = sending(roadmaps, path, body, rm.zels(tokens))
    await check_idempotency(roadmaps, send, Version, RecommendationRevised.TYPE)


async def test_a_version_comment_sent_again_with_its_key_is_added_once(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation = await rm.a_drafted_recommendation(roadmaps, tokens)

    def body(other: bool) -> dict[str, Any]:
        return {"body": "Added in version 2." if other else "Please add the numbers."}

    path = f"/roadmaps/v1/recommendations/{recommendation['id']}/versions/1/comments"
    send = sending(roadmaps, path, body, rm.zels(tokens))
    await check_idempotency(roadmaps, send, VersionComment, CommentAdded.TYPE)


# --- working group -------------------------------------------------------------------------------------------------


def _participant(other: bool) -> dict[str, Any]:
    return {
        "organisation": "Municipality of Tetovo",
        "organisation_type": "lga",
        "role": "councillor",
        "sex": "male" if other else "female",
        "age_band": "30-44",
    }


async def test_a_participant_sent_again_with_its_key_is_registered_once(wg: ServiceUnderTest, tokens: Tokens) -> None:
    action_id = await wg_story.plan(wg, wg_story.nalas(tokens), wg_story.TRAINING_CYCLE)

    path = f"{wg_story.PREFIX}/actions/{action_id}/participants"
    await check_idempotency(wg, sending(wg, path, _participant, wg_story.nalas(tokens)), Participant, None)


async def test_an_action_sent_again_with_its_key_is_planned_once(wg: ServiceUnderTest, tokens: Tokens) -> None:
    def body(other: bool) -> dict[str, Any]:
        return {**wg_story.TRAINING_CYCLE, "title": "Second cycle" if other else wg_story.TRAINING_CYCLE["title"]}

    send = sending(wg, f"{wg_story.PREFIX}/actions", body, wg_story.nalas(tokens))
    await check_idempotency(wg, send, Action, ActionPlanned.TYPE)


async def test_a_training_session_sent_again_with_its_key_is_added_once(wg: ServiceUnderTest, tokens: Tokens) -> None:
    action_id = await wg_story.plan(wg, wg_story.nalas(tokens), wg_story.TRAINING_CYCLE)

    def body(other: bool) -> dict[str, Any]:
        return {"date": "2027-03-07" if other else "2027-02-14", "region": "Polog", "target_body": "councils"}

    path = f"{wg_story.PREFIX}/actions/{action_id}/sessions"
    await check_idempotency(wg, sending(wg, path, body, wg_story.nalas(tokens)), TrainingSession, None)


async def test_a_meeting_sent_again_with_its_key_is_planned_once(wg: ServiceUnderTest, tokens: Tokens) -> None:
    def body(other: bool) -> dict[str, Any]:
        return {"date": "2026-12-10" if other else "2026-12-03", "title": "WG meeting", "agenda": []}

    send = sending(wg, f"{wg_story.PREFIX}/meetings", body, wg_story.nalas(tokens))
    await check_idempotency(wg, send, Meeting, None)


async def test_a_member_sent_again_with_its_key_is_registered_once(wg: ServiceUnderTest, tokens: Tokens) -> None:
    def body(other: bool) -> dict[str, Any]:
        sub = "goran@skgo" if other else "jana@zels"
        return {"sub": sub, "name": "A member", "association": "ZELS", "position": "member", "may_decide": True}

    send = sending(wg, f"{wg_story.PREFIX}/members", body, wg_story.nalas(tokens))
    await check_idempotency(wg, send, Member, None)


async def test_a_review_comment_sent_again_with_its_key_is_kept_once(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await wg_story.recommendation_in(wg, wg_story.S.UNDER_REVIEW)

    def body(other: bool) -> dict[str, Any]:
        return {"version": 1, "text": "Budget fine now." if other else "Add a budget."}

    path = f"{wg_story.PREFIX}/recommendations/{recommendation_id}/comments"
    await check_idempotency(wg, sending(wg, path, body, wg_story.nalas(tokens)), ReviewComment, None)


# --- notifications and progress ------------------------------------------------------------------------------------


async def test_a_person_sent_again_with_its_key_is_registered_once(
    notifications: ServiceUnderTest, tokens: Tokens
) -> None:
    def body(other: bool) -> dict[str, Any]:
        sub = "b@zels" if other else "a@zels"
        return {"sub": sub, "name": "A", "email": f"{sub}.example", "organisation": "ZELS", "role": "lga"}

    path, nalas = "/notifications/v1/people", tokens.header(Role.NALAS, "NALAS")
    await check_idempotency(notifications, sending(notifications, path, body, nalas), Person, None)


async def test_a_webhook_sent_again_with_its_key_is_subscribed_once(
    notifications: ServiceUnderTest, tokens: Tokens
) -> None:
    def body(other: bool) -> dict[str, Any]:
        return {"url": f"https://hooks.example.org/{'second' if other else 'sori'}", "event_types": ["*"]}

    path, nalas = "/notifications/v1/webhooks", tokens.header(Role.NALAS, "NALAS")
    await check_idempotency(notifications, sending(notifications, path, body, nalas), Webhook, None)


async def test_a_progress_report_order_sent_again_with_its_key_is_made_once(
    progress: ServiceUnderTest, tokens: Tokens
) -> None:
    def body(other: bool) -> dict[str, Any]:
        return {"period_end": f"2026-{12 if other else 11}-01T06:00:00Z", "trigger": "scheduled"}

    path, nalas = "/progress/v1/reports", tokens.header(Role.NALAS, "NALAS")
    await check_idempotency(progress, sending(progress, path, body, nalas), ProgressReport, None)


# --- at once, and as documented ------------------------------------------------------------------------------------


async def test_two_reports_sent_at_once_with_one_key_write_one_and_both_answer_it(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    """The second's claim waits on the first's row until the first commits, then answers the first's answer."""
    recommendation_id, milestone_id = await plan(sa)
    path, headers = reports_path(recommendation_id, milestone_id), {**lg(tokens), HEADER: "report-at-once"}

    both = await asyncio.gather(*(sa.http.post(path, json={"status": "on_track"}, headers=headers) for _ in range(2)))
    listed = await sa.http.get(path, headers=lg(tokens))

    assert [response.status_code for response in both] == [201, 201]
    assert both[0].content == both[1].content
    assert sorted(REPLAYED in response.headers for response in both) == [False, True]
    assert [report["id"] for report in listed.json()] == [both[0].json()["id"]]
    assert (await written(sa, MilestoneReport))[1] == [MilestoneReported.TYPE]


async def test_one_key_serves_a_callers_several_commands_and_other_callers_keys_never_meet(
    sa: ServiceUnderTest, tokens: Tokens
) -> None:
    """As the portal's report form sends its one key with the evidence upload and then with the report."""
    recommendation_id, milestone_id = await plan(sa)
    key = {HEADER: "form-1"}
    files = {"file": ("report.pdf", PDF, "application/pdf")}

    uploaded = await sa.http.post(f"{API}/evidence", files=files, headers={**lg(tokens), **key})
    body = {"status": "done", "evidence_ids": [uploaded.json()["evidence_id"]], "indicators": [ATTENDANCE]}
    reported = await sa.http.post(
        reports_path(recommendation_id, milestone_id), json=body, headers={**lg(tokens), **key}
    )
    someone_else = await sa.http.post(
        f"{API}/evidence", files=files, headers={**tokens.header(Role.LG, LG, sub="another@lg"), **key}
    )

    assert (uploaded.status_code, reported.status_code, someone_else.status_code) == (201, 201, 201)
    assert REPLAYED not in someone_else.headers
    assert someone_else.json()["evidence_id"] != uploaded.json()["evidence_id"]


async def test_a_key_that_is_not_visible_ascii_is_a_422_with_the_reason(sa: ServiceUnderTest, tokens: Tokens) -> None:
    response = await sa.http.post(f"{API}/approaches", json=APPROACH, headers={**lg(tokens), HEADER: "x" * 201})

    assert response.status_code == 422
    assert response.json()["detail"] == (
        "the Idempotency-Key header must be 1 to 200 visible ASCII characters (a UUID is best)"
    )


@pytest.mark.parametrize("service", SERVICES)
def test_every_post_that_creates_takes_a_key_in_the_openapi_and_no_other_does(service: str, tmp_path: Path) -> None:
    module = __import__(f"services.{service}.app", fromlist=["create_app"])
    settings = Settings(SORI_HOME=tmp_path, DATABASE_URL=None, SORI_SECRET=secrets.token_urlsafe(32))
    document = module.create_app(settings, make_broker(settings, client_id="test")).openapi()

    keyed, creating = set(), set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            named = f"{method.upper()} {path}"
            if [p for p in operation.get("parameters", []) if p["name"] == HEADER and p["in"] == "header"]:
                keyed.add(named)
                assert "Idempotency-Key was used for another request" in operation["responses"]["409"]["description"]
            if method == "post" and "201" in operation["responses"]:
                creating.add(named)

    assert keyed == creating == CREATING[service]
