"""The sender wakes on commits and on due retries, not by polling; one row that cannot go holds up no other; a local
run shows its maildir to nalas."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from contracts.envelope import Role
from contracts.languages import Language
from contracts.lifecycle import RecommendationStatus
from contracts.topics import LIFECYCLE
from services.notifications.models import Delivery, DeliveryStatus, Mail, Webhook
from services.notifications.sender import Sender
from services.notifications.signatures import new_secret
from services.notifications.store import DUE_NOW
from sori.db import Database, note_written
from tests.polling import eventually
from tests.support.notifications import ASSOCIATION, PREFIX, SmtpServer, register, status_changed
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

IN_AN_HOUR = datetime.now(UTC) + timedelta(hours=1)


async def test_with_nothing_waiting_the_sender_sleeps_for_the_fallback_poll(notifications: ServiceUnderTest) -> None:
    sender: Sender = notifications.app.state.sender
    assert sender.settings.poll_seconds == 3600
    assert await sender.next_due() is None
    assert await sender.idle_seconds() == 3600


async def test_the_sender_sleeps_until_the_earliest_retry_of_a_mail_or_an_enabled_webhook(
    notifications: ServiceUnderTest,
) -> None:
    sender: Sender = notifications.app.state.sender
    db: Database = notifications.app.state.db
    now = datetime.now(UTC)
    paused = Webhook(url="http://127.0.0.1:9/", event_types=["*"], secret="s", enabled=False)
    async with db.transaction() as session:
        session.add(paused)
        session.add(_delivery(paused.id, now + timedelta(seconds=60)))  # a paused webhook's wait does not count
        session.add(Mail(id=uuid4(), person_id=uuid4(), recipient="a@b.c", subject="s", body="b"))
        # As the service's own writers of due mail do: only a commit that says so wakes the sender.
        note_written(session, DUE_NOW)
    await eventually(sender.next_due, until=lambda due: due is None)  # the mail went; nothing else is due
    async with db.transaction() as session:
        session.add(_mail(now + timedelta(seconds=600)))
        session.add(_mail(now + timedelta(seconds=300)))
    assert await sender.next_due() == now + timedelta(seconds=300)
    assert 299 <= await sender.idle_seconds(now + timedelta(seconds=1)) <= 300
    assert await sender.idle_seconds(now + timedelta(seconds=301)) == 0


def _mail(due: datetime) -> Mail:
    return Mail(id=uuid4(), person_id=uuid4(), recipient="a@b.c", subject="s", body="b", next_attempt_at=due)


def _delivery(webhook_id: Any, due: datetime) -> Delivery:
    return Delivery(
        id=uuid4(),
        webhook_id=webhook_id,
        event_id=uuid4(),
        event_type="t",
        body=b"{}",
        status=DeliveryStatus.PENDING,
        next_attempt_at=due,
    )


async def test_nalas_reads_the_local_maildir_newest_first(notifications: ServiceUnderTest, tokens: Tokens) -> None:
    await register(notifications, tokens, "zels-officer", ASSOCIATION, Role.LGA, Language.MACEDONIAN, "email")
    await register(notifications, tokens, "nalas-secretariat", "NALAS", Role.NALAS, channel="email")
    rec = uuid4()
    await notifications.deliver(LIFECYCLE, status_changed(rec, RecommendationStatus.CHANGES_REQUESTED).to_json())
    await notifications.deliver(LIFECYCLE, status_changed(rec, RecommendationStatus.REJECTED).to_json())
    nalas = tokens.header(Role.NALAS, "NALAS")

    async def local_mail(query: str = "") -> Any:
        response = await notifications.http.get(f"{PREFIX}/mail{query}", headers=nalas)
        assert response.status_code == 200, response.text
        return response.json()

    mails = await eventually(local_mail, until=lambda got: len(got) == 3)
    assert sorted(m["to"] for m in mails) == ["nalas-secretariat@example.org"] + ["zels-officer@example.org"] * 2
    mine = await local_mail("?to=ZELS-officer@example.org&limit=1")
    assert len(mine) == 1
    [newest] = mine
    assert newest["subject"].startswith("Препораката")  # rejected, in Macedonian
    assert "ZELS" in newest["body"]
    assert newest["mail_id"]
    assert newest["key"]
    assert newest["date"]
    assert newest == next(m for m in mails if m["to"] == "zels-officer@example.org")

    refused = await notifications.http.get(f"{PREFIX}/mail", headers=tokens.header(Role.LGA, ASSOCIATION))
    assert refused.status_code == 403


async def test_with_an_smtp_server_there_is_no_local_maildir_to_show(
    notifications_over_smtp: ServiceUnderTest, tokens: Tokens
) -> None:
    response = await notifications_over_smtp.http.get(f"{PREFIX}/mail", headers=tokens.header(Role.NALAS, "NALAS"))
    assert response.status_code == 404
    assert "SMTP_URL" in response.json()["detail"]


async def test_a_mail_that_cannot_be_composed_is_abandoned_and_holds_up_nothing(
    notifications_over_smtp: ServiceUnderTest, smtp: SmtpServer, receiver_factory: Any
) -> None:
    smtp.start()
    receiver, url = receiver_factory(failures=0)
    db: Database = notifications_over_smtp.app.state.db
    # Due in an hour, so that only the rounds this test runs see them, not the sender's own.
    poisoned = _mail(IN_AN_HOUR)
    poisoned.subject = "Milestone due soon: Unit opens\r\nBcc: everyone@elsewhere.example"  # a header refuses CR/LF
    good = [_mail(IN_AN_HOUR + timedelta(seconds=s)) for s in (1, 2)]
    hook = Webhook(url=url, event_types=["*"], secret=new_secret())
    receiver.secret = hook.secret
    async with db.transaction() as session:
        session.add_all([poisoned, *good, hook, _delivery(hook.id, IN_AN_HOUR)])
    sender: Sender = notifications_over_smtp.app.state.sender

    await sender.run_once(IN_AN_HOUR + timedelta(seconds=3))

    assert sorted(m["X-Sori-Mail-Id"] for m in await smtp.received()) == sorted(str(m.id) for m in good)
    assert len(await receiver.got()) == 1
    stored = await _stored(db, poisoned.id)
    assert stored.sent_at is None
    assert stored.abandoned_at is not None
    assert stored.last_error
    assert stored.last_error.startswith("cannot be composed: Header values may not contain linefeed")
    await sender.run_once(IN_AN_HOUR + timedelta(hours=1))  # long after a lease would have run out
    assert (await _stored(db, poisoned.id)).attempts == 1
    assert len(await smtp.received()) == 2
    assert await sender.next_due() is None


async def _stored(db: Database, mail_id: UUID) -> Mail:
    async with db.reading() as session:
        mail = await session.get(Mail, mail_id)
    assert mail is not None
    return mail
