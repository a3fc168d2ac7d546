"""Request size limits, counted in bytes as they arrive.

A declared ``Content-Length`` or a query string over the limit is refused before any route runs.
A chunked body declares no length, so the body is also counted as it streams in: the message
that crosses the limit raises a 413 inside the route that is reading it, before the rest is read
or buffered (a 100 MB chunked body used to be read whole, and echoed back in a 422).

A pure ASGI middleware rather than Starlette's ``BaseHTTPMiddleware``: that one wraps every
response in a task and a stream, a cost every request (``/health`` included) paid.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pathways.service.errors import error_body


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _message(self) -> str:
        return f"the request is larger than {self.limit} bytes (PATHWAYS_MAX_BODY_BYTES)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if len(scope.get("query_string", b"")) > self.limit or (
            declared.isdigit() and int(declared) > self.limit
        ):
            await self._refuse(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # Raised inside the route reading the body: FastAPI passes an HTTPException
                    # through, and errors.py turns it into the one JSON error shape.
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(error_body(413, "too_large", self._message())).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
