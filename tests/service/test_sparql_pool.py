"""The pool of SPARQL worker processes: what the workers load, and the exchanges with them."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from pathways.graph.querying import QueryDeadline
from pathways.service.sparql_pool import INLINE_BYTES, WorkerPool
from pathways.service.sparql_results import Limits

# Run as a script, as the `pathways` console script is: its main module has no spec, so a
# spawned child would run it again, importing the whole CLI.
SCRIPT = """
import sys
from pathlib import Path

from pathways.cli import main  # what the console script imports: FastAPI, pydantic, ...
from pathways.service.sparql_pool import WorkerPool

if __name__ == "__main__":
    dump = Path(sys.argv[1])
    dump.write_text("")
    pool = WorkerPool(dump, 1)
    (worker,) = pool._all
    maps = Path(f"/proc/{worker.process.pid}/maps").read_text()
    print("pydantic_core" in maps, "pyoxigraph" in maps)
    pool.close()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_do_not_import_the_cli(tmp_path):
    """Regression: each worker re-ran the console script and imported the whole CLI (33% of
    `serve` start, +43 MiB per worker). pydantic_core, a compiled module FastAPI loads and a
    worker never needs, shows in a process's memory map if it was imported."""
    script = tmp_path / "serve_like.py"
    script.write_text(SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "graph.nq")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


@pytest.fixture(scope="module")
def pool(shipped, tmp_path_factory):
    import pyoxigraph as ox

    dump = tmp_path_factory.mktemp("pool") / "graph.nq"
    shipped.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    workers = WorkerPool(dump, 1)
    yield workers
    workers.close()


LIMITS = Limits(100_000, 1 << 24)


def test_a_large_answer_is_read_whole_on_the_event_loop_path(pool):
    """Bodies over INLINE_BYTES are read in a thread, the rest on the loop: both whole."""
    import asyncio

    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 3000"
    result, form, kind = asyncio.run(pool.answer_async(query, "text/csv", LIMITS, 10))
    assert (form, kind, result.count) == ("SELECT", "csv", 3000)
    assert len(result.body) > INLINE_BYTES
    assert len(result.body.decode().splitlines()) == 3001
    blocking, _, _ = pool.answer(query, "text/csv", LIMITS, 10)
    assert blocking.body == result.body
    small, _, _ = asyncio.run(pool.answer_async("ASK {}", None, LIMITS, 10))
    assert small.body.startswith(b"{") and small.count == 1


def test_a_cancelled_exchange_stops_its_worker(pool):
    """A query whose caller goes away mid-evaluation must not leave its answer in the pipe
    for the next query to read: that worker is stopped and replaced."""
    import asyncio

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

    async def cancel_one() -> None:
        task = asyncio.create_task(pool.answer_async(slow, None, LIMITS, 30))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_one())
    result, form, _ = pool.answer("SELECT ?x WHERE { VALUES ?x { 42 } }", None, LIMITS, 30)
    assert form == "SELECT" and b'"42"' in result.body
    assert pool.alive() == 1


def test_the_deadline_holds_on_the_event_loop_path(pool):
    import asyncio

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    with pytest.raises(QueryDeadline):
        asyncio.run(pool.answer_async(slow, None, LIMITS, 0.5))
    assert time.monotonic() - started < 2
    result, _, _ = pool.answer("ASK {}", None, LIMITS, 30)
    assert result.count == 1


def test_a_pool_uses_the_workers_started_before_it_had_a_graph(shipped, tmp_path):
    """`pathways serve` starts its workers first (start_workers), so that their start overlaps
    its own; the pool tells them the graph instead of starting others."""
    import pyoxigraph as ox

    from pathways.service.sparql_pool import start_workers

    started = start_workers(1)
    dump = tmp_path / "graph.nq"
    shipped.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    pool = WorkerPool(dump, 1, started=started)
    try:
        assert pool._all == started and pool.alive() == 1
        result, form, _ = pool.answer(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/csv", LIMITS, 10
        )
        assert form == "SELECT"
        assert int(result.body.decode().split()[1]) == shipped.triple_count
    finally:
        pool.close()


def test_a_started_worker_never_given_a_graph_ends_with_its_server():
    """A worker started for a server that then stops (its graph failed validation) ends when
    its pipe closes; it does not wait for ever."""
    from pathways.service.sparql_pool import start_workers

    (worker,) = start_workers(1)
    worker.conn.close()
    worker.process.join(60)
    assert worker.process.exitcode == 0
