"""Sign in with a token, sign out, choose the language; the stylesheet and the icon."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from services.progress.portal import session
from services.progress.portal.client import ApiRefused, service_api
from services.progress.portal.pages import AnyPage, see_other
from services.progress.portal.refusals import FormRefused, PageRefused
from services.progress.portal.route import PortalRoute
from sori.auth import SIGNED_ELSEWHERE, InvalidToken, verify_token
from sori.i18n import _, ui_language
from sori.settings import Settings

STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"portal.css": "text/css", "favicon.svg": "image/svg+xml", "portal.js": "text/javascript"}
router = APIRouter(route_class=PortalRoute, include_in_schema=False)
# What sori.auth says of a token, as the person reads it; anything else is a token that is not whole.
TOKEN_REFUSALS = {
    "token has expired": _("This token has expired. Ask for a new one."),
    SIGNED_ELSEWHERE: _("This token was signed by another SoRi installation. Use one from this one."),
}
TOKEN_NOT_VALID = _("This token is not valid. Paste it whole, as it was given to you.")


def local_path(target: object) -> str:
    """Only a path on this site: never send someone elsewhere after signing in."""
    if isinstance(target, str) and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/sign-in")
async def sign_in_form(page: AnyPage, next: str = "/") -> Response:
    return page.render("sign_in.html", next=local_path(next))


@router.post("/sign-in")
async def sign_in(page: AnyPage, request: Request) -> Response:
    form = await page.form()
    token = str(form.get("token") or "").strip()
    settings: Settings = request.app.state.settings
    try:
        verify_token(settings.signing_secret, token)
    except InvalidToken as exc:
        reason = page.gettext(TOKEN_REFUSALS.get(str(exc), TOKEN_NOT_VALID))
        return page.render("sign_in.html", refusal=FormRefused("token", reason, 401), next=local_path(form.get("next")))
    response = see_other(local_path(form.get("next")))
    session.keep_session(request, response, token)
    if session.LANGUAGE_COOKIE not in request.cookies:
        await _adopt_preferred_language(request, response, token)
    return response


async def _adopt_preferred_language(request: Request, response: Response, token: str) -> None:
    """The language the person chose for their notices, when notifications knows them."""
    try:
        person = await service_api(request, token).get("notifications", "/people/me")
    except ApiRefused:
        return  # not registered for notices (or the service is away): the page's language stays
    session.remember_language(request, response, ui_language(person.get("language")))


@router.post("/sign-out")
async def sign_out(page: AnyPage, request: Request) -> Response:
    await page.form()
    response = see_other("/sign-in")
    session.end_session(request, response)
    return response


@router.post("/language")
async def choose_language(page: AnyPage, request: Request) -> Response:
    form = await page.form()
    language = ui_language(str(form.get("language") or ""))
    response = see_other(local_path(form.get("next")))
    session.remember_language(request, response, language)
    if page.token:
        await _share_language(request, page.token, language)
    return response


async def _share_language(request: Request, token: str, language: str) -> None:
    """Notices follow the language chosen here, for a person notifications knows (a variant they chose stays)."""
    api = service_api(request, token)
    try:
        person = await api.get("notifications", "/people/me")
        if ui_language(person["language"]) != language:
            preferences = {"language": language, "channel": person["channel"], "frequency": person["frequency"]}
            await api.call("PUT", "notifications", "/people/me/preferences", json=preferences)
    except ApiRefused:
        return  # not registered for notices (or the service is away): the portal's cookie is enough


@router.get("/static/{name}")
async def static_file(name: str, page: AnyPage) -> FileResponse:
    if name not in STATIC_FILES:
        raise PageRefused(404, page.gettext("There is no such page."))
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name])
