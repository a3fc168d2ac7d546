"""The pool of SPARQL worker processes, and the exchanges the server holds with them.

Each exchange (a client's query, a named query, a check for an external engine) is written
once, as a conversation: a generator that sends a job down the worker's pipe and yields each
time it needs the next message (``None``) or a body of raw bytes (its size). Two drivers run
the same conversations under one deadline:

- :meth:`WorkerPool.answer_async` on the server's event loop, for /sparql: it waits for the
  worker's pipe to become readable (``loop.add_reader``), so a query costs no thread and no hop
  between threads (measured: a quarter of the time of ``ASK {}``); a large body (over
  ``INLINE_BYTES``) is read in a thread, so the loop never waits on a slow copy;
- :meth:`WorkerPool._with_worker`, blocking, for callers already in a thread (named queries,
  the check for an external engine, the tests).

Either way, a worker past the deadline is stopped and replaced (QueryDeadline), one that dies
is replaced (WorkerDied, never a 500), and one whose caller went away mid-query is stopped
too, so no later query can read an answer meant for another.
"""

from __future__ import annotations

import asyncio
import importlib.machinery
import logging
import multiprocessing as mp
import queue
import shutil
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread

from pathways.graph.querying import GraphSelection, QueryDeadline, QueryFailed
from pathways.service import scratch
from pathways.service.sparql_guard import CheckedQuery, QueryRefused
from pathways.service.sparql_results import Limits, NotAcceptable
from pathways.service.sparql_workers import QueryResult, WorkerDied, WorkersBusy, worker_main

log = logging.getLogger("pathways.sparql")

T = TypeVar("T")
# A conversation yields None for the next message, or a size for a body of raw bytes.
Conversation = Generator[int | None, Any, T]

# A result body up to this size is read on the event loop (the worker has written it into
# the pipe's buffer by then); a larger one is read in a thread.
INLINE_BYTES = 64 * 1024


def _query(
    conn: Connection,
    text: str,
    accept: str | None,
    limits: Limits,
    graphs: GraphSelection | None,
) -> Conversation[tuple[QueryResult, str, str]]:
    conn.send(("query", text, accept, limits, graphs))
    status, payload = yield None
    if status == "refused":
        raise QueryRefused(*payload)
    if status == "not_acceptable":
        form, offered = payload
        raise NotAcceptable(offered, form)
    if status == "error":
        raise QueryFailed(payload)
    form, kind, truncated, count, size = payload
    body = yield size
    return QueryResult(body, truncated, count), form, kind


def _check(conn: Connection, text: str) -> Conversation[CheckedQuery]:
    conn.send(("check", text))
    status, payload = yield None
    if status == "refused":
        raise QueryRefused(*payload)
    assert isinstance(payload, CheckedQuery)
    return payload


def _named(
    conn: Connection, text: str, bindings: dict[str, Any]
) -> Conversation[tuple[list[str], list[dict[str, str | None]]]]:
    conn.send(("named", text, bindings))
    status, payload = yield None
    if status == "error":
        raise QueryFailed(payload)
    columns, rows = payload
    return columns, rows


_START = threading.Lock()


@contextmanager
def _main_not_rerun() -> Iterator[None]:
    """Start a worker without re-running the parent's main script in it.

    A spawned child runs the parent's ``__main__`` again; for `pathways serve` that is the
    console script, so every worker imported the whole CLI (FastAPI, networkx, rich, ...):
    a third of the start of `serve` and tens of MiB per worker, for nothing a worker uses.
    multiprocessing skips that step when the main module's spec names a ``__main__`` module
    (``multiprocessing.spawn._fixup_main_from_name``), so the script is named so while a
    worker starts. A main module that already has a spec (``python -m``) is left alone.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    with _START:
        main.__spec__ = importlib.machinery.ModuleSpec("pathways.__main__", None)
        try:
            yield
        finally:
            main.__spec__ = None


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection


_CONTEXT = mp.get_context("spawn")


def _spawn(memory_mb: int) -> _Worker:
    """A worker process, started; it waits to be told its graph (sparql_workers.worker_main)."""
    parent, child = _CONTEXT.Pipe()
    process = _CONTEXT.Process(target=worker_main, args=(child, memory_mb), daemon=True)
    with _main_not_rerun():
        process.start()
    child.close()
    return _Worker(process, parent)


def start_workers(size: int, memory_mb: int = 0) -> list[_Worker]:
    """``size`` workers started now, before the graph they will hold is known: a WorkerPool
    given them (``started``) tells them its graph. `pathways serve` starts them first, so that
    their own start (an interpreter, the query check's grammar: 0.2 s each) overlaps its
    importing the web framework and loading the graph instead of following them. Workers not
    given to a pool are daemons: they stop when the server's process ends."""
    return [_spawn(memory_mb) for _ in range(size)]


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class WorkerPool:
    def __init__(
        self,
        dump: Path | None,
        size: int,
        memory_mb: int = 0,
        *,
        wait: bool = True,
        started: Sequence[_Worker] = (),
    ) -> None:
        """``size`` workers over the graph in ``dump`` (N-Quads); without a dump the workers
        hold no graph and only check queries for an external engine (:meth:`check`). With
        ``wait`` false the workers start loading and the caller goes on (see :meth:`ready`).
        Workers ``started`` already (start_workers) are used first, up to ``size``."""
        self._memory_mb = memory_mb
        # Keep a private copy of the dump: a worker started later (to replace one stopped at a
        # deadline) loads it again, after the caller may have removed its own file.
        self._folder = scratch.make("workers")
        self._dump: str | None = None
        if dump is not None:
            self._dump = str(self._folder / "graph.nq")
            shutil.copyfile(dump, self._dump)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        # Exchanges on the event loop waiting for an idle worker: each is woken, from whichever
        # thread gives a worker back, through its own loop.
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()
        self._closed = False
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._busy = 0  # queries holding a worker now (see drain)
        # Whether every worker started so far runs without a network (see isolate_network).
        self.network_isolated = True
        self.isolation_problem: str | None = None
        adopted = list(started)[:size]
        with self._lock:
            self._all.extend(adopted)
        for worker in adopted:
            self._give_graph(worker)
        self._starting = [*adopted, *(self._start() for _ in range(size - len(adopted)))]
        if wait:
            self.ready()

    def ready(self) -> None:
        """Wait until every worker started with the pool has loaded the graph. The server
        starts them before it builds its roadmap index, so the two overlap (at a hundred
        times the shipped graph, each takes seconds)."""
        starting, self._starting = self._starting, []
        for worker in starting:
            self._await_ready(worker)

    def _start(self) -> _Worker:
        worker = _spawn(self._memory_mb)
        with self._lock:
            self._all.append(worker)
        self._give_graph(worker)
        return worker

    def _give_graph(self, worker: _Worker) -> None:
        # One that died starting cannot be told: _await_ready reports it, with its exit code.
        with suppress(OSError):
            worker.conn.send(("graph", self._dump))

    def _await_ready(self, worker: _Worker) -> None:
        try:
            if worker.conn.poll(60):
                status, refused = worker.conn.recv()
                if status == "ready":
                    if refused and self.network_isolated:
                        self.network_isolated = False
                        self.isolation_problem = refused
                        log.warning(
                            "SPARQL workers run with the network: %s; SERVICE is kept out by "
                            "the query check alone",
                            refused,
                        )
                    self._give_back(worker)
                    return
        except (EOFError, OSError):
            pass
        self._stop(worker)
        raise RuntimeError(
            f"a SPARQL worker could not start (exit code {worker.process.exitcode}); "
            "see the log above for its error"
        )

    def _replace(self) -> None:
        # Runs in a background thread after a deadline; the pool may be closing meanwhile.
        if self._closed:
            return
        try:
            self._await_ready(self._start())
        except (OSError, RuntimeError):
            if not self._closed:
                raise

    # Taking and giving back workers ------------------------------------------------------

    def _give_back(self, worker: _Worker) -> None:
        self._idle.put(worker)
        with self._lock:
            while self._waiters:
                loop, future = self._waiters.popleft()
                if not future.done():
                    try:
                        loop.call_soon_threadsafe(_wake, future)
                    except RuntimeError:  # that loop has closed
                        continue
                    break

    def _take_nowait(self) -> _Worker | None:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return None
            if worker.process.is_alive():
                return worker
            # It died while idle (killed from outside): replace it and take the next one.
            self._discard(worker)

    def _take(self, deadline: float) -> _Worker:
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise WorkersBusy("every SPARQL worker is busy; try again shortly") from None
            if worker.process.is_alive():
                return worker
            self._discard(worker)

    async def _take_async(self, deadline: float) -> _Worker:
        loop = asyncio.get_running_loop()
        while True:
            worker = self._take_nowait()
            if worker is not None:
                return worker
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkersBusy("every SPARQL worker is busy; try again shortly")
            future: asyncio.Future[None] = loop.create_future()
            with self._lock:
                self._waiters.append((loop, future))
            try:
                # Woken when a worker is given back; looked again at least every 50 ms, so a
                # wake-up taken by another waiter never leaves this one waiting to its deadline.
                await asyncio.wait_for(future, min(remaining, 0.05))
            except TimeoutError:
                pass
            finally:
                future.cancel()

    @contextmanager
    def _holding(self, worker: _Worker) -> Iterator[None]:
        """The worker for one exchange: given back after it, or stopped and replaced when the
        exchange cannot have finished cleanly."""
        with self._lock:
            self._busy += 1
        try:
            yield
        except (EOFError, OSError):
            # The engine can abort the process (a Rust panic) or the OOM killer can end it:
            # the request gets a 503 and the pool a new worker, never a 500 and a lost worker.
            self._discard(worker)
            raise WorkerDied(
                "the SPARQL worker stopped while evaluating this query (an engine failure, or "
                "more memory than PATHWAYS_WORKER_MEMORY_MB allows); it is being replaced"
            ) from None
        except QueryDeadline:
            raise  # that worker is already being replaced
        except Exception:
            self._give_back(worker)  # a refusal or a failed query leaves the worker ready
            raise
        except BaseException:
            # Cancelled mid-exchange: its answer may still come, so the worker cannot serve
            # another query; stop it.
            self._discard(worker)
            raise
        else:
            self._give_back(worker)
        finally:
            with self._lock:
                self._busy -= 1

    def _past_deadline(self, worker: _Worker, timeout: float) -> QueryDeadline:
        self._discard(worker)
        return QueryDeadline(f"the query ran longer than {timeout:g} s and was stopped")

    # The two drivers ---------------------------------------------------------------------

    def _with_worker(self, timeout: float, start: Callable[[Connection], Conversation[T]]) -> T:
        """Run a conversation with an idle worker (waiting for one up to ``timeout``) under
        that same deadline, blocking the calling thread."""
        deadline = time.monotonic() + timeout
        worker = self._take(deadline)
        with self._holding(worker):
            conversation = start(worker.conn)
            wanted = next(conversation)
            while True:
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    raise self._past_deadline(worker, timeout)
                message = worker.conn.recv() if wanted is None else worker.conn.recv_bytes()
                try:
                    wanted = conversation.send(message)
                except StopIteration as done:
                    result: T = done.value
                    return result

    async def _with_worker_async(
        self, timeout: float, start: Callable[[Connection], Conversation[T]]
    ) -> T:
        """The same on the event loop: it waits for the worker's pipe, never in a thread."""
        deadline = time.monotonic() + timeout
        worker = await self._take_async(deadline)
        with self._holding(worker):
            conversation = start(worker.conn)
            wanted = next(conversation)
            while True:
                await self._readable(worker, deadline, timeout)
                message: Any
                if wanted is None:
                    message = worker.conn.recv()
                elif wanted <= INLINE_BYTES:
                    message = worker.conn.recv_bytes()
                else:
                    message = await anyio.to_thread.run_sync(worker.conn.recv_bytes)
                try:
                    wanted = conversation.send(message)
                except StopIteration as done:
                    result: T = done.value
                    return result

    async def _readable(self, worker: _Worker, deadline: float, timeout: float) -> None:
        if worker.conn.poll(0):
            return
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        descriptor = worker.conn.fileno()
        loop.add_reader(descriptor, _wake, ready)
        try:
            await asyncio.wait_for(ready, max(0.0, deadline - time.monotonic()))
            late = False
        except TimeoutError:
            late = True
        finally:
            loop.remove_reader(descriptor)  # before the worker's pipe may be closed
        if late:
            raise self._past_deadline(worker, timeout)

    # The exchanges -----------------------------------------------------------------------

    def answer(
        self,
        text: str,
        accept: str | None,
        limits: Limits,
        timeout: float,
        graphs: GraphSelection | None = None,
    ) -> tuple[QueryResult, str, str]:
        """Check, evaluate and write ``text`` in a worker under one deadline, in the best
        format ``accept`` allows for its form. Returns the result, the form and the format;
        raises QueryRefused, NotAcceptable (with ``form`` and ``offered``) or QueryFailed."""
        return self._with_worker(timeout, lambda conn: _query(conn, text, accept, limits, graphs))

    async def answer_async(
        self,
        text: str,
        accept: str | None,
        limits: Limits,
        timeout: float,
        graphs: GraphSelection | None = None,
    ) -> tuple[QueryResult, str, str]:
        """:meth:`answer`, on the event loop."""
        return await self._with_worker_async(
            timeout, lambda conn: _query(conn, text, accept, limits, graphs)
        )

    def check(self, text: str, timeout: float) -> CheckedQuery:
        """Only the check, in a worker under the deadline: for an external engine, which then
        evaluates the checked text itself."""
        return self._with_worker(timeout, lambda conn: _check(conn, text))

    def run_named(
        self, text: str, bindings: dict[str, Any], timeout: float
    ) -> tuple[list[str], list[dict[str, str | None]]]:
        """A named query in a worker, under the same deadline as /sparql."""
        return self._with_worker(timeout, lambda conn: _named(conn, text, bindings))

    # Life and death ----------------------------------------------------------------------

    def _discard(self, worker: _Worker) -> None:
        """Stop a worker that can no longer be used and start its replacement."""
        self._stop(worker)
        threading.Thread(target=self._replace, daemon=True).start()

    def alive(self) -> int:
        """How many workers are running (busy or idle)."""
        with self._lock:
            return sum(1 for worker in self._all if worker.process.is_alive())

    def _stop(self, worker: _Worker) -> None:
        # Once only: a deadline and a closing pool (a drained reload) can race to stop the
        # same worker, and closing its pipe twice raises.
        with self._lock:
            if worker not in self._all:
                return
            self._all.remove(worker)
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def drain(self, grace: float) -> threading.Thread:
        """Close the pool once no query holds a worker, or after ``grace`` seconds: a reload
        swaps in a new pool and lets the queries already running on this one finish."""

        def wait_then_close() -> None:
            stop = time.monotonic() + grace
            while time.monotonic() < stop:
                with self._lock:
                    if self._busy == 0:
                        break
                time.sleep(0.05)
            self.close()

        thread = threading.Thread(target=wait_then_close, daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._stop(worker)
        shutil.rmtree(self._folder, ignore_errors=True)
