"""The local maildir, under /notifications/v1/mail: what a run without SMTP_URL has sent, for nalas to read."""

import asyncio

from fastapi import APIRouter, Query

from services.notifications import domain
from services.notifications.mailer import read_maildir
from services.notifications.schemas import LocalMail, refused
from services.notifications.settings import NotifyDep
from sori.deps import CurrentActor
from sori.errors import CommandRefused, RefusalKind

router = APIRouter(tags=["notifications"])


@router.get(
    "/mail",
    response_model=list[LocalMail],
    summary="The local maildir's mails, newest first: what a run without SMTP_URL has sent",
    responses={404: refused("mail goes to SMTP_URL: there is no local maildir")},
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
