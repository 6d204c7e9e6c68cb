"""Reading and writing notifications' rows: people, notices, webhooks and their deliveries inside the caller's
transaction (a missing row is a 404 with its id), and the claim that takes a mail or delivery before it goes."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import and_, delete, func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from services.notifications.models import Delivery, DeliveryStatus, Mail, Notice, Person, Webhook
from sori.db import Database, note_written
from sori.errors import CommandRefused, RefusalKind
from sori.upsert import dialect_of, insert_ignoring_duplicates

BATCH = 50
LEASE = timedelta(minutes=5)
# What a transaction notes (sori.db.note_written) when it makes mail or a webhook delivery due now: the sender wakes.
DUE_NOW = "mail or webhook deliveries due now"
# The mails still to go: neither taken by the server nor abandoned.
UNSENT = and_(col(Mail.sent_at).is_(None), col(Mail.abandoned_at).is_(None))
# The deliveries still to go, of the webhooks that are enabled.
PENDING = and_(col(Webhook.enabled), col(Delivery.status) == DeliveryStatus.PENDING)


async def person(session: AsyncSession, sub: str) -> Person | None:
    """The person with this subject in their tokens; None when not registered for notifications."""
    return (await session.execute(select(Person).where(col(Person.sub) == sub))).scalars().first()


async def people(session: AsyncSession, organisation: str | None) -> list[Person]:
    """The people (of one organisation, if given), by organisation and name."""
    statement = select(Person).order_by(col(Person.organisation), col(Person.name))
    if organisation:
        statement = statement.where(col(Person.organisation) == organisation)
    return list((await session.execute(statement)).scalars())


async def notices(session: AsyncSession, person_id: UUID, *, unread_only: bool, limit: int) -> list[Notice]:
    """A person's notices, newest first."""
    statement = select(Notice).where(col(Notice.person_id) == person_id)
    if unread_only:
        statement = statement.where(col(Notice.read_at).is_(None))
    return list((await session.execute(statement.order_by(col(Notice.created_at).desc()).limit(limit))).scalars())


async def unread(session: AsyncSession, person_id: UUID) -> int:
    counted = await session.scalar(
        select(func.count()).where(col(Notice.person_id) == person_id, col(Notice.read_at).is_(None))
    )
    return int(counted or 0)


async def notice(session: AsyncSession, notice_id: UUID) -> Notice:
    found = await session.get(Notice, notice_id)
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no notice {notice_id}")
    return found


async def owner_of(session: AsyncSession, notice: Notice) -> Person | None:
    return await session.get(Person, notice.person_id)


async def webhook(session: AsyncSession, webhook_id: UUID) -> Webhook:
    found = await session.get(Webhook, webhook_id)
    if found is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"no webhook {webhook_id}")
    return found


async def webhooks(session: AsyncSession) -> list[Webhook]:
    """Every subscription, the oldest first."""
    return list((await session.execute(select(Webhook).order_by(col(Webhook.created_at)))).scalars())


async def release_pending(session: AsyncSession, webhook_id: UUID) -> None:
    """A webhook's pending deliveries are due now (and the sender is woken for them)."""
    await session.execute(
        update(Delivery)
        .where(col(Delivery.webhook_id) == webhook_id, col(Delivery.status) == DeliveryStatus.PENDING)
        .values(next_attempt_at=datetime.now(UTC))
    )
    note_written(session, DUE_NOW)


async def delete_webhook(session: AsyncSession, webhook_id: UUID) -> None:
    """The webhook, its pending deliveries and its log."""
    await session.execute(delete(Delivery).where(col(Delivery.webhook_id) == webhook_id))
    await session.execute(delete(Webhook).where(col(Webhook.id) == webhook_id))


async def deliveries(session: AsyncSession, webhook_id: UUID, limit: int) -> list[Delivery]:
    """A webhook's deliveries, newest first."""
    statement = (
        select(Delivery)
        .where(col(Delivery.webhook_id) == webhook_id)
        .order_by(col(Delivery.created_at).desc())
        .limit(limit)
    )
    return list((await session.execute(statement)).scalars())


async def claim(db: Database, table: type[Mail] | type[Delivery], row_id: UUID, attempts: int, now: datetime) -> bool:
    """Take a row by bumping its attempt count, so two replicas never both take it; False when another did.

    Its own transaction: the claim is committed before the mail or delivery goes."""
    async with db.transaction() as session:
        result = await session.execute(
            update(table)
            .where(col(table.id) == row_id, col(table.attempts) == attempts)
            .values(attempts=attempts + 1, next_attempt_at=now + LEASE)
        )
        return bool(getattr(result, "rowcount", 0) == 1)


# --- what the sender sends ---------------------------------------------------------------------------------------


async def due_mails(session: AsyncSession, now: datetime) -> list[Mail]:
    """A batch of the unsent mails due by `now`, the longest due first."""
    statement = select(Mail).where(UNSENT, col(Mail.next_attempt_at) <= now).order_by(col(Mail.next_attempt_at))
    return list((await session.execute(statement.limit(BATCH))).scalars())


async def record_mail(session: AsyncSession, mail_id: UUID, outcome: dict[str, object]) -> None:
    """What became of a mail: sent, to retry, or abandoned."""
    await session.execute(update(Mail).where(col(Mail.id) == mail_id).values(**outcome))


async def person_by_id(session: AsyncSession, person_id: UUID) -> Person | None:
    return await session.get(Person, person_id)


async def awaiting_digest(session: AsyncSession, before: datetime) -> list[Notice]:
    """The daily-digest notices made before `before` and not yet gathered, by person, then as made."""
    statement = select(Notice).where(
        col(Notice.awaits_digest), col(Notice.digest_id).is_(None), col(Notice.created_at) < before
    )
    return list((await session.execute(statement.order_by(col(Notice.person_id), col(Notice.created_at)))).scalars())


async def add_digest(session: AsyncSession, mail: dict[str, object], notice_ids: list[UUID]) -> None:
    """A digest's mail, once (a repeat adds nothing), and the notices it gathers, each into one digest only."""
    await session.execute(insert_ignoring_duplicates(Mail.__table__, dialect_of(session), [mail]))  # type: ignore[attr-defined]
    await session.execute(
        update(Notice)
        .where(col(Notice.id).in_(notice_ids), col(Notice.digest_id).is_(None))
        .values(digest_id=mail["id"])
    )


async def next_attempts(session: AsyncSession) -> tuple[datetime | None, datetime | None]:
    """When the earliest unsent mail is due, and the earliest pending delivery of an enabled webhook."""
    mail = await session.scalar(select(func.min(Mail.next_attempt_at)).where(UNSENT))
    delivery = await session.scalar(
        select(func.min(Delivery.next_attempt_at))
        .join(Webhook, col(Webhook.id) == col(Delivery.webhook_id))
        .where(PENDING)
    )
    return mail, delivery


async def due_deliveries(session: AsyncSession, now: datetime) -> list[tuple[Delivery, Webhook]]:
    """A batch of the pending deliveries of enabled webhooks due by `now`, the oldest first, with their webhook."""
    statement = (
        select(Delivery, Webhook)
        .join(Webhook, col(Webhook.id) == col(Delivery.webhook_id))
        .where(PENDING, col(Delivery.next_attempt_at) <= now)
        .order_by(col(Delivery.created_at))
        .limit(BATCH)
    )
    return [(delivery, hook) for delivery, hook in (await session.execute(statement)).all()]


async def record_delivered(
    session: AsyncSession, delivery_id: UUID, webhook_id: UUID, code: int | None, now: datetime
) -> None:
    """The receiver took it: the delivery is done and the webhook's run of failures ends."""
    await session.execute(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id)
        .values(status=DeliveryStatus.DELIVERED, delivered_at=now, last_status_code=code, last_error=None)
    )
    await session.execute(update(Webhook).where(col(Webhook.id) == webhook_id).values(consecutive_failures=0))


async def record_failed(
    session: AsyncSession, delivery_id: UUID, webhook_id: UUID, code: int | None, error: str, again: datetime
) -> int:
    """The delivery goes again at `again`; returns the webhook's consecutive failures (0: unsubscribed meanwhile)."""
    await session.execute(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id)
        .values(next_attempt_at=again, last_status_code=code, last_error=error)
    )
    await session.execute(
        update(Webhook)
        .where(col(Webhook.id) == webhook_id)
        .values(consecutive_failures=col(Webhook.consecutive_failures) + 1)
    )
    stored = await session.get(Webhook, webhook_id, populate_existing=True)
    return stored.consecutive_failures if stored else 0


async def disable_webhook(session: AsyncSession, webhook_id: UUID, reason: str) -> None:
    await session.execute(
        update(Webhook).where(col(Webhook.id) == webhook_id).values(enabled=False, disabled_reason=reason)
    )
