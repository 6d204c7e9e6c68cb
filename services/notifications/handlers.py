"""What notifications reacts to: lifecycle events become notices for the people concerned and webhook deliveries."""

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from contracts import lifecycle, social_approaches, working_group
from contracts.envelope import Envelope, EventPayload
from contracts.lifecycle import MilestonesPlanned
from contracts.topics import topics_of
from services.notifications import domain
from services.notifications.catalogue import render, said
from services.notifications.models import (
    Assignment,
    Channel,
    Delivery,
    DeliveryStatus,
    Frequency,
    Mail,
    Notice,
    Person,
    Webhook,
)
from services.notifications.store import DUE_NOW
from sori.db import note_written
from sori.service import Consumer, by_payload, on
from sori.upsert import dialect_of, insert_ignoring_duplicates


async def assigned_local_governments(session: AsyncSession, recommendation_id: UUID) -> set[str]:
    rows = await session.execute(
        select(Assignment.local_government).where(col(Assignment.recommendation_id) == recommendation_id)
    )
    return set(rows.scalars())


async def on_event(session: AsyncSession, event: Envelope) -> None:
    """Lifecycle events make notices (domain.plan_notice); every event may go to the webhooks that want it."""
    data = event.data
    recommendation_id: UUID | None = getattr(data, "recommendation_id", None)
    if isinstance(data, MilestonesPlanned):
        await _keep_assignment(session, data)
    assigned = await assigned_local_governments(session, recommendation_id) if recommendation_id else set()
    plan = domain.plan_notice(event, assigned)
    if plan is not None:
        await _add_notices(session, event, plan)
    await _queue_webhooks(session, event, _concerned(event, assigned))


async def _keep_assignment(session: AsyncSession, plan: MilestonesPlanned) -> None:
    await session.execute(delete(Assignment).where(col(Assignment.recommendation_id) == plan.recommendation_id))
    for lg in sorted({m.local_government for m in plan.milestones}):
        session.add(Assignment(recommendation_id=plan.recommendation_id, local_government=lg))
    await session.flush()


def _concerned(event: Envelope, assigned: set[str]) -> set[str]:
    orgs = set(assigned)
    association = getattr(event.data, "association", None)
    if association:
        orgs.add(association)
    local_government = getattr(event.data, "local_government", None)
    if local_government:
        orgs.add(local_government)
    if isinstance(event.data, MilestonesPlanned):
        orgs |= {m.local_government for m in event.data.milestones}
    return orgs


async def _add_notices(session: AsyncSession, event: Envelope, plan: domain.NoticePlan) -> None:
    people = (
        await session.execute(select(Person).where(col(Person.organisation).in_(sorted(plan.organisations))))
    ).scalars()
    notices: list[dict[str, object]] = []
    mails: list[dict[str, object]] = []
    created_at = event.time.astimezone(UTC)
    for person in people:
        nid = domain.notice_id(event.id, person.id)
        subject = render(f"{plan.kind}.subject", person.language, plan.params)
        body = render(f"{plan.kind}.body", person.language, plan.params) + said(
            plan.kind, person.language, plan.comments
        )
        by_mail = str(person.channel) == Channel.EMAIL.value
        daily = by_mail and str(person.frequency) == Frequency.DAILY.value
        notices.append(
            {
                "id": nid,
                "event_id": event.id,
                "event_type": event.type,
                "person_id": person.id,
                "recommendation_id": plan.recommendation_id,
                "kind": plan.kind.value,
                "language": str(person.language),
                "subject": subject,
                "body": body,
                "created_at": created_at,
                "read_at": None,
                "awaits_digest": daily,
                "digest_id": None,
            }
        )
        if by_mail and not daily:
            mails.append(_mail_row(nid, person, subject, body))
    dialect = dialect_of(session)
    if notices:
        await session.execute(insert_ignoring_duplicates(Notice.__table__, dialect, notices))  # type: ignore[attr-defined]
    if mails:
        await session.execute(insert_ignoring_duplicates(Mail.__table__, dialect, mails))  # type: ignore[attr-defined]
        note_written(session, DUE_NOW)


def _mail_row(mail_id: UUID, person: Person, subject: str, body: str) -> dict[str, object]:
    at = datetime.now(UTC)
    return {
        "id": mail_id,
        "person_id": person.id,
        "recipient": person.email,
        "subject": subject,
        "body": body,
        "created_at": at,
        "attempts": 0,
        "next_attempt_at": at,
        "sent_at": None,
        "last_error": None,
    }


async def _queue_webhooks(session: AsyncSession, event: Envelope, orgs: set[str]) -> None:
    hooks = (await session.execute(select(Webhook).where(col(Webhook.enabled)))).scalars()
    at = datetime.now(UTC)
    rows = [
        {
            "id": domain.delivery_id(hook.id, event.id),
            "webhook_id": hook.id,
            "event_id": event.id,
            "event_type": event.type,
            "body": event.to_json(),
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "last_status_code": None,
            "last_error": None,
            "created_at": at,
            "next_attempt_at": at,
            "delivered_at": None,
        }
        for hook in hooks
        if domain.webhook_wants(hook.event_types, hook.organisation, event.type, orgs)
    ]
    if rows:
        await session.execute(insert_ignoring_duplicates(Delivery.__table__, dialect_of(session), rows))  # type: ignore[attr-defined]
        note_written(session, DUE_NOW)


# Lifecycle events tell people (the working group's decisions reach them as lifecycle status changes); every fact
# of the three producers goes to the webhooks that ask for it.
HEARD: tuple[type[EventPayload], ...] = (*lifecycle.PAYLOADS, *working_group.PAYLOADS, *social_approaches.PAYLOADS)
HEARD_TYPES = frozenset(payload.TYPE for payload in HEARD)
HANDLERS = by_payload(*(on(payload, on_event) for payload in HEARD))
CONSUMER = Consumer(group="notifications", topics=topics_of(HEARD), handlers=HANDLERS)
