"""The notifications service's own settings, from the environment, and how a route gets them."""

from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field
from pydantic_settings import BaseSettings

from services.notifications import domain
from sori.settings import OWN_NAMES_ONLY


class NotificationSettings(BaseSettings):
    """The notifications service's own settings, from the environment."""

    model_config = OWN_NAMES_ONLY

    smtp_url: str | None = Field(default=None, alias="SMTP_URL", description="smtp://user:pass@host:587?starttls=1")
    home: Path = Field(default=Path(".sori"), alias="SORI_HOME")
    mail_from: str = Field(default="SoRi <notifications@sori.invalid>", alias="SORI_MAIL_FROM")
    poll_seconds: float = Field(
        default=60.0, alias="SORI_NOTIFY_POLL_SECONDS", description="fallback poll: commits and due retries wake it"
    )
    retry_seconds: float = Field(default=5.0, alias="SORI_NOTIFY_RETRY_SECONDS", description="first retry delay")
    max_retry_seconds: float = Field(default=900.0, alias="SORI_NOTIFY_MAX_RETRY_SECONDS")
    webhook_timeout_seconds: float = Field(default=10.0, alias="SORI_WEBHOOK_TIMEOUT_SECONDS")
    webhook_max_failures: int = Field(
        default=10, alias="SORI_WEBHOOK_MAX_FAILURES", description="consecutive failures that disable a webhook"
    )
    webhook_allow_private: bool = Field(
        default=False,
        alias="SORI_WEBHOOK_ALLOW_PRIVATE",
        description="let webhooks reach loopback, private, link-local and metadata addresses: tests, closed networks",
    )

    @property
    def maildir(self) -> Path:
        return self.home / "mail"

    def retry_at(self, now: datetime, attempts: int) -> datetime:
        """When to try a mail or a webhook delivery again after its `attempts`-th failure."""
        return domain.next_attempt(now, attempts, self.retry_seconds, self.max_retry_seconds)


async def _notify(request: Request) -> NotificationSettings:
    notify: NotificationSettings = request.app.state.notify
    return notify


NotifyDep = Annotated[NotificationSettings, Depends(_notify)]
