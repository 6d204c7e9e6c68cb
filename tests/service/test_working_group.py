"""The working group keeps its members and meetings and learns its review queue from the lifecycle topic alone.

The story's helpers (a lifecycle fact, a recommendation in a state, a meeting) are in tests/support/working_group.py.
"""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from contracts.envelope import Role, new_event
from contracts.lifecycle import ReviewOverdue
from contracts.topics import LIFECYCLE
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens
from tests.support.working_group import (
    PREFIX,
    WORKFLOW,
    S,
    lifecycle_says,
    nalas,
    plan_meeting,
    post,
    recommendation_in,
    register_member,
)


async def queue(wg: ServiceUnderTest, tokens: Tokens) -> list[dict[str, Any]]:
    response = await wg.http.get(f"{PREFIX}/review-queue", headers=tokens.header(Role.OBSERVER, "NALAS"))
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()
    return entries


# Membership and meetings


async def test_nalas_registers_members_that_everyone_signed_in_can_read(wg: ServiceUnderTest, tokens: Tokens) -> None:
    await register_member(wg, tokens, "jana@zels")
    await register_member(wg, tokens, "goran@skgo", may_decide=False)

    response = await wg.http.get(f"{PREFIX}/members", headers=tokens.header(Role.LG, "KUMANOVO"))

    assert response.status_code == 200
    assert [(m["sub"], m["may_decide"]) for m in response.json()] == [("jana@zels", True), ("goran@skgo", False)]


async def test_registering_the_same_member_twice_is_a_conflict(wg: ServiceUnderTest, tokens: Tokens) -> None:
    await register_member(wg, tokens, "jana@zels")
    again = {"sub": "jana@zels", "name": "Jana", "association": "ZELS"}

    response = await post(wg, "/members", again, nalas(tokens))

    assert response.status_code == 409
    assert "jana@zels is already a registered member" in response.json()["detail"]


async def test_a_meeting_records_its_agenda_attendance_and_minutes(wg: ServiceUnderTest, tokens: Tokens) -> None:
    await register_member(wg, tokens, "jana@zels")
    await register_member(wg, tokens, "goran@skgo")
    recommendation_id = await recommendation_in(wg, S.SUBMITTED)
    meeting_id = await plan_meeting(wg, tokens, [recommendation_id])

    attendance = await wg.http.put(
        f"{PREFIX}/meetings/{meeting_id}/attendance", json={"present": ["goran@skgo"]}, headers=nalas(tokens)
    )
    minutes = await wg.http.put(
        f"{PREFIX}/meetings/{meeting_id}/minutes",
        json={"text": "Two recommendations discussed."},
        headers=nalas(tokens),
    )
    read = await wg.http.get(f"{PREFIX}/meetings/{meeting_id}", headers=tokens.header(Role.OBSERVER, "NALAS"))

    assert attendance.status_code == 200, attendance.text
    assert minutes.status_code == 200, minutes.text
    meeting = read.json()
    assert meeting["agenda"] == [str(recommendation_id)]
    assert meeting["attendance"] == ["goran@skgo"]
    assert meeting["minutes"] == "Two recommendations discussed."


async def test_attendance_of_someone_who_is_not_a_member_is_a_422(wg: ServiceUnderTest, tokens: Tokens) -> None:
    meeting_id = await plan_meeting(wg, tokens, [])

    response = await wg.http.put(
        f"{PREFIX}/meetings/{meeting_id}/attendance", json={"present": ["stranger@x"]}, headers=nalas(tokens)
    )

    assert response.status_code == 422
    assert "not registered working-group members: stranger@x" in response.json()["detail"]


async def test_an_agenda_naming_recommendations_the_lifecycle_never_told_of_is_refused_naming_them(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    known = await recommendation_in(wg, S.SUBMITTED)
    unknown = sorted([uuid4(), uuid4()], key=str)
    body = {"date": "2026-12-03", "title": "WG meeting", "agenda": [str(known), *map(str, unknown)]}

    response = await post(wg, "/meetings", body, nalas(tokens))

    assert response.status_code == 422, response.text
    assert response.json()["detail"] == (
        f"the lifecycle has told the working group of no recommendation {unknown[0]}, {unknown[1]}"
    )
    meetings = await wg.http.get(f"{PREFIX}/meetings", headers=nalas(tokens))
    assert meetings.json() == []


async def test_an_agenda_keeps_each_known_recommendation_once_in_the_order_given(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    first, second = await recommendation_in(wg, S.SUBMITTED), await recommendation_in(wg, S.UNDER_REVIEW)

    meeting_id = await plan_meeting(wg, tokens, [second, first, second])

    meeting = (await wg.http.get(f"{PREFIX}/meetings/{meeting_id}", headers=nalas(tokens))).json()
    assert meeting["agenda"] == [str(second), str(first)]


async def test_minutes_of_an_unknown_meeting_are_a_404(wg: ServiceUnderTest, tokens: Tokens) -> None:
    response = await wg.http.put(f"{PREFIX}/meetings/{uuid4()}/minutes", json={"text": "x"}, headers=nalas(tokens))

    assert response.status_code == 404
    assert "no meeting" in response.json()["detail"]


# The review queue, from the lifecycle topic


async def test_review_queue_lists_submitted_and_under_review_overdue_first_then_oldest(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    start = datetime.now(UTC) - timedelta(days=30)
    oldest, middle, newest, late, drafted, endorsed = (uuid4() for _ in range(6))
    await lifecycle_says(wg, oldest, S.SUBMITTED, at=start)
    await lifecycle_says(wg, middle, S.SUBMITTED, at=start + timedelta(days=1))
    await lifecycle_says(wg, middle, S.UNDER_REVIEW, at=start + timedelta(days=2))
    await lifecycle_says(wg, newest, S.SUBMITTED, at=start + timedelta(days=3))
    await lifecycle_says(wg, late, S.SUBMITTED, at=start + timedelta(days=5))
    await lifecycle_says(wg, drafted, S.DRAFTED, at=start)
    await lifecycle_says(wg, endorsed, S.ENDORSED, at=start)
    overdue = ReviewOverdue(
        recommendation_id=late, association="ZELS", submitted_at=start + timedelta(days=5), due_at=start
    )
    await wg.deliver(LIFECYCLE, new_event(overdue, subject=str(late), actor=WORKFLOW, source="lifecycle").to_json())

    entries = await queue(wg, tokens)

    assert [e["recommendation_id"] for e in entries] == [str(late), str(oldest), str(middle), str(newest)]
    assert [e["overdue"] for e in entries] == [True, False, False, False]
    assert [e["status"] for e in entries] == ["submitted", "submitted", "under_review", "submitted"]


async def test_the_queue_dates_a_submission_by_when_it_was_made_not_when_the_lifecycle_applied_it(
    wg: ServiceUnderTest, tokens: Tokens
) -> None:
    submitted = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=7)
    applied_after_an_outage = submitted + timedelta(hours=6)
    recommendation_id = uuid4()
    await lifecycle_says(wg, recommendation_id, S.SUBMITTED, at=applied_after_an_outage, cause_time=submitted)

    (entry,) = [e for e in await queue(wg, tokens) if e["recommendation_id"] == str(recommendation_id)]

    assert datetime.fromisoformat(entry["submitted_at"]) == submitted


async def test_an_older_lifecycle_fact_arriving_late_does_not_win(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = uuid4()
    now = datetime.now(UTC)
    await lifecycle_says(wg, recommendation_id, S.UNDER_REVIEW, at=now, version=2)
    await lifecycle_says(wg, recommendation_id, S.SUBMITTED, at=now - timedelta(hours=1), version=2)

    response = await wg.http.get(f"{PREFIX}/recommendations/{recommendation_id}", headers=nalas(tokens))

    assert response.json()["status"] == "under_review"
    assert response.json()["version"] == 2


async def test_a_resubmission_leaves_the_overdue_mark_behind(wg: ServiceUnderTest, tokens: Tokens) -> None:
    recommendation_id = uuid4()
    start = datetime.now(UTC) - timedelta(days=20)
    await lifecycle_says(wg, recommendation_id, S.SUBMITTED, at=start)
    overdue = ReviewOverdue(recommendation_id=recommendation_id, association="ZELS", submitted_at=start, due_at=start)
    event = new_event(overdue, subject=str(recommendation_id), actor=WORKFLOW, source="lifecycle")
    await wg.deliver(LIFECYCLE, event.to_json())
    assert (await queue(wg, tokens))[0]["overdue"] is True

    await lifecycle_says(wg, recommendation_id, S.SUBMITTED, version=2)

    assert (await queue(wg, tokens))[0]["overdue"] is False
    assert (await queue(wg, tokens))[0]["version"] == 2
