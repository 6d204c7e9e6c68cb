"""What mail and webhook sending share: claiming a row before it goes, and when to try again after a failure."""

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import update
from sqlmodel import col

from services.notifications import domain
from services.notifications.mailer import NotificationSettings
from services.notifications.models import Delivery, Mail
from sori.db import Database

BATCH = 50
LEASE = timedelta(minutes=5)
# What a transaction notes (sori.db.note_written) when it makes mail or a webhook delivery due now: the sender wakes.
DUE_NOW = "mail or webhook deliveries due now"


async def claim(db: Database, table: type[Mail] | type[Delivery], row_id: UUID, attempts: int, now: datetime) -> bool:
    """Take a row by bumping its attempt count, so two replicas never both take it; False when another did."""
    async with db.transaction() as session:
        result = await session.execute(
            update(table)
            .where(col(table.id) == row_id, col(table.attempts) == attempts)
            .values(attempts=attempts + 1, next_attempt_at=now + LEASE)
        )
        return bool(getattr(result, "rowcount", 0) == 1)


def retry_at(settings: NotificationSettings, now: datetime, attempts: int) -> datetime:
    return domain.next_attempt(now, attempts, settings.retry_seconds, settings.max_retry_seconds)
