"""Who is signed in (their token, kept in an HttpOnly cookie), their language, and the forms' CSRF token."""

import hmac
import secrets

from fastapi import Request, Response

from contracts.envelope import Actor
from sori.auth import InvalidToken, verify_token
from sori.i18n import ui_language
from sori.settings import Settings

SESSION_COOKIE = "sori_session"
LANGUAGE_COOKIE = "sori_lang"
CSRF_COOKIE = "sori_csrf"
CSRF_FIELD = "csrf_token"
YEAR = 365 * 24 * 3600


def signed_in(request: Request) -> tuple[Actor, str] | None:
    """The person and their token, when the session cookie holds a token that is still valid."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    settings: Settings = request.app.state.settings
    try:
        return verify_token(settings.signing_secret, token), token
    except InvalidToken:
        return None


def _secure(request: Request) -> bool:
    # Behind a proxy that ends TLS the scheme reads "http" unless the proxy's X-Forwarded-Proto is trusted, so the
    # deployment says so once (SORI_SECURE_COOKIES) rather than trusting a header.
    settings: Settings = request.app.state.settings
    return settings.secure_cookies or request.url.scheme == "https"


def keep_session(request: Request, response: Response, token: str) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.token_ttl_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=_secure(request))


def language_of(request: Request) -> str:
    return ui_language(request.cookies.get(LANGUAGE_COOKIE))


def remember_language(request: Request, response: Response, code: str) -> None:
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=YEAR, samesite="lax", secure=_secure(request))


def csrf_token(request: Request) -> str:
    """The double-submit token: the same random value in a strict cookie and in every form."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)


def keep_csrf(request: Request, response: Response, token: str) -> None:
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request))


def csrf_valid(request: Request, submitted: object) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie) and isinstance(submitted, str) and hmac.compare_digest(cookie or "", submitted)
