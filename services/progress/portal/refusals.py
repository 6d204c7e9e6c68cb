"""Why a page is not shown as asked: sign-in needed, the portal's own refusals, a service's refusal of a form."""

from dataclasses import dataclass

from services.progress.portal.client import ApiRefused


class SignInNeeded(Exception):
    """No valid session: the person is sent to sign in, and back afterwards."""


class PageRefused(Exception):
    """A request the portal itself refuses (a form without its CSRF token, a page not for this role)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def refusal_status(refused: ApiRefused) -> int:
    """A service's own 4xx stands; an unreachable service is a bad gateway, never the person's fault."""
    return refused.status if 400 <= refused.status < 500 else 502


@dataclass(frozen=True)
class FormRefused:
    """A refusal of one of the page's forms (named as the template names it): the portal's own reason, already in
    the person's language, or a service's refusal, which the page words."""

    form: str
    reason: str
    status: int
    refused: ApiRefused | None = None

    @classmethod
    def of(cls, form: str, refused: ApiRefused) -> "FormRefused":
        return cls(form, refused.reason, refusal_status(refused), refused)
