"""One access-log line per request, with a request id, the status and the latency.

uvicorn's own access log has neither an id nor a latency, and it echoes the whole request line
(a 1 MB query string is a 1 MB log line). Here each request gets an id (the client's
``X-Request-Id`` when it sends a short, plain one; else a new one), returned in the response's
``X-Request-Id`` header so a user's report can be matched to the log, and the logged target is
cut at 200 characters.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("pathways.access")
_PLAIN_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_TARGET_LIMIT = 200


def configure_logging(level: int = logging.INFO) -> None:
    """Send the ``pathways`` loggers (access lines, reloads, workers) to stderr, once."""
    logger = logging.getLogger("pathways")
    if not any(getattr(h, "_pathways", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s %(message)s"))
        handler._pathways = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        offered = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = offered if _PLAIN_ID.match(offered) else uuid.uuid4().hex[:16]
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before it responds

        async def respond(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = dict(
                    message, headers=[*message["headers"], (b"x-request-id", request_id.encode())]
                )
            await send(message)

        try:
            await self.app(scope, receive, respond)
        finally:
            target = scope.get("path", "")
            if scope.get("query_string"):
                target += "?" + scope["query_string"].decode("latin-1")
            if len(target) > _TARGET_LIMIT:
                target = target[:_TARGET_LIMIT] + f"...({len(target)} chars)"
            client = scope.get("client") or ("-", 0)
            log.info(
                "%s %s %s %s %d %.1fms",
                request_id,
                client[0],
                scope.get("method", "-"),
                target,
                status,
                (time.perf_counter() - started) * 1000,
            )
