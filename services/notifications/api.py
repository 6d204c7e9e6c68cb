"""Notifications' HTTP API under /notifications/v1: people and preferences, the inbox, webhooks."""

import secrets
from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, Query, status
from sqlalchemy import func
from sqlmodel import col, select

from contracts.envelope import Actor
from services.notifications import domain
from services.notifications.models import (
    Delivery,
    DeliveryPublic,
    Inbox,
    Notice,
    NoticePublic,
    Person,
    PersonCreate,
    PersonPublic,
    Preferences,
    Webhook,
    WebhookCreate,
    WebhookCreated,
    WebhookPublic,
)
from sori.db import Database
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind

router = APIRouter(prefix="/notifications/v1", tags=["notifications"])


@router.post("/people", status_code=status.HTTP_201_CREATED, response_model=PersonPublic, summary="Register a person")
async def register_person(body: PersonCreate, actor: CurrentActor, db: DatabaseDep) -> Person:
    domain.require_nalas(actor)
    person = Person.model_validate(body)
    async with db.transaction() as session:
        if (await session.execute(select(Person).where(col(Person.sub) == body.sub))).first():
            raise CommandRefused(RefusalKind.CONFLICT, f"{body.sub} is already registered")
        session.add(person)
    return person


@router.get("/people", response_model=list[PersonPublic], summary="List the people who hear of events")
async def list_people(
    actor: CurrentActor, db: DatabaseDep, organisation: str | None = Query(default=None)
) -> list[Person]:
    domain.require_nalas(actor)
    statement = select(Person).order_by(col(Person.organisation), col(Person.name))
    if organisation:
        statement = statement.where(col(Person.organisation) == organisation)
    async with db.reading() as session:
        return list((await session.execute(statement)).scalars())


async def _me(db: Database, actor: Actor) -> Person | None:
    async with db.reading() as session:
        return (await session.execute(select(Person).where(col(Person.sub) == actor.sub))).scalars().first()


@router.get("/people/me", response_model=PersonPublic, summary="Who I am to notifications, with my preferences")
async def read_me(actor: CurrentActor, db: DatabaseDep) -> Person:
    person = await _me(db, actor)
    if person is None:
        raise CommandRefused(RefusalKind.NOT_FOUND, f"{actor.sub} is not registered for notifications")
    return person


@router.put("/people/me/preferences", response_model=PersonPublic, summary="Change my language, channel, frequency")
async def update_my_preferences(body: Preferences, actor: CurrentActor, db: DatabaseDep) -> Person:
    async with db.transaction() as session:
        person = (await session.execute(select(Person).where(col(Person.sub) == actor.sub))).scalars().first()
        if person is None:
            raise CommandRefused(RefusalKind.NOT_FOUND, f"{actor.sub} is not registered for notifications")
        person.language, person.channel, person.frequency = body.language, body.channel, body.frequency
        session.add(person)
    return person


@router.get("/inbox", response_model=Inbox, summary="My notices, newest first, with how many are unread")
async def read_inbox(
    actor: CurrentActor, db: DatabaseDep, limit: int = Query(default=50, ge=1, le=500), unread_only: bool = False
) -> Inbox:
    person = await _me(db, actor)
    if person is None:
        return Inbox(unread=0, notices=[])
    mine = col(Notice.person_id) == person.id
    statement = select(Notice).where(mine)
    if unread_only:
        statement = statement.where(col(Notice.read_at).is_(None))
    async with db.reading() as session:
        notices = (await session.execute(statement.order_by(col(Notice.created_at).desc()).limit(limit))).scalars()
        unread = await session.scalar(select(func.count()).where(mine, col(Notice.read_at).is_(None)))
    return Inbox(
        unread=int(unread or 0), notices=[NoticePublic.model_validate(n, from_attributes=True) for n in notices]
    )


@router.post("/inbox/{notice_id}/read", response_model=NoticePublic, summary="Mark one of my notices read")
async def mark_read(notice_id: UUID, actor: CurrentActor, db: DatabaseDep) -> Notice:
    async with db.transaction() as session:
        notice = await session.get(Notice, notice_id)
        if notice is None:
            raise CommandRefused(RefusalKind.NOT_FOUND, f"no notice {notice_id}")
        owner = await session.get(Person, notice.person_id)
        domain.require_own(actor, owner.sub if owner else "someone else", f"notice {notice_id}")
        if notice.read_at is None:
            notice.read_at = datetime.now(UTC)
            session.add(notice)
    return notice


@router.post(
    "/webhooks",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    summary="Subscribe a URL to events; the signing secret is shown only in this answer",
)
async def create_webhook(body: WebhookCreate, actor: CurrentActor, db: DatabaseDep) -> Webhook:
    domain.require_nalas(actor)
    hook = Webhook(
        url=str(body.url),
        event_types=list(dict.fromkeys(body.event_types)),
        organisation=body.organisation,
        secret=secrets.token_urlsafe(32),
    )
    async with db.transaction() as session:
        session.add(hook)
    return hook


@router.get("/webhooks", response_model=list[WebhookPublic], summary="List webhook subscriptions")
async def list_webhooks(actor: CurrentActor, db: DatabaseDep) -> list[Webhook]:
    domain.require_nalas(actor)
    async with db.reading() as session:
        return list((await session.execute(select(Webhook).order_by(col(Webhook.created_at)))).scalars())


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[DeliveryPublic], summary="A webhook's log")
async def list_deliveries(
    webhook_id: UUID, actor: CurrentActor, db: DatabaseDep, limit: int = Query(default=100, ge=1, le=1000)
) -> list[Delivery]:
    domain.require_nalas(actor)
    async with db.reading() as session:
        if await session.get(Webhook, webhook_id) is None:
            raise CommandRefused(RefusalKind.NOT_FOUND, f"no webhook {webhook_id}")
        statement = (
            select(Delivery)
            .where(col(Delivery.webhook_id) == webhook_id)
            .order_by(col(Delivery.created_at).desc())
            .limit(limit)
        )
        return list((await session.execute(statement)).scalars())
