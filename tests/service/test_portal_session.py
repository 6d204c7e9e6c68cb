"""Signing in with a token, the session cookie, signing out, the language choice and the forms' CSRF token."""

from datetime import timedelta

import pytest

from contracts.envelope import Role
from services.progress.portal.session import CSRF_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE
from sori.auth import issue_token
from tests.service.portal_fakes import REC, Portal


async def csrf_of(portal: Portal) -> str:
    await portal.http.get("/sign-in")
    return portal.http.cookies[CSRF_COOKIE]


def token_for(portal: Portal, role: Role = Role.LGA, ttl: timedelta = timedelta(hours=1)) -> str:
    return issue_token(portal.settings.signing_secret, sub="ana@zels", org="ZELS", role=role, ttl=ttl)


async def test_a_person_who_is_not_signed_in_is_sent_to_sign_in_and_back(portal: Portal) -> None:
    response = await portal.http.get(f"/recommendations/{REC}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/sign-in?next=/recommendations/{REC}"


async def test_signing_in_keeps_the_token_in_an_http_only_lax_cookie(portal: Portal) -> None:
    csrf = await csrf_of(portal)
    response = await portal.http.post(
        "/sign-in", data={"token": token_for(portal), "csrf_token": csrf, "next": "/inbox"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/inbox"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie
    assert (await portal.http.get("/inbox")).status_code == 200


async def test_the_session_cookie_is_secure_over_https(portal: Portal) -> None:
    portal.http.base_url = "https://portal"
    csrf = await csrf_of(portal)
    response = await portal.http.post("/sign-in", data={"token": token_for(portal), "csrf_token": csrf})
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}="))
    assert "Secure" in cookie


async def test_every_cookie_is_secure_behind_a_proxy_when_the_deployment_says_so(portal: Portal) -> None:
    portal.settings.secure_cookies = True  # the request still comes by plain HTTP, as from a proxy that ends TLS
    form = await portal.http.get("/sign-in")
    csrf = form.cookies[CSRF_COOKIE]  # the client itself would keep a Secure cookie for HTTPS only
    response = await portal.http.post(
        "/sign-in",
        data={"token": token_for(portal), "csrf_token": csrf},
        headers={"cookie": f"{CSRF_COOKIE}={csrf}"},
    )
    cookies = form.headers.get_list("set-cookie") + response.headers.get_list("set-cookie")
    assert response.status_code == 303
    assert any(cookie.startswith(f"{SESSION_COOKIE}=") for cookie in cookies)
    assert all("Secure" in cookie for cookie in cookies)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("not-a-token", "This token is not valid. Paste it whole"),
        ("expired", "This token has expired."),
        ("forged", "This token was signed by another SoRi installation."),
    ],
)
async def test_a_bad_token_is_refused_on_the_form_with_the_reason(portal: Portal, token: str, reason: str) -> None:
    tokens = {
        "expired": token_for(portal, ttl=timedelta(seconds=-5)),
        "forged": issue_token("another-secret-" * 3, sub="x", org="ZELS", role=Role.LGA, ttl=timedelta(hours=1)),
    }
    csrf = await csrf_of(portal)
    response = await portal.http.post("/sign-in", data={"token": tokens.get(token, token), "csrf_token": csrf})
    assert response.status_code == 401
    assert reason in response.text
    assert 'aria-invalid="true" aria-describedby="token-error"' in response.text
    assert SESSION_COOKIE not in portal.http.cookies


async def test_a_form_without_its_csrf_token_is_refused_with_a_page(portal: Portal) -> None:
    await csrf_of(portal)
    portal.sign_in_as(Role.LGA)
    for data in ({}, {"csrf_token": "guessed"}):
        response = await portal.http.post(f"/desk/recommendations/{REC}/submit", data=data)
        assert response.status_code == 403
        assert "This form has expired or was not sent from SoRi" in response.text
    assert portal.services.posted(f"/roadmaps/v1/recommendations/{REC}/submit") == []


async def test_signing_out_forgets_the_session(portal: Portal) -> None:
    csrf = await csrf_of(portal)
    await portal.http.post("/sign-in", data={"token": token_for(portal), "csrf_token": csrf})
    assert SESSION_COOKIE in portal.http.cookies
    response = await portal.http.post("/sign-out", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert SESSION_COOKIE not in portal.http.cookies
    assert (await portal.http.get("/inbox")).status_code == 303


async def test_the_chosen_language_is_remembered(portal: Portal) -> None:
    csrf = await csrf_of(portal)
    portal.sign_in_as(Role.LGA)
    response = await portal.http.post("/language", data={"csrf_token": csrf, "language": "sr-Cyrl", "next": "/inbox"})
    assert response.headers["location"] == "/inbox"
    assert portal.http.cookies[LANGUAGE_COOKIE] == "sr-Cyrl"
    assert "Обавештења" in (await portal.http.get("/inbox")).text


async def test_a_language_chosen_in_the_portal_becomes_the_persons_language_for_notices(portal: Portal) -> None:
    csrf = await csrf_of(portal)
    portal.sign_in_as(Role.LGA)
    await portal.http.post("/language", data={"csrf_token": csrf, "language": "mk"})
    (put,) = [s for s in portal.services.sent if s.method == "PUT"]
    assert put.path == "/notifications/v1/people/me/preferences"
    assert put.body == {"language": "mk", "channel": "portal", "frequency": "daily"}


async def test_signing_in_adopts_the_language_the_person_chose_for_notices(portal: Portal) -> None:
    csrf = await csrf_of(portal)
    await portal.http.post("/sign-in", data={"token": token_for(portal), "csrf_token": csrf})
    assert portal.http.cookies[LANGUAGE_COOKIE] == "sq"


async def test_after_signing_in_a_person_is_never_sent_to_another_site(portal: Portal) -> None:
    csrf = await csrf_of(portal)
    data = {"token": token_for(portal), "csrf_token": csrf, "next": "//evil.example/x"}
    response = await portal.http.post("/sign-in", data=data)
    assert response.headers["location"] == "/"


async def test_pages_cannot_be_framed_by_another_site_nor_cached(portal: Portal) -> None:
    response = await portal.http.get("/sign-in")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


async def test_the_stylesheet_and_icon_are_served_from_the_portal_itself(portal: Portal) -> None:
    assert (await portal.http.get("/static/portal.css")).headers["content-type"].startswith("text/css")
    assert (await portal.http.get("/static/favicon.svg")).headers["content-type"] == "image/svg+xml"
    assert (await portal.http.get("/static/..%2Fsession.py")).status_code == 404
