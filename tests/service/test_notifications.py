"""Notifications: each lifecycle event reaches exactly the people concerned, in their language, once."""

import email
import email.policy
import mailbox
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlmodel import select

from contracts.envelope import Envelope, Role
from contracts.languages import Language
from contracts.lifecycle import (
    DraftIdle,
    MilestoneClock,
    MilestoneDueSoon,
    MilestoneEscalated,
    MilestoneOverdue,
    MilestonesPlanned,
    RecommendationStatus,
    ReviewOverdue,
)
from contracts.roadmaps import PlannedMilestone
from contracts.social_approaches import MilestoneProgress, MilestoneReported
from contracts.topics import LIFECYCLE, SOCIAL_APPROACHES, WORKING_GROUP
from contracts.working_group import ChangesRequested
from services.notifications.catalogue import render
from services.notifications.demo import load_demo
from services.notifications.handlers import on_event
from services.notifications.models import Notice
from services.notifications.sender import Sender
from sori.db import Database
from sori.settings import Settings
from tests.polling import eventually
from tests.support.notifications import (
    ASSIGNED_LG,
    ASSOCIATION,
    OTHER_ASSOCIATION,
    OTHER_LG,
    PREFIX,
    lifecycle,
    mails,
    register,
    status_changed,
)
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


def planned(rec: UUID, *local_governments: str) -> Envelope:
    milestones = [
        PlannedMilestone(milestone_id=uuid4(), title="Mapping", due_date=date(2027, 3, 1), local_government=lg)
        for lg in local_governments
    ]
    return lifecycle(MilestonesPlanned(recommendation_id=rec, association=ASSOCIATION, milestones=milestones), rec)


def clock(kind: type[MilestoneClock], rec: UUID) -> Envelope:
    payload = kind(
        recommendation_id=rec,
        milestone_id=uuid4(),
        association=ASSOCIATION,
        local_government=ASSIGNED_LG,
        title="Social mapping done",
        due_date=date(2027, 3, 1),
    )
    return lifecycle(payload, rec)


def review_overdue(rec: UUID) -> Envelope:
    now = datetime.now(UTC)
    payload = ReviewOverdue(recommendation_id=rec, association=ASSOCIATION, submitted_at=now, due_at=now)
    return lifecycle(payload, rec)


async def inbox(service: ServiceUnderTest, tokens: Tokens, sub: str, org: str, role: Role) -> dict[str, Any]:
    response = await service.http.get(f"{PREFIX}/inbox", headers=tokens.header(role, org, sub))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def maildir_messages(home: Path) -> list[EmailMessage]:
    path = home / "mail"
    if not path.exists():
        return []
    return [
        email.message_from_bytes(m.as_bytes(), policy=email.policy.default) for m in mailbox.Maildir(path, create=False)
    ]


PEOPLE = {
    "nalas": ("nalas-secretariat", "NALAS", Role.NALAS, Language.ENGLISH),
    "lga": ("zels-officer", ASSOCIATION, Role.LGA, Language.MACEDONIAN),
    "assigned lg": ("kavadarci-officer", ASSIGNED_LG, Role.LG, Language.ALBANIAN),
    "other lg": ("struga-officer", OTHER_LG, Role.LG, Language.SERBIAN_CYRILLIC),
    "other lga": ("akm-officer", OTHER_ASSOCIATION, Role.LGA, Language.CROATIAN),
}

# event → (notice kind, who hears of it)
WHO_HEARS: dict[str, tuple[str | None, set[str]]] = {
    "submitted": (None, set()),
    "withdrawn": (None, set()),
    "draft idle": ("draft_idle", {"lga"}),
    "milestones planned": ("milestones_assigned", {"assigned lg"}),
    "returned": ("returned", {"lga", "assigned lg"}),
    "changes requested": ("changes_requested", {"lga"}),
    "endorsed": ("endorsed", {"lga", "assigned lg", "nalas"}),
    "rejected": ("rejected", {"lga", "assigned lg", "nalas"}),
    "implemented": ("implemented", {"lga", "assigned lg", "nalas"}),
    "verified": ("verified", {"lga", "assigned lg", "nalas"}),
    "milestone due soon": ("milestone_due_soon", {"lga", "assigned lg"}),
    "milestone overdue": ("milestone_overdue", {"lga", "assigned lg"}),
    "milestone escalated": ("milestone_escalated", {"lga", "nalas"}),
    "review overdue": ("review_overdue", {"nalas"}),
}


async def notice_ids(service: ServiceUnderTest, tokens: Tokens, who: str) -> set[str]:
    sub, org, role, _ = PEOPLE[who]
    return {n["id"] for n in (await inbox(service, tokens, sub, org, role))["notices"]}


def event_for(name: str, rec: UUID) -> Envelope:
    if name == "returned":
        return status_changed(rec, RecommendationStatus.IN_IMPLEMENTATION, came_from=RecommendationStatus.IMPLEMENTED)
    if name == "milestones planned":
        return planned(rec, ASSIGNED_LG)
    if name == "draft idle":
        payload = DraftIdle(recommendation_id=rec, association=ASSOCIATION, idle_since=datetime.now(UTC))
        return lifecycle(payload, rec)
    statuses = {
        "submitted": RecommendationStatus.SUBMITTED,
        "withdrawn": RecommendationStatus.WITHDRAWN,
        "changes requested": RecommendationStatus.CHANGES_REQUESTED,
        "endorsed": RecommendationStatus.ENDORSED,
        "rejected": RecommendationStatus.REJECTED,
        "implemented": RecommendationStatus.IMPLEMENTED,
        "verified": RecommendationStatus.VERIFIED,
    }
    if name in statuses:
        return status_changed(rec, statuses[name])
    clocks: dict[str, type[MilestoneClock]] = {
        "milestone due soon": MilestoneDueSoon,
        "milestone overdue": MilestoneOverdue,
        "milestone escalated": MilestoneEscalated,
    }
    if name in clocks:
        return clock(clocks[name], rec)
    return review_overdue(rec)


@pytest.mark.parametrize("event_name", list(WHO_HEARS))
async def test_each_event_reaches_exactly_the_people_concerned_in_their_language(
    notifications: ServiceUnderTest, tokens: Tokens, event_name: str
) -> None:
    for sub, org, role, language in PEOPLE.values():
        await register(notifications, tokens, sub, org, role, language)
    rec = uuid4()
    await notifications.deliver(LIFECYCLE, planned(rec, ASSIGNED_LG).to_json())  # so the LG is assigned
    before = {who: await notice_ids(notifications, tokens, who) for who in PEOPLE}
    event = event_for(event_name, rec)
    await notifications.deliver(LIFECYCLE, event.to_json())

    kind, hearers = WHO_HEARS[event_name]
    for who, (sub, org, role, language) in PEOPLE.items():
        box = await inbox(notifications, tokens, sub, org, role)
        new = [n for n in box["notices"] if n["id"] not in before[who]]
        if who not in hearers:
            assert new == [], who
            continue
        [notice] = new
        assert notice["read_at"] is None
        assert notice["kind"] == kind
        assert notice["language"] == language.value
        assert notice["event_type"] == event.type
        assert notice["subject"].startswith(render(f"{kind}.subject", language, {})[:8])
        assert "{" not in notice["subject"] + notice["body"]


ASKED = ("Add a budget line per {association}.", "Name the households\nby municipality.")


@pytest.mark.parametrize(
    ("came_from", "to", "heading"),
    [
        (RecommendationStatus.UNDER_REVIEW, RecommendationStatus.CHANGES_REQUESTED, "changes_requested.comments"),
        (RecommendationStatus.IMPLEMENTED, RecommendationStatus.IN_IMPLEMENTATION, "returned.comments"),
    ],
)
async def test_the_notice_and_the_mail_say_what_the_working_group_wrote_in_the_persons_language(
    notifications: ServiceUnderTest,
    tokens: Tokens,
    settings: Settings,
    came_from: RecommendationStatus,
    to: RecommendationStatus,
    heading: str,
) -> None:
    await register(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA, Language.MACEDONIAN, "email")
    rec = uuid4()
    await notifications.deliver(LIFECYCLE, status_changed(rec, to, came_from=came_from, comments=ASKED).to_json())

    [notice] = (await inbox(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA))["notices"]
    said = f"{render(heading, Language.MACEDONIAN, {})}\n• {ASKED[0]}\n• Name the households\n  by municipality."
    assert render(heading, Language.MACEDONIAN, {}) != render(heading, Language.ENGLISH, {})
    assert notice["body"].endswith(f"\n\n{said}")
    db: Database = notifications.app.state.db
    await eventually(lambda: _sent(db), until=lambda sent: sent == 1)
    [mail] = maildir_messages(settings.home)
    assert said in mail.get_content()


async def test_a_notice_is_read_once_and_only_by_its_person(notifications: ServiceUnderTest, tokens: Tokens) -> None:
    await register(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA)
    await register(notifications, tokens, "zels-colleague", ASSOCIATION, Role.LGA)
    rec = uuid4()
    await notifications.deliver(LIFECYCLE, status_changed(rec, RecommendationStatus.CHANGES_REQUESTED).to_json())
    await notifications.deliver(LIFECYCLE, status_changed(rec, RecommendationStatus.REJECTED).to_json())
    box = await inbox(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA)
    assert box["unread"] == 2
    assert [n["kind"] for n in box["notices"]] == ["rejected", "changes_requested"]  # newest first
    newest = box["notices"][0]["id"]

    colleague = tokens.header(Role.LGA, ASSOCIATION, "zels-colleague")
    response = await notifications.http.post(f"{PREFIX}/inbox/{newest}/read", headers=colleague)
    assert response.status_code == 403
    assert "zels-officer" in response.json()["detail"]

    mine = tokens.header(Role.LGA, ASSOCIATION, "zels-officer")
    for _ in range(2):
        response = await notifications.http.post(f"{PREFIX}/inbox/{newest}/read", headers=mine)
        assert response.status_code == 200, response.text
        assert response.json()["read_at"] is not None
    assert (await inbox(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA))["unread"] == 1
    response = await notifications.http.post(f"{PREFIX}/inbox/{uuid4()}/read", headers=mine)
    assert response.status_code == 404


async def test_a_person_changes_their_own_preferences(notifications: ServiceUnderTest, tokens: Tokens) -> None:
    await register(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA)
    mine = tokens.header(Role.LGA, ASSOCIATION, "zels-officer")
    preferences = {"language": "sr-Cyrl", "channel": "email", "frequency": "daily"}
    response = await notifications.http.put(f"{PREFIX}/people/me/preferences", json=preferences, headers=mine)
    assert response.status_code == 200, response.text
    assert {k: response.json()[k] for k in preferences} == preferences
    response = await notifications.http.put(f"{PREFIX}/people/me/preferences", json={"language": "xx"}, headers=mine)
    assert response.status_code == 422
    stranger = tokens.header(Role.LGA, ASSOCIATION, "not-registered")
    response = await notifications.http.put(f"{PREFIX}/people/me/preferences", json=preferences, headers=stranger)
    assert response.status_code == 404

    rec = uuid4()
    await notifications.deliver(LIFECYCLE, status_changed(rec, RecommendationStatus.CHANGES_REQUESTED).to_json())
    [notice] = (await inbox(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA))["notices"]
    assert notice["subject"].startswith("Затражене измене")


async def test_redelivered_and_reprocessed_events_send_nothing_twice(
    notifications: ServiceUnderTest, tokens: Tokens, settings: Settings
) -> None:
    await register(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA, channel="email")
    event = status_changed(uuid4(), RecommendationStatus.CHANGES_REQUESTED)
    for _ in range(3):
        await notifications.deliver(LIFECYCLE, event.to_json())
    # A consumer that lost its inbox row (restarted before it was recorded) runs the handler again: still once.
    db: Database = notifications.app.state.db
    for _ in range(2):
        async with db.transaction() as session:
            await on_event(session, event)

    await eventually(lambda: _sent(db), until=lambda sent: sent == 1)
    sender: Sender = notifications.app.state.sender
    await sender.send_pending_mail(datetime.now(UTC) + timedelta(days=1))
    messages = maildir_messages(settings.home)
    assert len(messages) == 1
    assert messages[0]["To"] == "zels-officer@example.org"
    assert messages[0]["Subject"].startswith("Changes requested for recommendation")
    async with db.reading() as session:
        assert len(list((await session.execute(select(Notice))).scalars())) == 1


async def _sent(db: Database) -> int:
    return sum(1 for m in await mails(db) if m.sent_at is not None)


async def test_a_daily_digest_gathers_a_days_notices_into_one_mail(
    notifications: ServiceUnderTest, tokens: Tokens, settings: Settings
) -> None:
    await register(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA, Language.ALBANIAN, "email", "daily")
    await register(notifications, tokens, "zels-colleague", ASSOCIATION, Role.LGA, channel="email")
    today = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    tomorrow = today + timedelta(days=1)
    rec = uuid4()
    events = [
        status_changed(rec, RecommendationStatus.CHANGES_REQUESTED, today),
        status_changed(rec, RecommendationStatus.ENDORSED, today + timedelta(hours=2)),
        clock(MilestoneDueSoon, rec),
        status_changed(rec, RecommendationStatus.IMPLEMENTED, tomorrow),  # belongs to tomorrow's digest
    ]
    for event in events:
        await notifications.deliver(LIFECYCLE, event.to_json())
    db: Database = notifications.app.state.db
    # The colleague hears of each at once; the digest waits for the day to end.
    await eventually(lambda: _sent(db), until=lambda sent: sent == 4)

    sender: Sender = notifications.app.state.sender
    assert await sender.send_digests(tomorrow + timedelta(hours=6)) == 1
    assert await sender.send_digests(tomorrow + timedelta(hours=7)) == 0
    await eventually(lambda: _sent(db), until=lambda sent: sent == 5)
    digests = [m for m in maildir_messages(settings.home) if m["To"] == "zels-officer@example.org"]
    assert len(digests) == 1
    [digest] = digests
    day = today.date().isoformat()
    assert digest["Subject"] == render("digest.subject", Language.ALBANIAN, {"day": day})
    text = digest.get_content()
    assert text.count("•") == 3
    assert render("changes_requested.subject", Language.ALBANIAN, {"recommendation": str(rec)[:8]}) in text
    assert "u zbatua" not in text  # tomorrow's "implemented" waits for tomorrow's digest
    box = await inbox(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA)
    assert box["unread"] == 4  # the inbox has every notice at once, whatever the mail frequency


async def test_a_digest_quotes_what_the_working_group_wrote_inside_its_notice(
    notifications: ServiceUnderTest, tokens: Tokens, settings: Settings
) -> None:
    await register(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA, Language.CROATIAN, "email", "daily")
    yesterday = datetime.now(UTC) - timedelta(days=1)
    requested = status_changed(uuid4(), RecommendationStatus.CHANGES_REQUESTED, yesterday, comments=ASKED)
    await notifications.deliver(LIFECYCLE, requested.to_json())

    sender: Sender = notifications.app.state.sender
    assert await sender.send_digests(datetime.now(UTC)) == 1
    db: Database = notifications.app.state.db
    await eventually(lambda: _sent(db), until=lambda sent: sent == 1)
    [digest] = maildir_messages(settings.home)
    text = digest.get_content()
    heading = render("changes_requested.comments", Language.CROATIAN, {})
    assert f"\n  {heading}\n  • {ASKED[0]}\n  • Name the households\n    by municipality." in text
    assert text.count("\n•") == 1  # the notice's own point; its words are points inside it


async def test_registering_a_person_checks_the_input(notifications: ServiceUnderTest, tokens: Tokens) -> None:
    nalas = tokens.header(Role.NALAS, "NALAS")
    person = {"sub": "a@zels", "name": "A", "email": "a@zels.example", "organisation": "ZELS", "role": "lga"}
    assert (await notifications.http.post(f"{PREFIX}/people", json=person, headers=nalas)).status_code == 201
    again = await notifications.http.post(f"{PREFIX}/people", json=person, headers=nalas)
    assert again.status_code == 409
    assert "already registered" in again.json()["detail"]
    for bad in ({"email": "not-an-address"}, {"language": "de"}, {"channel": "sms"}, {"frequency": "weekly"}):
        response = await notifications.http.post(f"{PREFIX}/people", json=person | {"sub": "b"} | bad, headers=nalas)
        assert response.status_code == 422, bad
    listed = await notifications.http.get(f"{PREFIX}/people?organisation=ZELS", headers=nalas)
    assert [p["sub"] for p in listed.json()] == ["a@zels"]


async def test_producers_facts_reach_people_only_through_the_lifecycle(
    notifications: ServiceUnderTest, tokens: Tokens
) -> None:
    for sub, org, role, language in PEOPLE.values():
        await register(notifications, tokens, sub, org, role, language)
    rec = uuid4()
    await notifications.deliver(LIFECYCLE, planned(rec, ASSIGNED_LG).to_json())
    before = {who: await notice_ids(notifications, tokens, who) for who in PEOPLE}
    decision = ChangesRequested(recommendation_id=rec, version=1, decided_by="chair@nalas", comments=["Name them"])
    report = MilestoneReported(
        recommendation_id=rec,
        milestone_id=uuid4(),
        report_id=uuid4(),
        local_government=ASSIGNED_LG,
        status=MilestoneProgress.ON_TRACK,
    )
    for topic, payload in ((WORKING_GROUP, decision), (SOCIAL_APPROACHES, report)):
        await notifications.deliver(topic, lifecycle(payload, rec).to_json())
    assert {who: await notice_ids(notifications, tokens, who) for who in PEOPLE} == before

    # The lifecycle applied the decision: now the association hears of it, once.
    await notifications.deliver(LIFECYCLE, status_changed(rec, RecommendationStatus.CHANGES_REQUESTED).to_json())
    after = {who: await notice_ids(notifications, tokens, who) - before[who] for who in PEOPLE}
    assert {who: len(ids) for who, ids in after.items()} == {who: int(who == "lga") for who in PEOPLE}


async def test_the_demo_registers_the_people_of_the_demo_tokens_to_hear_by_mail(
    notifications: ServiceUnderTest, tokens: Tokens
) -> None:
    notifications.http.headers.update(tokens.header(Role.NALAS, "NALAS"))

    summary = await load_demo(notifications.http)

    people = (await notifications.http.get(f"{PREFIX}/people")).json()
    assert {(p["sub"], p["organisation"], p["role"]) for p in people} == {
        ("demo-nalas", "NALAS", "nalas"),
        ("demo-lga", "ZELS", "lga"),
        ("demo-lg", "MK-KUMANOVO", "lg"),
    }
    assert all(p["channel"] == "email" and p["frequency"] == "immediate" for p in people)
    assert summary.startswith("3 demo people to be notified")
