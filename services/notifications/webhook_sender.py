"""Signed webhook deliveries: POST each due delivery to its receiver, log the answer, disable after many failures.

Each delivery goes to the address its name resolved to and was checked at (destinations.py); redirects are not
followed, so a receiver cannot send it on to an address that was never checked.
"""

import time
from datetime import UTC, datetime

import httpx
import structlog
from sqlalchemy import update
from sqlmodel import col, select

from services.notifications.destinations import DestinationRefused, checked_address, pinned
from services.notifications.mailer import NotificationSettings
from services.notifications.models import Delivery, DeliveryStatus, Webhook
from services.notifications.outgoing import BATCH, claim, retry_at
from services.notifications.verify import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from sori.db import Database

log = structlog.get_logger()


class WebhookSender:
    def __init__(self, db: Database, settings: NotificationSettings) -> None:
        self.db = db
        self.settings = settings

    async def deliver_due(self, now: datetime | None = None) -> int:
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
        if not due:  # the sender runs on every commit: a client (and its TLS context) only when there is work
            return 0
        delivered = 0
        # No connection is kept for the next delivery: the pool knows connections by address alone, and one opened
        # (and its certificate checked) for one receiver's name must not carry another's request.
        no_reuse = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=self.settings.webhook_timeout_seconds, limits=no_reuse) as client:
            for delivery, hook in due:
                if not await claim(self.db, Delivery, delivery.id, delivery.attempts, now):
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
        code, error = await self._post(client, hook.url, body, headers)
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
                    next_attempt_at=retry_at(self.settings, now, delivery.attempts + 1),
                    last_status_code=code,
                    last_error=error,
                )
            )
            await session.execute(
                update(Webhook)
                .where(col(Webhook.id) == hook.id)
                .values(consecutive_failures=col(Webhook.consecutive_failures) + 1)
            )
            stored = await session.get(Webhook, hook.id, populate_existing=True)
            failures = stored.consecutive_failures if stored else 0  # 0: unsubscribed meanwhile
            if failures >= self.settings.webhook_max_failures:
                reason = f"disabled after {failures} consecutive failed deliveries (last: {error})"
                await session.execute(
                    update(Webhook).where(col(Webhook.id) == hook.id).values(enabled=False, disabled_reason=reason)
                )
                log.warning("webhook disabled", webhook=str(hook.id), reason=reason)
        return False

    async def _post(
        self, client: httpx.AsyncClient, receiver: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int | None, str | None]:
        """The receiver's status code and what went wrong, if anything; whatever fails stays with this delivery."""
        try:
            url = httpx.URL(receiver)
            address = await checked_address(url, self.settings.webhook_allow_private)
            target, host, extensions = pinned(url, address)
            response = await client.post(target, content=body, headers=headers | host, extensions=extensions)
        except Exception as exc:
            return None, str(exc)[:500] if isinstance(exc, DestinationRefused) else repr(exc)[:500]
        if not response.is_success:
            return response.status_code, f"receiver answered {response.status_code}"
        return response.status_code, None
