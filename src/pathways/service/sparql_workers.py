"""SPARQL evaluation in worker processes that can be stopped at a deadline.

A thread cannot be interrupted in the middle of an Oxigraph evaluation, so each query runs in a
separate process holding its own copy of the graph (loaded from an N-Quads dump). At the deadline
the process is killed and a fresh one is started in the background; the server itself never
blocks, so /health keeps answering while a pathological query is being stopped.

No request leaves a worker, by construction: each one moves itself into a network namespace of
its own before it reads the graph (Linux unshare(2): CLONE_NEWNET as root, or with
CLONE_NEWUSER where unprivileged user namespaces are allowed). There it has only a loopback
interface that is down, so Oxigraph's SERVICE client can open no connection, whatever a query
says. The pipe to the server was opened before and is not a network socket. Where the platform
allows neither, the worker says so, the server logs a warning and /health reports
``sparql_network_isolated: false``; SERVICE is then kept out by the query check alone.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from pathways.graph.querying import GraphSelection
from pathways.service.sparql_guard import (
    CheckedQuery,
    QueryRefused,
    check_query,
    parser,
    plainly_safe,
    prepare,
)
from pathways.service.sparql_results import (
    Limits,
    NotAcceptable,
    negotiate,
    row_size,
    take,
    triple_size,
    write_boolean,
    write_solutions,
    write_triples,
)

log = logging.getLogger("pathways.sparql")


class WorkersBusy(Exception):
    """No worker became free before the deadline."""


class WorkerDied(Exception):
    """The worker evaluating the query died (a panic in the engine, the OOM killer)."""


@dataclass(frozen=True)
class QueryResult:
    body: bytes
    truncated: bool
    count: int


def run(store: ox.Store, text: str, graphs: GraphSelection | None = None) -> Any:
    """The engine's answer to ``text``, over the graphs the request selects."""
    if graphs is None:
        return store.query(text)
    return store.query(
        text, default_graph=graphs.default_graphs(), named_graphs=list(graphs.named_nodes())
    )


def form_of(result: Any, text: str) -> str:
    """The query's form, read from the engine's answer (a DESCRIBE and a CONSTRUCT both
    answer triples; the text tells them apart, for messages only)."""
    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    if isinstance(result, ox.QuerySolutions):
        return "SELECT"
    return "DESCRIBE" if _DESCRIBE.search(text) and not _CONSTRUCT.search(text) else "CONSTRUCT"


_DESCRIBE = re.compile(r"\bDESCRIBE\b", re.IGNORECASE)
_CONSTRUCT = re.compile(r"\bCONSTRUCT\b", re.IGNORECASE)


def answer_query(
    store: ox.Store,
    text: str,
    accept: str | None,
    limits: Limits,
    graphs: GraphSelection | None = None,
) -> tuple[QueryResult, str, str]:
    """Check, evaluate and write a client's query: the result, its form and its format.

    Raises QueryRefused (the check), NotAcceptable (no format of ``accept`` fits the form) or
    any error of the engine. A query that is plainly safe (sparql_guard.plainly_safe) goes
    straight to the engine, which parses it itself; any other, and any the engine cannot
    parse, takes the full check first, so refusals say why (an update, SERVICE, a function).
    """
    prepared = prepare(text)
    result: Any = None
    if plainly_safe(prepared):
        try:
            result = run(store, prepared, graphs)
        except SyntaxError:
            result = None  # the full check below says what is wrong, as an update or not
    if result is None:
        checked = check_query(text)
        result = run(store, checked.text, graphs)
        form = checked.form
    else:
        form = form_of(result, prepared)
    try:
        kind = negotiate(accept, form)
    except NotAcceptable as error:
        raise NotAcceptable(error.offered, form) from None
    return shape_result(result, kind, limits), form, kind


def shape_result(result: Any, kind: str, limits: Limits) -> QueryResult:
    """Write an engine's result in ``kind``, cut at ``limits`` (rows and bytes); both the
    embedded workers and the external-store runner answer through here."""
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(write_boolean(kind, bool(result)), False, 1)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated = take(
            ([solution[v] for v in variables] for solution in result), limits, row_size
        )
        return QueryResult(write_solutions(kind, variables, rows), truncated, len(rows))
    triples, truncated = take(result, limits, triple_size)
    return QueryResult(write_triples(kind, triples), truncated, len(triples))


def evaluate_named(
    store: ox.Store, text: str, bindings: dict[str, Any]
) -> tuple[list[str], list[dict[str, str | None]]]:
    """A named SELECT with its parameters bound: column names, and rows of term values."""
    substitutions = {ox.Variable(name): term for name, term in bindings.items()}
    solutions = store.query(text, substitutions=substitutions)
    if not isinstance(solutions, ox.QuerySolutions):
        raise ValueError("only SELECT queries can be run by name")
    columns = [v.value for v in solutions.variables]
    rows = [
        {c: None if solution[c] is None else str(solution[c].value) for c in columns}
        for solution in solutions
    ]
    return columns, rows


CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def isolate_network() -> str | None:
    """Move this process into a network namespace of its own; None when done, else why not."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces are a Linux facility ({sys.platform})"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as error:
        return f"the C library could not be loaded ({error})"
    reasons = []
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return None
        reasons.append(os.strerror(ctypes.get_errno()))
    return "unshare(2) was refused: " + "; ".join(dict.fromkeys(reasons))


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space: an allocation past it fails, and the engine (Rust)
    aborts the process, which the pool replaces; one query cannot take the machine's memory."""
    if megabytes > 0:
        import resource

        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))


# The query check (rdflib's pyparsing grammar) recurses once per level of nesting, many
# frames deep. A worker evaluates in a thread with a large stack and a raised recursion limit,
# so valid queries with 300 triple patterns or 38 nested groups are checked, while a query
# nested thousands of levels deep still ends in a RecursionError (400), never a crash. The
# limits were measured: 64 MiB holds 20,000 frames of the check with room to spare.
WORKER_STACK_BYTES = 64 * 1024 * 1024
WORKER_RECURSION_LIMIT = 20_000


def worker_main(conn: Connection, memory_mb: int = 0) -> None:
    """A worker's life: isolated, capped and its query check ready (the grammar every check
    needs, 0.1 s) before it is told the graph it holds, a ``("graph", path or None)`` message;
    then it says it is ready and answers jobs until told to stop. The server can so start its
    workers before it has the graph, and their start overlaps its own
    (sparql_pool.start_workers)."""
    refused = isolate_network()
    limit_memory(memory_mb)
    parser()
    try:
        _, dump = conn.recv()
    except (EOFError, OSError):
        return  # the server stopped before it had a graph for this worker
    store = ox.Store()
    if dump is not None:
        store.load(path=dump, format=ox.RdfFormat.N_QUADS)
    sys.setrecursionlimit(WORKER_RECURSION_LIMIT)
    threading.stack_size(WORKER_STACK_BYTES)
    serving = threading.Thread(target=_serve, args=(conn, store, refused), name="sparql-worker")
    serving.start()
    serving.join()


def _check(conn: Connection, text: str) -> CheckedQuery | None:
    """The check of a query sent by a client; a refusal is reported and gives None."""
    try:
        return check_query(text)
    except QueryRefused as refusal:
        conn.send(("refused", (refusal.status, refusal.code, refusal.message)))
    except RecursionError:
        conn.send(("refused", (400, "malformed_query", "the query nests too deeply")))
    return None


def _serve(conn: Connection, store: ox.Store, refused: str | None) -> None:
    conn.send(("ready", refused))
    while True:
        job = conn.recv()
        if job is None:
            return
        kind = job[0]
        if kind == "named":
            # A named query: trusted text from queries/, parameters bound, never spliced.
            _, text, bindings = job
            try:
                conn.send(("ok", evaluate_named(store, text, bindings)))
            except Exception as err:  # report any evaluation failure to the caller
                conn.send(("error", str(err)))
            continue
        if kind == "check":
            # For an external engine: only the check runs here, the engine evaluates.
            checked = _check(conn, job[1])
            if checked is not None:
                conn.send(("checked", checked))
            continue
        # A client's query, answered in one exchange: the check (parsing a hostile query can
        # take long or recurse deeply: here it does so under the deadline, in a process that
        # can be stopped, not on the server's event loop), the evaluation and the writing.
        _, text, accept, limits, graphs = job
        try:
            result, form, kind = answer_query(store, text, accept, limits, graphs)
        except QueryRefused as refusal:
            conn.send(("refused", (refusal.status, refusal.code, refusal.message)))
        except RecursionError:
            conn.send(("refused", (400, "malformed_query", "the query nests too deeply")))
        except NotAcceptable as error:
            conn.send(("not_acceptable", (error.form, error.offered)))
        except Exception as err:  # report any evaluation failure to the caller
            conn.send(("error", str(err)))
        else:
            # A small header, then the body as raw bytes: the server reads the header on its
            # event loop, and knows from the size whether the body may be read there too.
            header = (form, kind, result.truncated, result.count, len(result.body))
            conn.send(("ok", header))
            conn.send_bytes(result.body)
