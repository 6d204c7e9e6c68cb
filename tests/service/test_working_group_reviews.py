"""NALAS reviews, decides and verifies recommendations the lifecycle topic told it of: each command emits its event
keyed by the recommendation, each refusal says why."""

from uuid import UUID, uuid4

import pytest

from contracts.envelope import Role, new_event
from contracts.lifecycle import RecommendationStatus, TransitionRejected
from contracts.topics import LIFECYCLE, WORKING_GROUP
from contracts.working_group import (
    COMMENT_MAX_LENGTH,
    COMMENTS_MAX,
    ChangesRequested,
    ImplementationReturned,
    ImplementationVerified,
    RecommendationEndorsed,
    RecommendationRejected,
    ReviewStarted,
)
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens
from tests.support.working_group import (
    PREFIX,
    WORKFLOW,
    S,
    nalas,
    plan_meeting,
    post,
    published,
    recommendation_in,
    register_member,
)

# Reviews and decisions


async def test_nalas_starts_the_review_of_a_submitted_recommendation(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.SUBMITTED, version=3)
    meeting_id = await plan_meeting(wg, tokens, [recommendation_id])

    response = await post(
        wg,
        f"/recommendations/{recommendation_id}/review",
        {"reviewers": ["jana@zels"], "meeting_id": meeting_id},
        nalas(tokens),
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "under_review"
    [event] = await published(wg, 1)
    assert event.type == ReviewStarted.TYPE
    assert event.subject == str(recommendation_id)
    assert event.data == ReviewStarted(
        recommendation_id=recommendation_id, version=3, reviewers=["jana@zels"], meeting_id=UUID(meeting_id)
    )


async def test_starting_a_review_twice_is_a_conflict_naming_the_state(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.SUBMITTED)
    path = f"/recommendations/{recommendation_id}/review"
    assert (await post(wg, path, {}, nalas(tokens))).status_code == 200

    again = await post(wg, path, {}, nalas(tokens))

    assert again.status_code == 409
    assert "that is under_review; it must be submitted" in again.json()["detail"]


@pytest.mark.parametrize("command", ["review", "decision", "verification", "comments"])
async def test_a_recommendation_never_seen_on_the_lifecycle_topic_is_a_404(
    wg: ServiceUnderTest, tokens: Tokens, command: str
) -> None:
    body = {"decision": "endorse", "outcome": "verify", "version": 1, "text": "x"}
    recommendation_id = uuid4()

    response = await post(wg, f"/recommendations/{recommendation_id}/{command}", body, nalas(tokens))

    assert response.status_code == 404
    assert response.json()["detail"] == f"recommendation {recommendation_id} has never been seen on the lifecycle topic"


async def test_review_comments_are_tied_to_the_version_they_are_about(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW, version=2)
    path = f"/recommendations/{recommendation_id}/comments"
    first = await post(wg, path, {"version": 1, "text": "Add a budget."}, nalas(tokens, "jana@zels"))
    second = await post(wg, path, {"version": 2, "text": "Budget fine now."}, nalas(tokens, "goran@skgo"))
    assert (first.status_code, second.status_code) == (201, 201)

    everything = await wg.http.get(f"{PREFIX}{path}", headers=tokens.header(Role.LGA, "ZELS"))
    of_version_two = await wg.http.get(f"{PREFIX}{path}?version=2", headers=tokens.header(Role.LGA, "ZELS"))

    assert [(c["version"], c["text"], c["author"]) for c in everything.json()] == [
        (1, "Add a budget.", "jana@zels"),
        (2, "Budget fine now.", "goran@skgo"),
    ]
    assert [c["text"] for c in of_version_two.json()] == ["Budget fine now."]


async def test_a_comment_on_a_version_not_yet_written_is_a_422(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW, version=2)

    response = await post(
        wg, f"/recommendations/{recommendation_id}/comments", {"version": 3, "text": "?"}, nalas(tokens)
    )

    assert response.status_code == 422
    assert "version 3" in response.json()["detail"]
    assert "the latest is 2" in response.json()["detail"]


async def test_endorsement_carries_the_version_under_review_who_decided_and_the_meeting(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW, version=4)
    meeting_id = await plan_meeting(wg, tokens, [recommendation_id])

    response = await post(
        wg,
        f"/recommendations/{recommendation_id}/decision",
        {"decision": "endorse", "meeting_id": meeting_id},
        nalas(tokens, "chair@nalas"),
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "endorsed"
    [event] = await published(wg, 1)
    assert event.subject == str(recommendation_id)
    assert event.data == RecommendationEndorsed(
        recommendation_id=recommendation_id, version=4, decided_by="chair@nalas", meeting_id=UUID(meeting_id)
    )
    meeting = (await wg.http.get(f"{PREFIX}/meetings/{meeting_id}", headers=nalas(tokens))).json()
    assert [(d["recommendation_id"], d["event_type"]) for d in meeting["decisions"]] == [
        (str(recommendation_id), RecommendationEndorsed.TYPE)
    ]


async def test_requesting_changes_emits_the_comments(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW, version=2)
    body = {"decision": "request_changes", "comments": ["Name the pilot municipalities."]}

    response = await post(wg, f"/recommendations/{recommendation_id}/decision", body, nalas(tokens, "chair@nalas"))

    assert response.json()["status"] == "changes_requested"
    [event] = await published(wg, 1)
    assert event.data == ChangesRequested(
        recommendation_id=recommendation_id,
        version=2,
        decided_by="chair@nalas",
        comments=["Name the pilot municipalities."],
    )


async def test_rejection_emits_the_reason(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW)
    body = {"decision": "reject", "reason": "Outside the programme's scope."}

    response = await post(wg, f"/recommendations/{recommendation_id}/decision", body, nalas(tokens, "chair@nalas"))

    assert response.json()["status"] == "rejected"
    [event] = await published(wg, 1)
    assert event.data == RecommendationRejected(
        recommendation_id=recommendation_id,
        version=1,
        decided_by="chair@nalas",
        reason="Outside the programme's scope.",
    )


async def test_requesting_changes_without_comments_is_a_422(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW)
    path = f"/recommendations/{recommendation_id}/decision"

    none = await post(wg, path, {"decision": "request_changes", "comments": []}, nalas(tokens))
    blank = await post(wg, path, {"decision": "request_changes", "comments": ["  "]}, nalas(tokens))

    assert none.status_code == 422
    assert "requesting changes needs at least one comment" in none.json()["detail"]
    assert blank.status_code == 422
    assert [error["loc"] for error in blank.json()["detail"]] == [["body", "comments", 0]]


async def test_rejecting_without_a_reason_is_a_422(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW)

    response = await post(wg, f"/recommendations/{recommendation_id}/decision", {"decision": "reject"}, nalas(tokens))

    assert response.status_code == 422
    assert response.json()["detail"] == "a rejection needs a reason"


@pytest.mark.parametrize("status", [S.SUBMITTED, S.ENDORSED, S.CHANGES_REQUESTED, S.IMPLEMENTED])
async def test_a_decision_needs_a_recommendation_in_review(
    wg: ServiceUnderTest, tokens: Tokens, status: RecommendationStatus
) -> None:
    recommendation_id = await recommendation_in(wg, status)

    response = await post(wg, f"/recommendations/{recommendation_id}/decision", {"decision": "endorse"}, nalas(tokens))

    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"cannot endorse a recommendation that is {status.value}; it must be under_review"
    )


async def test_a_second_decision_is_refused_at_once(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW)
    path = f"/recommendations/{recommendation_id}/decision"
    assert (await post(wg, path, {"decision": "endorse"}, nalas(tokens))).status_code == 200

    second = await post(wg, path, {"decision": "reject", "reason": "changed our minds"}, nalas(tokens))

    assert second.status_code == 409
    assert "that is endorsed" in second.json()["detail"]


async def test_a_member_registered_as_one_who_may_not_decide_is_refused(wg: ServiceUnderTest, tokens: Tokens) -> None:
    await register_member(wg, tokens, "observer@nalas", may_decide=False)
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW)

    response = await post(
        wg, f"/recommendations/{recommendation_id}/decision", {"decision": "endorse"}, nalas(tokens, "observer@nalas")
    )

    assert response.status_code == 403
    assert "observer@nalas is registered as one who may not decide" in response.json()["detail"]
    assert wg.published.events(WORKING_GROUP) == []


async def test_a_decision_naming_an_unknown_meeting_is_a_422(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW)
    meeting_id = uuid4()

    response = await post(
        wg,
        f"/recommendations/{recommendation_id}/decision",
        {"decision": "endorse", "meeting_id": str(meeting_id)},
        nalas(tokens),
    )

    assert response.status_code == 422
    assert response.json()["detail"] == f"no meeting {meeting_id}"


async def test_an_unknown_decision_is_a_422_from_the_parser(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW)

    response = await post(wg, f"/recommendations/{recommendation_id}/decision", {"decision": "maybe"}, nalas(tokens))

    assert response.status_code == 422
    assert "endorse" in str(response.json()["detail"])


# Verification of implementation


async def test_nalas_verifies_an_implemented_recommendation(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.IMPLEMENTED)
    body = {"outcome": "verify", "note": "Evidence checked on site."}

    response = await post(wg, f"/recommendations/{recommendation_id}/verification", body, nalas(tokens, "chair@nalas"))

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "verified"
    [event] = await published(wg, 1)
    assert event.subject == str(recommendation_id)
    assert event.data == ImplementationVerified(
        recommendation_id=recommendation_id, verified_by="chair@nalas", note="Evidence checked on site."
    )


async def test_nalas_returns_an_implementation_with_reasons(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.IMPLEMENTED)
    body = {"outcome": "return", "reasons": ["The evaluation report is missing."]}

    response = await post(wg, f"/recommendations/{recommendation_id}/verification", body, nalas(tokens, "chair@nalas"))

    assert response.json()["status"] == "in_implementation"
    [event] = await published(wg, 1)
    assert event.data == ImplementationReturned(
        recommendation_id=recommendation_id, returned_by="chair@nalas", reasons=["The evaluation report is missing."]
    )


async def test_returning_an_implementation_without_reasons_is_a_422(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = await recommendation_in(wg, S.IMPLEMENTED)

    response = await post(
        wg, f"/recommendations/{recommendation_id}/verification", {"outcome": "return"}, nalas(tokens)
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "returning an implementation needs at least one reason"


TOO_MANY = [f"point {n}" for n in range(COMMENTS_MAX + 1)]
TOO_LONG = ["x" * (COMMENT_MAX_LENGTH + 1)]


@pytest.mark.parametrize(
    ("status", "command", "body"),
    [
        (S.UNDER_REVIEW, "decision", {"decision": "request_changes", "comments": TOO_MANY}),
        (S.UNDER_REVIEW, "decision", {"decision": "request_changes", "comments": TOO_LONG}),
        (S.IMPLEMENTED, "verification", {"outcome": "return", "reasons": TOO_MANY}),
        (S.IMPLEMENTED, "verification", {"outcome": "return", "reasons": TOO_LONG}),
    ],
)
async def test_comments_and_reasons_beyond_what_the_lifecycle_carries_are_a_422(
    wg: ServiceUnderTest, tokens: Tokens, status: RecommendationStatus, command: str, body: dict[str, object]
) -> None:
    recommendation_id = await recommendation_in(wg, status)

    response = await post(wg, f"/recommendations/{recommendation_id}/{command}", body, nalas(tokens))

    assert response.status_code == 422, response.text


@pytest.mark.parametrize("status", [S.UNDER_REVIEW, S.IN_IMPLEMENTATION, S.VERIFIED])
async def test_verification_needs_an_implemented_recommendation(
    wg: ServiceUnderTest, tokens: Tokens, status: RecommendationStatus
) -> None:
    recommendation_id = await recommendation_in(wg, status)

    response = await post(
        wg, f"/recommendations/{recommendation_id}/verification", {"outcome": "verify"}, nalas(tokens)
    )

    assert response.status_code == 409
    assert response.json()["detail"] == f"cannot verify a recommendation that is {status.value}; it must be implemented"


async def test_a_decision_the_lifecycle_refuses_gives_the_recommendation_back_its_real_status(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    recommendation_id = await recommendation_in(wg, S.UNDER_REVIEW)
    await post(wg, f"/recommendations/{recommendation_id}/decision", {"decision": "endorse"}, nalas(tokens))
    [endorsed] = await published(wg, 1)
    refused = TransitionRejected(
        recommendation_id=recommendation_id,
        status=S.WITHDRAWN,
        rejected_event_id=endorsed.id,
        rejected_event_type=endorsed.type,
        reason="withdrawn before the decision arrived",
    )
    await wg.deliver(
        LIFECYCLE, new_event(refused, subject=str(recommendation_id), actor=WORKFLOW, source="lifecycle").to_json()
    )

    response = await wg.http.get(f"{PREFIX}/recommendations/{recommendation_id}", headers=nalas(tokens))

    assert response.json()["status"] == "withdrawn"
