"""The portal's routes answer as pages: sign-in when needed, every refusal as a readable page with its 4xx status."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from services.progress.portal.client import ApiRefused
from services.progress.portal.pages import page_for, see_other
from services.progress.portal.refusals import PageRefused, SignInNeeded, refusal_status


class PortalRoute(APIRoute):
    """A route whose sign-in redirects and refusals are pages in the person's language."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInNeeded:
                return see_other(f"/sign-in?next={request.url.path}")
            except ApiRefused as refused:
                page = page_for(request)
                return page.render("refused.html", status=refusal_status(refused), reason=page.say(refused))
            except PageRefused as refusal:
                return page_for(request).render("refused.html", status=refusal.status, reason=refusal.reason)
            except RequestValidationError:
                page = page_for(request)
                return page.render("refused.html", status=422, reason=page.gettext("This address is not valid."))

        return handle
