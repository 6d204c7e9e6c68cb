"""The background sender: mails from the table of mails, daily digests, and (webhook_sender.py) signed deliveries.

Every row is claimed (store.claim) before it goes, marked done only after the SMTP server or the receiver took it,
and otherwise retried later with exponential backoff: a server that is down loses nothing, and a mail taken once
is not sent again. Each row goes on its own: a mail that can never go (it cannot be composed) is abandoned with the
reason, and what fails for one row holds up neither the others nor the digests and webhook deliveries.

The sender sleeps until a commit of this service wakes it (a consumed event may have queued mail or deliveries),
until the earliest retry is due, or at the latest for the slow fallback poll (`SORI_NOTIFY_POLL_SECONDS`), which
also starts the day's digests soon after midnight.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from itertools import groupby
from textwrap import indent

import structlog

from contracts.languages import Language
from services.notifications import domain, store
from services.notifications.catalogue import render
from services.notifications.mailer import Mailer, compose
from services.notifications.models import Mail
from services.notifications.settings import NotificationSettings
from services.notifications.webhook_sender import WebhookSender
from sori.db import Database
from sori.moments import as_utc

log = structlog.get_logger()


class Sender:
    def __init__(self, db: Database, settings: NotificationSettings, mailer: Mailer | None = None) -> None:
        self.db = db
        self.settings = settings
        self.mailer = mailer or Mailer(settings)
        self.webhooks = WebhookSender(db, settings)
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def send_pending_mail(self, now: datetime | None = None) -> int:
        """Send the mails that are due; returns how many the server took."""
        now = now or datetime.now(UTC)
        async with self.db.reading() as session:
            due = await store.due_mails(session, now)
        sent = 0
        for mail in due:
            if not await store.claim(self.db, Mail, mail.id, mail.attempts, now):
                continue
            outcome = await self._send(mail)
            sent += outcome.get("sent_at") is not None
            async with self.db.transaction() as session:
                await store.record_mail(session, mail.id, outcome)
        return sent

    async def _send(self, mail: Mail) -> dict[str, object]:
        """Compose and hand over one mail; what to record of it: sent, to retry, or abandoned."""
        try:
            message = compose(self.settings.mail_from, mail.recipient, mail.subject, mail.body, mail.id)
        except Exception as exc:  # the row alone decides what compose makes of it: it would fail every time
            log.warning("mail cannot be composed; abandoned", mail=str(mail.id), error=repr(exc))
            return {"abandoned_at": datetime.now(UTC), "last_error": f"cannot be composed: {exc}"[:500]}
        try:
            await self.mailer.send(message)
        except Exception as exc:
            again = self.settings.retry_at(datetime.now(UTC), mail.attempts + 1)
            log.warning("mail not sent; retrying", mail=str(mail.id), error=repr(exc), retry_at=str(again))
            return {"next_attempt_at": again, "last_error": repr(exc)[:500]}
        return {"sent_at": datetime.now(UTC), "last_error": None}

    async def send_digests(self, now: datetime | None = None) -> int:
        """Gather the daily-digest notices of every day before `now`'s (UTC) into one mail per person and day.

        Returns how many digests were gathered; their mails are then sent like any other.
        """
        now = now or datetime.now(UTC)
        day_start = datetime(now.year, now.month, now.day, tzinfo=UTC)
        async with self.db.reading() as session:
            waiting = await store.awaiting_digest(session, day_start)
        gathered = 0
        for (person_id, day), group in groupby(waiting, key=lambda n: (n.person_id, as_utc(n.created_at).date())):
            notices = list(group)
            async with self.db.transaction() as session:
                person = await store.person_by_id(session, person_id)
                if person is None:
                    continue
                mail_id = domain.digest_id(person_id, f"{day.isoformat()}:{notices[0].id}")
                language = Language(person.language)
                params = {"day": day.isoformat()}
                body = "\n\n".join(
                    [render("digest.body", language, params)]
                    + [f"• {n.subject}\n{indent(n.body, '  ')}" for n in notices]
                )
                at = datetime.now(UTC)
                row = {
                    "id": mail_id,
                    "person_id": person_id,
                    "recipient": person.email,
                    "subject": render("digest.subject", language, params),
                    "body": body,
                    "created_at": at,
                    "attempts": 0,
                    "next_attempt_at": at,
                    "sent_at": None,
                    "last_error": None,
                }
                await store.add_digest(session, row, [n.id for n in notices])
            gathered += 1
        if gathered:
            await self.send_pending_mail()
        return gathered

    async def run_once(self, now: datetime | None = None) -> None:
        await self.send_pending_mail(now)
        await self.send_digests(now)
        await self.webhooks.deliver_due(now)

    async def next_due(self) -> datetime | None:
        """When the earliest unsent mail or pending delivery of an enabled webhook is due; None when none waits."""
        async with self.db.reading() as session:
            mail, delivery = await store.next_attempts(session)
        return min((as_utc(at) for at in (mail, delivery) if at is not None), default=None)

    async def idle_seconds(self, now: datetime | None = None) -> float:
        """How long to sleep unless woken: until the next retry, at most the fallback poll."""
        due = await self.next_due()
        if due is None:
            return self.settings.poll_seconds
        wait = (due - (now or datetime.now(UTC))).total_seconds()
        return min(max(wait, 0.0), self.settings.poll_seconds)

    async def run(self) -> None:
        while True:
            # Cleared before the round: a commit during it (an event consumed meanwhile) brings another round at once.
            self._wake.clear()
            try:
                await self.run_once()
                wait = await self.idle_seconds()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("notification sender failed a round; going on", error=repr(exc))
                wait = min(self.settings.retry_seconds, self.settings.poll_seconds)
            # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a cancel that comes as the wake does,
            # and then the sender would never stop.
            with suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self.run())
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
