"""The background sender: mails from the table of mails, daily digests, and signed webhook deliveries.

Every row is claimed by bumping its attempt count (so two replicas never take the same one), marked done only
after the SMTP server or the receiver took it, and otherwise retried later with exponential backoff: a server
that is down loses nothing, and a mail taken once is not sent again.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta
from itertools import groupby
from uuid import UUID

import httpx
import structlog
from sqlalchemy import update
from sqlmodel import col, select

from contracts.languages import Language
from services.notifications import domain
from services.notifications.catalogue import render
from services.notifications.mailer import Mailer, NotificationSettings, compose
from services.notifications.models import Delivery, DeliveryStatus, Mail, Notice, Person, Webhook
from services.notifications.verify import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from sori.db import Database
from sori.moments import as_utc
from sori.upsert import dialect_of, insert_ignoring_duplicates

log = structlog.get_logger()
BATCH = 50
LEASE = timedelta(minutes=5)


class Sender:
    def __init__(self, db: Database, settings: NotificationSettings, mailer: Mailer | None = None) -> None:
        self.db = db
        self.settings = settings
        self.mailer = mailer or Mailer(settings)
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    def _retry_at(self, now: datetime, attempts: int) -> datetime:
        return domain.next_attempt(now, attempts, self.settings.retry_seconds, self.settings.max_retry_seconds)

    async def _claim(self, table: type[Mail] | type[Delivery], row_id: UUID, attempts: int, now: datetime) -> bool:
        async with self.db.transaction() as session:
            result = await session.execute(
                update(table)
                .where(col(table.id) == row_id, col(table.attempts) == attempts)
                .values(attempts=attempts + 1, next_attempt_at=now + LEASE)
            )
            return bool(getattr(result, "rowcount", 0) == 1)

    async def send_pending_mail(self, now: datetime | None = None) -> int:
        """Send the mails that are due; returns how many the server took."""
        now = now or datetime.now(UTC)
        async with self.db.reading() as session:
            due = list(
                (
                    await session.execute(
                        select(Mail)
                        .where(col(Mail.sent_at).is_(None), col(Mail.next_attempt_at) <= now)
                        .order_by(col(Mail.next_attempt_at))
                        .limit(BATCH)
                    )
                ).scalars()
            )
        sent = 0
        for mail in due:
            if not await self._claim(Mail, mail.id, mail.attempts, now):
                continue
            message = compose(self.settings.mail_from, mail.recipient, mail.subject, mail.body, mail.id)
            try:
                await self.mailer.send(message)
            except Exception as exc:
                retry_at = self._retry_at(datetime.now(UTC), mail.attempts + 1)
                log.warning("mail not sent; retrying", mail=str(mail.id), error=repr(exc), retry_at=str(retry_at))
                values: dict[str, object] = {"next_attempt_at": retry_at, "last_error": repr(exc)[:500]}
            else:
                sent += 1
                values = {"sent_at": datetime.now(UTC), "last_error": None}
            async with self.db.transaction() as session:
                await session.execute(update(Mail).where(col(Mail.id) == mail.id).values(**values))
        return sent

    async def send_digests(self, now: datetime | None = None) -> int:
        """Gather the daily-digest notices of every day before `now`'s (UTC) into one mail per person and day.

        Returns how many digests were gathered; their mails are then sent like any other.
        """
        now = now or datetime.now(UTC)
        day_start = datetime(now.year, now.month, now.day, tzinfo=UTC)
        async with self.db.reading() as session:
            waiting = list(
                (
                    await session.execute(
                        select(Notice)
                        .where(
                            col(Notice.awaits_digest),
                            col(Notice.digest_id).is_(None),
                            col(Notice.created_at) < day_start,
                        )
                        .order_by(col(Notice.person_id), col(Notice.created_at))
                    )
                ).scalars()
            )
        gathered = 0
        for (person_id, day), group in groupby(waiting, key=lambda n: (n.person_id, as_utc(n.created_at).date())):
            notices = list(group)
            async with self.db.transaction() as session:
                person = await session.get(Person, person_id)
                if person is None:
                    continue
                mail_id = domain.digest_id(person_id, f"{day.isoformat()}:{notices[0].id}")
                language = Language(person.language)
                params = {"day": day.isoformat()}
                body = "\n\n".join(
                    [render("digest.body", language, params)] + [f"• {n.subject}\n  {n.body}" for n in notices]
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
                await session.execute(insert_ignoring_duplicates(Mail.__table__, dialect_of(session), [row]))  # type: ignore[attr-defined]
                await session.execute(
                    update(Notice)
                    .where(col(Notice.id).in_([n.id for n in notices]), col(Notice.digest_id).is_(None))
                    .values(digest_id=mail_id)
                )
            gathered += 1
        if gathered:
            await self.send_pending_mail()
        return gathered

    async def deliver_webhooks(self, now: datetime | None = None) -> int:
        """POST the due deliveries of enabled webhooks, signed; returns how many receivers accepted."""
        now = now or datetime.now(UTC)
        async with self.db.reading() as session:
            due = list(
                (
                    await session.execute(
                        select(Delivery, Webhook)
                        .join(Webhook, col(Webhook.id) == col(Delivery.webhook_id))
                        .where(
                            col(Webhook.enabled),
                            col(Delivery.status) == DeliveryStatus.PENDING,
                            col(Delivery.next_attempt_at) <= now,
                        )
                        .order_by(col(Delivery.created_at))
                        .limit(BATCH)
                    )
                ).all()
            )
        delivered = 0
        async with httpx.AsyncClient(timeout=self.settings.webhook_timeout_seconds) as client:
            for delivery, hook in due:
                if not await self._claim(Delivery, delivery.id, delivery.attempts, now):
                    continue
                if await self._deliver(client, delivery, hook):
                    delivered += 1
        return delivered

    async def _deliver(self, client: httpx.AsyncClient, delivery: Delivery, hook: Webhook) -> bool:
        timestamp = str(int(time.time()))
        body = bytes(delivery.body)
        headers = {
            "content-type": "application/cloudevents+json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(hook.secret, timestamp, body),
            "X-Sori-Event-Id": str(delivery.event_id),
            "X-Sori-Event-Type": delivery.event_type,
            "X-Sori-Delivery-Id": str(delivery.id),
        }
        code: int | None = None
        error: str | None = None
        try:
            response = await client.post(hook.url, content=body, headers=headers)
            code = response.status_code
            if not response.is_success:
                error = f"receiver answered {code}"
        except httpx.HTTPError as exc:
            error = repr(exc)[:500]
        now = datetime.now(UTC)
        async with self.db.transaction() as session:
            if error is None:
                await session.execute(
                    update(Delivery)
                    .where(col(Delivery.id) == delivery.id)
                    .values(status=DeliveryStatus.DELIVERED, delivered_at=now, last_status_code=code, last_error=None)
                )
                await session.execute(update(Webhook).where(col(Webhook.id) == hook.id).values(consecutive_failures=0))
                return True
            await session.execute(
                update(Delivery)
                .where(col(Delivery.id) == delivery.id)
                .values(
                    next_attempt_at=self._retry_at(now, delivery.attempts + 1), last_status_code=code, last_error=error
                )
            )
            await session.execute(
                update(Webhook)
                .where(col(Webhook.id) == hook.id)
                .values(consecutive_failures=col(Webhook.consecutive_failures) + 1)
            )
            failures = (await session.get(Webhook, hook.id, populate_existing=True)).consecutive_failures  # type: ignore[union-attr]
            if failures >= self.settings.webhook_max_failures:
                reason = f"disabled after {failures} consecutive failed deliveries (last: {error})"
                await session.execute(
                    update(Webhook).where(col(Webhook.id) == hook.id).values(enabled=False, disabled_reason=reason)
                )
                log.warning("webhook disabled", webhook=str(hook.id), reason=reason)
        return False

    async def run_once(self, now: datetime | None = None) -> None:
        await self.send_pending_mail(now)
        await self.send_digests(now)
        await self.deliver_webhooks(now)

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("notification sender failed a round; going on", error=repr(exc))
            self._wake.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.poll_seconds)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self.run())
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
