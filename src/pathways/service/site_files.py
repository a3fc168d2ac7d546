"""The practitioners' pages as the server gives them: under /site, each page built from the
served graph when first asked for (by the functions `pathways site` writes them with) and
remembered; the shared library compressed and cached; and the first requests a browser makes
(/ and /favicon.ico).

Built on demand, not all at start: at a hundred times the shipped graph, writing every page
before answering took minutes and gigabytes, for pages most servers are never asked for. A
role page costs about 15 ms to build, whatever the size of the graph.

A person who starts `pathways serve` and opens http://127.0.0.1:8000/ is a practitioner, not an
API client: the root sends them to the pages (a JSON 404 there was the first thing they saw).
"""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from pathways.careers.roadmap import AnswerCache
from pathways.graph.loader import LoadedGraph
from pathways.service.errors import ApiError
from pathways.site.library import FAVICON

# Pages built are remembered up to this many bytes (the shipped graph's whole site is 8 MB).
PAGES_BYTES = 64 * 1024 * 1024

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}

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


class Pages:
    """The pages of one graph, built when first asked for and remembered (least recently
    used first out). A reload makes a new one for the new graph."""

    def __init__(self, loaded: LoadedGraph, limit: int = PAGES_BYTES) -> None:
        self.loaded = loaded
        self._built = AnswerCache(limit)
        self._lock = threading.Lock()

    def get(self, path: str) -> bytes | None:
        with self._lock:
            found = self._built.get((path,))
        if found is not None:
            return found
        # Imported at the first page asked for, not at start: see site/library.py.
        from pathways.site.pages import pages_at

        pages = pages_at(self.loaded, path)  # outside the lock: other pages need not wait
        found = None
        with self._lock:
            for page in pages:
                text = page.text.encode("utf-8")
                self._built.put((page.path,), text)
                if page.path == path:
                    found = text
        return found


def install(app: FastAPI, site_folder: Path) -> None:
    """Mount the pages, and send a browser's first requests to them. ``site_folder`` holds
    the shared library (pages.write_library); ``app.state.pages`` builds the pages."""

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

    @app.get("/site", include_in_schema=False)
    def site_root() -> RedirectResponse:
        return RedirectResponse("/site/", status_code=307)

    @app.api_route("/site/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def site_page(path: str, request: Request) -> Response:
        path = path or "index.html"
        pages: Pages = request.app.state.pages
        # Built in a worker thread: the event loop keeps answering while a page is built.
        body = await run_in_threadpool(pages.get, path)
        if body is None:
            raise ApiError(
                404,
                "no_such_page",
                f"there is no page at /site/{path}",
                field="path",
                suggestions=["/site/index.html"],
            )
        media = MEDIA_TYPES.get(Path(path).suffix, "application/octet-stream")
        return Response(body, media_type=media)  # the server leaves out a HEAD's body
