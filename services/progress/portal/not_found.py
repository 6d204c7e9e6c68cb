"""An address nobody serves: a page in the person's language, except under the API's prefix, which answers JSON."""

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException

from services.progress.portal.pages import page_for

API_PREFIXES = ("/progress/v1/",)


def install_not_found_page(app: FastAPI) -> None:
    async def not_found(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith(API_PREFIXES):
            return await http_exception_handler(request, exc)
        page = page_for(request)
        return page.render("refused.html", status=404, reason=page.gettext("There is no such page."))

    app.add_exception_handler(404, not_found)
