"""/docs (Swagger UI) and /redoc (ReDoc) from files shipped in the package, not from a CDN.

FastAPI's default pages load their scripts from cdn.jsdelivr.net (and ReDoc its fonts from Google),
so on a hospital network without internet access, or offline, the documentation pages were blank.
The vendored files and their licences are in ``static/docs/`` (see the README there).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(__file__).resolve().parent / "static" / "docs"
PREFIX = "/static/docs"
_OAUTH2_REDIRECT = "/docs/oauth2-redirect"

# The pages may load from this server only. ReDoc 2 always renders its "by Redocly" logo from
# cdn.redoc.ly, and Swagger UI's validator badge comes from validator.swagger.io; the browser
# refuses both here, before any request leaves. Inline script and style: the pages' own set-up
# code; blob: is ReDoc's search worker.
_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' blob:",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
    ]
)


def _local_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = _POLICY
    return page


def install(app: FastAPI) -> None:
    """Serve the viewers; the app must be built with ``docs_url=None, redoc_url=None``."""
    openapi_url = app.openapi_url or "/openapi.json"
    title = app.title
    app.mount(PREFIX, StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _local_only(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{title} - Swagger UI",
                oauth2_redirect_url=_OAUTH2_REDIRECT,
                swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
                swagger_css_url=f"{PREFIX}/swagger-ui.css",
                swagger_favicon_url=f"{PREFIX}/favicon-32x32.png",
                # No badge from the public validator (it would send it our document's URL).
                swagger_ui_parameters={"validatorUrl": None},
            )
        )

    @app.get(_OAUTH2_REDIRECT, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _local_only(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{title} - ReDoc",
                redoc_js_url=f"{PREFIX}/redoc.standalone.js",
                redoc_favicon_url=f"{PREFIX}/favicon-32x32.png",
                with_google_fonts=False,
            )
        )
