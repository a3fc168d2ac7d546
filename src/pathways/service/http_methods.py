"""HEAD on every GET route, and an Allow header that lists every method a path answers.

FastAPI registers GET routes for GET only, so HEAD (which link checkers, caches and
``curl -I`` send) got 405. HEAD is answered here as the GET would be, without the body
(RFC 9110 §9.3.2). A 405 from Starlette names the methods of the first route that matched
the path only (``PUT /sparql`` said ``Allow: GET``); here it names those of every route.
"""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_CANDIDATES = ("GET", "POST", "PUT", "PATCH", "DELETE")


class HttpMethods:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def _allowed(self, scope: Scope) -> list[str]:
        # Ask the routing table, method by method, which ones fully match this path: routers
        # included in the app nest their routes, so a flat list of routes is not available.
        routes = scope["app"].router.routes
        methods = {
            method
            for method in _CANDIDATES
            if any(route.matches(dict(scope, method=method))[0] == Match.FULL for route in routes)
        }
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")

        async def respond(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                allow = ", ".join(self._allowed(scope)).encode()
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"allow"]
                message = dict(message, headers=[*headers, (b"allow", allow)])
            if head and message["type"] == "http.response.body":
                message = dict(message, body=b"")
            await send(message)

        await self.app(scope, receive, respond)
