"""Signed webhook deliveries: POST each due delivery to its receiver, log the answer, disable after many failures.

A delivery is the event's wire JSON, signed as Standard Webhooks has it (signatures.py).

Each delivery goes to the address its name resolved to and was checked at (destinations.py); redirects are not
followed, so a receiver cannot send it on to an address that was never checked.
"""

from datetime import UTC, datetime

import httpx
import structlog

from services.notifications import store
from services.notifications.destinations import DestinationRefused, checked_address, pinned
from services.notifications.models import Delivery, Webhook
from services.notifications.settings import NotificationSettings
from services.notifications.signatures import signed_headers
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
            due = await store.due_deliveries(session, now)
        if not due:  # the sender runs on every commit: a client (and its TLS context) only when there is work
            return 0
        delivered = 0
        # No connection is kept for the next delivery: the pool knows connections by address alone, and one opened
        # (and its certificate checked) for one receiver's name must not carry another's request.
        no_reuse = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=self.settings.webhook_timeout_seconds, limits=no_reuse) as client:
            for delivery, hook in due:
                if not await store.claim(self.db, Delivery, delivery.id, delivery.attempts, now):
                    continue
                if await self._deliver(client, delivery, hook):
                    delivered += 1
        return delivered

    async def _deliver(self, client: httpx.AsyncClient, delivery: Delivery, hook: Webhook) -> bool:
        body = bytes(delivery.body)
        headers = signed_headers(hook.secret, str(delivery.id), body) | {
            "content-type": "application/cloudevents+json",
            "X-Sori-Event-Id": str(delivery.event_id),
            "X-Sori-Event-Type": delivery.event_type,
        }
        code, error = await self._post(client, hook.url, body, headers)
        now = datetime.now(UTC)
        async with self.db.transaction() as session:
            if error is None:
                await store.record_delivered(session, delivery.id, hook.id, code, now)
                return True
            again = self.settings.retry_at(now, delivery.attempts + 1)
            failures = await store.record_failed(session, delivery.id, hook.id, code, error, again)
            if failures >= self.settings.webhook_max_failures:
                reason = f"disabled after {failures} consecutive failed deliveries (last: {error})"
                await store.disable_webhook(session, hook.id, reason)
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
