"""Where mail goes: a real SMTP server when SMTP_URL says so, else a maildir under SORI_HOME/mail/."""

import asyncio
import email.policy
import mailbox
import smtplib
import ssl
from email import message_from_bytes
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parsedate_to_datetime
from itertools import islice
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID

from services.notifications.schemas import LocalMail
from services.notifications.settings import NotificationSettings


def compose(sender: str, recipient: str, subject: str, body: str, mail_id: UUID) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    # The same mail always has the same Message-ID, so a receiver can drop the rare repeat after a crash.
    message["Message-ID"] = make_msgid(idstring=str(mail_id), domain="sori")
    message["X-Sori-Mail-Id"] = str(mail_id)
    message.set_content(body)
    return message


class Mailer:
    def __init__(self, settings: NotificationSettings) -> None:
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        """Hand the message over or raise."""
        if self.settings.smtp_url:
            await asyncio.to_thread(_smtp_send, self.settings.smtp_url, message)
        else:
            await asyncio.to_thread(_maildir_add, self.settings.maildir, message)


def _maildir_add(path: Path, message: EmailMessage) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mailbox.Maildir(path, create=True).add(message)


def read_maildir(path: Path, recipient: str | None, limit: int) -> list[LocalMail]:
    """The mails in a local maildir, newest first, optionally only those to one address."""
    if not (path / "cur").is_dir():  # made last: before it, the maildir is not there yet, or only half
        return []
    # The maildir keeps when each mail arrived (finer than its Date header): the newest-first order.
    arrived = sorted(mailbox.Maildir(path, create=False).items(), key=lambda item: item[1].get_date(), reverse=True)
    mails = (_local_mail(key, message.as_bytes()) for key, message in arrived)
    if recipient is not None:
        mails = (m for m in mails if m.to.lower() == recipient.lower())
    return list(islice(mails, limit))


def _local_mail(key: str, raw: bytes) -> LocalMail:
    message = message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    mail_id = message.get("X-Sori-Mail-Id")
    date = message.get("Date")
    return LocalMail(
        key=key,
        mail_id=UUID(mail_id) if mail_id else None,
        to=str(message.get("To", "")).strip(),
        subject=str(message.get("Subject", "")).strip(),
        date=parsedate_to_datetime(date) if date else None,
        body=body.get_content() if isinstance(body, EmailMessage) else "",
    )


def _smtp_send(url: str, message: EmailMessage, timeout: float = 30.0) -> None:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["0"])[0] in {"1", "true", "yes"}
    host = parts.hostname or "127.0.0.1"
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, parts.port or 465, timeout=timeout)
    else:
        client = smtplib.SMTP(host, parts.port or 25, timeout=timeout)
    with client:
        if starttls:
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
