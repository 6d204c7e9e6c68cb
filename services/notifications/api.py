"""Notifications' HTTP API under /notifications/v1: people and preferences, the inbox (webhooks: webhooks.py)."""

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy import func
from sqlmodel import col, select

from contracts.envelope import Actor
from services.notifications import domain
from services.notifications.mailer import NotificationSettings, read_maildir
from services.notifications.models import (
    Inbox,
    LocalMail,
    Notice,
    NoticePublic,
    Person,
    PersonCreate,
    PersonPublic,
    Preferences,
)
from sori.db import Database
from sori.deps import CurrentActor, DatabaseDep
from sori.errors import CommandRefused, RefusalKind

router = APIRouter(prefix="/notifications/v1", tags=["notifications"])


def _refusal(description: str) -> dict[str, Any]:
    """A 404 that a path without parameters can answer, documented as the refusal it is."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}},
    }


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


@router.get(
    "/people/me",
    response_model=PersonPublic,
    summary="Who I am to notifications, with my preferences",
    responses={404: _refusal("not registered for notifications")},
)
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


async def _notify(request: Request) -> NotificationSettings:
    notify: NotificationSettings = request.app.state.notify
    return notify


NotifyDep = Annotated[NotificationSettings, Depends(_notify)]


@router.get(
    "/mail",
    response_model=list[LocalMail],
    summary="The local maildir's mails, newest first: what a run without SMTP_URL has sent",
    responses={404: _refusal("mail goes to SMTP_URL: there is no local maildir")},
)
async def read_local_mail(
    actor: CurrentActor,
    notify: NotifyDep,
    to: str | None = Query(default=None, max_length=320, description="only the mails to this address"),
    limit: int = Query(default=50, ge=1, le=500),
) -> list[LocalMail]:
    domain.require_nalas(actor)
    if notify.smtp_url:
        raise CommandRefused(RefusalKind.NOT_FOUND, "mail goes to the SMTP server at SMTP_URL; no local maildir")
    return await asyncio.to_thread(read_maildir, notify.maildir, to, limit)
