"""The practitioners' pages as the server gives them: the built site under /site, its shared
library compressed and cached, and the first requests a browser makes (/ and /favicon.ico).

A person who starts `pathways serve` and opens http://127.0.0.1:8000/ is a practitioner, not an
API client: the root sends them to the pages (a JSON 404 there was the first thing they saw).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from pathways.site.pages import FAVICON

# The library (vis-network and the style sheets) changes only with a new build of the site, and
# a rebuild renames nothing, so a day's caching costs at most a day of a stale style sheet.
LIBRARY_CACHE = "public, max-age=86400"


class _Cached:
    """An ASGI app that adds Cache-Control to every answer of the app it wraps."""

    def __init__(self, app: StaticFiles, cache_control: str) -> None:
        self.app = app
        self.cache_control = cache_control.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_cached(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"cache-control"]
                message["headers"] = [*headers, (b"cache-control", self.cache_control)]
            await send(message)

        await self.app(scope, receive, send_cached)


def install(app: FastAPI, site_folder: Path) -> None:
    """Mount the pages, and send a browser's first requests to them."""

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/site/", status_code=307)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse(f"/site/{FAVICON}", status_code=308)

    # Mounted before /site so that it answers for /site/lib: vis-network is 470 KB, about
    # 120 KB compressed, and every page of the site loads it.
    # (The site is written when the app starts, after this: hence check_dir=False.)
    library = _Cached(StaticFiles(directory=site_folder / "lib", check_dir=False), LIBRARY_CACHE)
    app.mount("/site/lib", GZipMiddleware(library, minimum_size=1024), name="site-lib")
    app.mount("/site", StaticFiles(directory=site_folder, html=True), name="site")
