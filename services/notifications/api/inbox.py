"""A person's in-portal inbox, under /notifications/v1/inbox: their own notices only."""

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, Query

from services.notifications import domain, store
from services.notifications.models import Notice
from services.notifications.schemas import Inbox, NoticePublic
from sori.deps import CurrentActor, DatabaseDep

router = APIRouter(tags=["notifications"])


@router.get("/inbox", response_model=Inbox, summary="My notices, newest first, with how many are unread")
async def read_inbox(
    actor: CurrentActor, db: DatabaseDep, limit: int = Query(default=50, ge=1, le=500), unread_only: bool = False
) -> Inbox:
    async with db.reading() as session:
        person = await store.person(session, actor.sub)
        if person is None:
            return Inbox(unread=0, notices=[])
        notices = await store.notices(session, person.id, unread_only=unread_only, limit=limit)
        unread = await store.unread(session, person.id)
    return Inbox(unread=unread, notices=[NoticePublic.model_validate(n, from_attributes=True) for n in notices])


@router.post("/inbox/{notice_id}/read", response_model=NoticePublic, summary="Mark one of my notices read")
async def mark_read(notice_id: UUID, actor: CurrentActor, db: DatabaseDep) -> Notice:
    async with db.transaction() as session:
        notice = await store.notice(session, notice_id)
        owner = await store.owner_of(session, notice)
        domain.require_own(actor, owner.sub if owner else "someone else", f"notice {notice_id}")
        if notice.read_at is None:
            notice.read_at = datetime.now(UTC)
            session.add(notice)
    return notice
