"""The web application: a thin app that includes the REST, SPARQL and linked-data routers.

The graph is loaded and validated before the app is built (a graph that fails validation is never
served); SPARQL workers start with the app and stop with it.
"""

from __future__ import annotations

import hmac
import shutil
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from pathways import __version__
from pathways.careers.index import index_of
from pathways.careers.index_store import served_index
from pathways.graph.inference import materialise
from pathways.graph.loader import LoadedGraph
from pathways.graph.void import graph_version
from pathways.service import (
    docs_ui,
    errors,
    linked_data,
    models,
    openapi,
    rest,
    scratch,
    site_files,
    sparql_protocol,
)
from pathways.service.access_log import AccessLog
from pathways.service.admission import Admission
from pathways.service.body_limit import BodyLimit
from pathways.service.errors import ApiError, error_responses
from pathways.service.http_methods import HttpMethods
from pathways.service.reload import Reloader
from pathways.service.settings import Settings
from pathways.service.sparql_pool import WorkerPool
from pathways.site.library import write_library

if TYPE_CHECKING:
    from pathways.graph.remote import RemoteStore


@contextmanager
def _removed(folder: Path) -> Iterator[None]:
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def create_app(
    settings: Settings,
    loaded: LoadedGraph,
    extra: Sequence[Path] = (),
    reload_on_change: bool = False,
    workers: Sequence[Any] = (),
) -> FastAPI:
    """The app over ``loaded`` plus its inferences; with ``settings.store`` set, over that
    external engine instead (``loaded`` is then the validated graph that was pushed there).
    ``workers`` are SPARQL workers started already (sparql_pool.start_workers), used by the
    first start of the app's pool instead of starting its own."""
    unused = list(workers)

    def started() -> list[Any]:
        taken = unused[:]
        unused.clear()  # an app started twice (tests do) starts its own workers the second time
        return taken

    served = materialise(loaded)
    remote: RemoteStore | None = None
    if settings.store:
        # Imported here: httpx (with its own command line, rich included) took a tenth of a
        # second of every start, served from an external engine or not.
        from pathways.graph.remote import RemoteStore

        remote = RemoteStore(settings.store, timeout=settings.query_timeout)
        served = LoadedGraph(
            store=remote,
            files=loaded.files,
            locations=loaded.locations,
            statement_files=loaded.statement_files,
            triple_count=len(remote),
        )
    if remote is not None:
        index_of(served)  # build the roadmap index now, not on the first request
    scratch.sweep()  # folders a crashed server could not remove
    site_folder = scratch.make("site")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with scratch.folder("dump") as folder, _removed(site_folder):
            # The pages are built from the graph being served (extensions included) rather than
            # taken from the checkout, so they can never disagree with the API: each when first
            # asked for (site_files.Pages); only the library they share is written now.
            write_library(site_folder)
            if remote is not None:
                from pathways.service.remote_runner import RemoteRunner

                checker = WorkerPool(
                    None, settings.workers, settings.worker_memory_mb, started=started()
                )
                app.state.sparql = RemoteRunner(remote, checker)
                try:
                    yield
                finally:
                    checker.close()
                return
            dump = Path(folder) / "graph.nq"
            served.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
            pool = WorkerPool(
                dump, settings.workers, settings.worker_memory_mb, wait=False, started=started()
            )
            # The roadmap index is recalled or built while the workers load the graph.
            try:
                served_index(served, settings.verdict_folder)
                pool.ready()
            except BaseException:
                pool.close()
                raise
            app.state.sparql = pool
            reloader = Reloader(app, extra, settings.workers)
            app.state.reloader = reloader
            if reload_on_change:
                reloader.watch()
            try:
                yield
            finally:
                reloader.stop()
                app.state.sparql.close()

    app = FastAPI(
        title="Psychological professions leadership pathways",
        version=__version__,
        description="Roadmaps from any role to board level in the 12 NHS psychological "
        "professions, the knowledge graph behind them, and a read-only SPARQL 1.1 endpoint.",
        lifespan=lifespan,
        # Served by docs_ui from vendored files instead of FastAPI's CDN-loading defaults.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.admission = Admission(
        settings.workers, settings.queue_size, settings.client_limit, retry_after=1
    )
    app.state.site_folder = site_folder
    app.state.pages = site_files.Pages(served)
    app.state.graph = served
    errors.install(app)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_credentials=False,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["X-Pathways-Truncated", "X-Pathways-Rows"],
    )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(HttpMethods)
    app.add_middleware(AccessLog)  # outermost: it sees every response, 413s included

    @app.get(
        "/health",
        tags=["service"],
        summary="Liveness, graph size and the SPARQL pool",
        response_model=models.Health,
    )
    async def health(request: Request) -> dict[str, object]:
        # async and non-blocking: it answers on the event loop even when every thread of the
        # pool is waiting on a slow query.
        graph: LoadedGraph = request.app.state.graph
        runner = request.app.state.sparql
        alive = runner.alive() if hasattr(runner, "alive") else None
        return {
            "status": "ok",
            "triples": graph.triple_count,
            "version": __version__,
            "graph_version": graph_version(graph),
            "store": settings.store or "embedded",
            "workers_alive": alive,
            # True when the processes that evaluate /sparql queries have no network at all
            # (sparql_workers.isolate_network); an external store is not ours to isolate.
            "sparql_network_isolated": bool(getattr(runner, "network_isolated", False)),
        }

    @app.get(
        "/ready",
        tags=["service"],
        summary="Readiness: 200 while a SPARQL worker is alive, 503 while none is",
        response_model=models.Ready,
        responses=error_responses(503),
    )
    async def ready(request: Request) -> dict[str, object]:
        runner = request.app.state.sparql
        alive = runner.alive() if hasattr(runner, "alive") else None
        if alive == 0:
            raise ApiError(
                503,
                "not_ready",
                "no SPARQL worker is alive; replacements are starting",
                headers={"Retry-After": "1"},
            )
        return {"status": "ready", "workers_alive": alive}

    @app.post(
        "/admin/reload",
        tags=["service"],
        summary="Reload the Turtle files; keep the last good graph if they fail",
        response_model=models.ReloadOutcome,
        responses={
            **error_responses(403, 404, 409, 413),
            # A reload that fails validation answers with its outcome, not the error shape.
            422: {
                "model": models.ReloadOutcome,
                "description": "The files failed to load or validate; the last good graph stays",
            },
        },
    )
    def admin_reload(request: Request) -> JSONResponse:
        token = settings.reload_token
        if not token:
            raise ApiError(
                404,
                "not_found",
                "reloading over HTTP is off: set PATHWAYS_RELOAD_TOKEN to turn it on",
            )
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        # The scheme must be Bearer (a bare token was accepted before); the comparison is in
        # constant time, so response timing says nothing about the token.
        matches = hmac.compare_digest(given.strip().encode(), token.encode())
        if scheme.lower() != "bearer" or not matches:
            raise ApiError(
                403,
                "forbidden",
                "a valid reload token is required: send "
                "'Authorization: Bearer <PATHWAYS_RELOAD_TOKEN>'",
            )
        reloader: Reloader | None = getattr(request.app.state, "reloader", None)
        if reloader is None:
            raise ApiError(
                409,
                "conflict",
                "this server runs on an external store: load it with `pathways push` instead",
            )
        outcome = reloader.reload()
        return JSONResponse(vars(outcome), status_code=200 if outcome.reloaded else 422)

    @app.get(
        "/api/ping",
        tags=["service"],
        summary="A bare JSON answer (benchmark baseline)",
        response_model=models.Pong,
    )
    def ping() -> dict[str, str]:
        return {"pong": "ok"}

    site_files.install(app, site_folder)
    app.include_router(rest.router)
    app.include_router(sparql_protocol.router)
    app.include_router(linked_data.router)
    docs_ui.install(app)
    openapi.install(app)
    return app
