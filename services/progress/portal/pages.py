"""What every page has: the person, their language, the CSRF token, the navigation, and the rendering."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from contracts.envelope import Actor, Role
from services.progress.portal import labels, reasons, session
from services.progress.portal.client import ApiRefused, ServiceApi, service_api
from services.progress.portal.refusals import FormRefused, PageRefused, SignInNeeded
from sori.i18n import LANGUAGES, Formats, _, translations
from sori.version import __version__

TEMPLATES = Path(__file__).parent / "templates"
# Pages hold a person's own data and forms: never framed by another site (clickjacking), never kept by a cache.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
}


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    roles: frozenset[Role]


EVERYONE = frozenset(Role)
NAVIGATION = (
    NavItem("/", _("Dashboard"), EVERYONE),
    NavItem("/roadmaps", _("Roadmaps"), EVERYONE),
    NavItem("/desk", _("Drafting desk"), frozenset({Role.LGA})),
    NavItem("/reviews", _("Review queue"), frozenset({Role.NALAS})),
    NavItem("/actions", _("Actions"), EVERYONE),
    NavItem("/reporting", _("Milestone reports"), frozenset({Role.LG})),
    NavItem("/inbox", _("Inbox"), EVERYONE),
    NavItem("/mail", _("Mail sent"), frozenset({Role.NALAS})),
)


@cache
def environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["sori_version"] = __version__
    return env


@dataclass
class Page:
    request: Request
    lang: str
    person: Actor | None
    token: str | None
    csrf: str

    def gettext(self, message: str) -> str:
        return translations(self.lang).gettext(message)

    def say(self, refused: ApiRefused) -> str:
        """A service's refusal in the person's language."""
        return reasons.say(refused, self.gettext, Formats(self.lang))

    def explain(self, refusal: FormRefused) -> str:
        return self.say(refusal.refused) if refusal.refused else refusal.reason

    @property
    def api(self) -> ServiceApi:
        if self.token is None:
            raise SignInNeeded
        return service_api(self.request, self.token)

    @property
    def navigation(self) -> list[NavItem]:
        return [item for item in NAVIGATION if self.person and self.person.role in item.roles]

    def render(
        self, template: str, status: int = 200, refusal: FormRefused | None = None, **context: Any
    ) -> HTMLResponse:
        """The page; after a refused form, with the reason beside that form and the service's status."""
        body = (
            environment(self.lang)
            .get_template(template)
            .render(
                page=self,
                fmt=Formats(self.lang),
                languages=LANGUAGES,
                labels=labels,
                path=self.request.url.path,
                error=self.explain(refusal) if refusal else None,
                failed=refusal.form if refusal else None,
                **context,
            )
        )
        response = HTMLResponse(body, status_code=refusal.status if refusal else status)
        response.headers.update(PAGE_HEADERS)
        session.keep_csrf(self.request, response, self.csrf)
        return response

    async def form(self) -> FormData:
        """The posted form, once its CSRF token matches the cookie's."""
        form = await self.request.form()
        if not session.csrf_valid(self.request, form.get(session.CSRF_FIELD)):
            raise PageRefused(403, self.gettext("This form has expired or was not sent from SoRi. Please try again."))
        return form

    def require(self, *roles: Role) -> Actor:
        if self.person is None:
            raise SignInNeeded
        if self.person.role not in roles:
            raise PageRefused(403, self.gettext("This page is not available for your role."))
        return self.person


def page_for(request: Request) -> Page:
    found = session.signed_in(request)
    person, token = found if found else (None, None)
    return Page(request, session.language_of(request), person, token, session.csrf_token(request))


async def signed_in_page(request: Request) -> Page:
    page = page_for(request)
    if page.person is None:
        raise SignInNeeded
    return page


AnyPage = Annotated[Page, Depends(page_for)]
SignedIn = Annotated[Page, Depends(signed_in_page)]


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
