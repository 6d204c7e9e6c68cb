"""Plain ASGI middleware for HTTP requests: cheaper than Starlette's BaseHTTPMiddleware, which streams every response
through a task group of its own."""

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    """Sees each HTTP request in `handle`; anything else (the lifespan) passes straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError
