"""The person's inbox: notices from the notifications service, unread first in weight, marked read one by one;
and, for the working group, the mail a local run (no SMTP_URL) has kept in its maildir."""

from uuid import UUID

from fastapi import APIRouter, Response

from contracts.envelope import Role
from services.progress.portal.pages import SignedIn, see_other
from services.progress.portal.route import PortalRoute

router = APIRouter(route_class=PortalRoute, include_in_schema=False)


@router.get("/inbox")
async def inbox(page: SignedIn) -> Response:
    notices = await page.api.get("notifications", "/inbox", limit=100)
    return page.render("inbox.html", inbox=notices)


@router.post("/inbox/{notice_id}/read")
async def mark_read(notice_id: UUID, page: SignedIn) -> Response:
    await page.form()
    await page.api.post("notifications", f"/inbox/{notice_id}/read")
    return see_other("/inbox")


@router.get("/mail")
async def local_mail(page: SignedIn) -> Response:
    page.require(Role.NALAS)
    mails = await page.api.get("notifications", "/mail", limit=100)
    return page.render("mail.html", mails=mails)
