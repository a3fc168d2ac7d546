"""Reloading the served graph when its Turtle files change, keeping the last good graph on failure.

A reload reads every file again, validates, and only then swaps in the new graph, its index, its
pages (built from it on demand) and its SPARQL workers. A file that fails (syntax or
validation) changes nothing served; the reason is logged and returned. Reloads come from
`pathways serve --reload-on-change` (a watcher thread) or from POST /admin/reload with the
reload token.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pathways.careers.index_store import served_index
from pathways.graph.inference import materialise
from pathways.graph.loader import GraphLoadError, discover, load
from pathways.graph.resources import ontology_dir
from pathways.graph.validation import ValidationSetupError
from pathways.graph.verdicts import validated
from pathways.service import scratch
from pathways.service.site_files import Pages
from pathways.service.sparql_pool import WorkerPool

log = logging.getLogger("pathways.reload")


@dataclass
class ReloadOutcome:
    reloaded: bool
    message: str
    triples: int
    problems: list[dict[str, Any]]


class Reloader:
    def __init__(self, app: Any, extra: Sequence[Path], workers: int) -> None:
        self.app = app
        self.extra = list(extra)
        self.workers = workers
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def sources(self) -> list[Path]:
        return [ontology_dir(), *self.extra]

    def fingerprint(self) -> tuple[tuple[str, int], ...]:
        try:
            files = discover(self.sources())
        except GraphLoadError:
            return ()
        return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in files if p.exists()))

    def reload(self) -> ReloadOutcome:
        with self._lock:
            current = self.app.state.graph.triple_count
            try:
                limit = self.app.state.settings.max_turtle_bytes
                loaded = load(self.extra, max_file_bytes=limit)
                report = validated(loaded, self.app.state.settings.verdict_folder)
            except (GraphLoadError, ValidationSetupError) as error:
                text = error.describe() if isinstance(error, GraphLoadError) else str(error)
                log.error("reload refused, still serving the last good graph: %s", text)
                problem = (
                    error.as_dict() if isinstance(error, GraphLoadError) else {"message": text}
                )
                return ReloadOutcome(False, f"not reloaded: {text}", current, [problem])
            if not report.conforms:
                problems = [vars(f) for f in report.findings if f.severity == "violation"]
                first = problems[0]
                log.error(
                    "reload refused (%d violations), still serving the last good graph; "
                    "first: %s:%s %s",
                    len(problems),
                    first.get("file"),
                    first.get("line"),
                    first.get("message"),
                )
                return ReloadOutcome(
                    False, f"not reloaded: {len(problems)} violations", current, problems
                )
            served = materialise(loaded)
            served_index(served, self.app.state.settings.verdict_folder)
            self._swap(served)
            log.info("reloaded: %d triples from %d files", served.triple_count, len(loaded.files))
            return ReloadOutcome(True, "reloaded", served.triple_count, [])

    def _swap(self, served: Any) -> None:
        state = self.app.state
        # The workers load the dump when they start and never read it again, so it can go.
        with scratch.folder("dump") as folder:
            dump = Path(folder) / "graph.nq"
            served.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
            pool = WorkerPool(dump, self.workers, self.app.state.settings.worker_memory_mb)
        old_pool = state.sparql
        # The pages are built from the new graph as they are asked for; the library they
        # share does not depend on the graph.
        state.pages = Pages(served)
        state.graph = served
        state.sparql = pool
        # Queries already running on the old pool finish there (a request keeps the pool it
        # started with); it closes when they are done, or at their deadline at the latest.
        if hasattr(old_pool, "drain"):
            old_pool.drain(self.app.state.settings.query_timeout + 1)
        elif hasattr(old_pool, "close"):
            old_pool.close()

    def watch(self, interval: float = 1.0) -> threading.Thread:
        """Poll the files' modification times and reload when they change."""
        seen = self.fingerprint()

        def loop() -> None:
            nonlocal seen
            while not self._stop.wait(interval):
                now = self.fingerprint()
                if now != seen:
                    seen = now
                    time.sleep(0.2)  # let an editor finish writing
                    self.reload()

        thread = threading.Thread(target=loop, name="pathways-reload", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
