"""Run on an external SPARQL 1.1 engine: a store that answers over HTTP, and `push` to load it.

The roadmap engine and the API only ask a store for ``query(text, substitutions=...)`` and
``quads_for_pattern(...)``; :class:`RemoteStore` answers both through the SPARQL 1.1 Protocol so
the same service layer runs on the embedded store or on an existing engine. Bound parameters are
sent as a trailing ``VALUES`` block written from pyoxigraph terms (their N-Triples form, which
escapes every character that could end a term), never from the caller's raw text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from .sparql_results import Limits, NotAcceptable, negotiate
from .sparql_workers import (
    GraphSelection,
    QueryDeadline,
    QueryFailed,
    QueryResult,
    WorkerPool,
    shape_result,
)

_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"


class RemoteStoreError(RuntimeError):
    """The external engine could not be reached or refused the request."""


def _values_block(substitutions: Mapping[ox.Variable, Any]) -> str:
    if not substitutions:
        return ""
    names = " ".join(f"?{variable.value}" for variable in substitutions)
    terms = " ".join(str(term) for term in substitutions.values())
    return f"\nVALUES ({names}) {{ ({terms}) }}"


class RemoteStore:
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout
        self._client = httpx.Client(timeout=timeout)

    def _post(self, text: str, accept: str, graphs: GraphSelection | None = None) -> httpx.Response:
        form: dict[str, str | list[str]] = {"query": text}
        if graphs is not None:
            # Passed on as the protocol's own parameters: the engine selects among its graphs.
            form["default-graph-uri"] = list(graphs.default)
            form["named-graph-uri"] = list(graphs.named)
        try:
            response = self._client.post(self.url, data=form, headers={"Accept": accept})
        except httpx.TimeoutException as err:
            raise QueryDeadline(
                f"the external store did not answer within {self.timeout:g} s"
            ) from err
        except httpx.HTTPError as err:
            raise RemoteStoreError(f"cannot reach the SPARQL endpoint {self.url}: {err}") from err
        if response.status_code >= 400:
            raise QueryFailed(f"{self.url} answered {response.status_code}: {response.text[:300]}")
        return response

    def query(
        self,
        query: str,
        *,
        substitutions: Mapping[ox.Variable, Any] | None = None,
        graphs: GraphSelection | None = None,
        **_: Any,
    ) -> Any:
        text = query + _values_block(substitutions or {})
        response = self._post(text, f"{_RESULTS}, {_TRIPLES};q=0.9", graphs)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media == _TRIPLES:
            return [
                quad.triple for quad in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)
            ]
        return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)

    def quads_for_pattern(
        self,
        subject: Any,
        predicate: Any,
        object: Any,
        graph_name: Any = None,
    ) -> Iterator[ox.Quad]:
        bindings = {
            ox.Variable(name): term
            for name, term in (("s", subject), ("p", predicate), ("o", object))
            if term is not None
        }
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", substitutions=bindings)
        for triple in triples:
            yield ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph())

    def __len__(self) -> int:
        solutions = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(solutions))["n"].value)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None)

    def dump(
        self,
        output: Any = None,
        format: Any = None,
        *,
        from_graph: Any = None,
    ) -> bytes | None:
        data = ox.serialize([q.triple for q in self], format=ox.RdfFormat.N_TRIPLES)
        if output is None:
            return data
        with open(output, "wb") as handle:
            handle.write(data or b"")
        return None


class RemoteRunner:
    """Answers /sparql by forwarding to the external engine under the same deadline and cap.

    The check runs where it runs for the embedded store, in worker processes under the
    deadline (``checker``, a pool holding no graph): parsing a hostile query can recurse deeply
    or take long, and must not do so in the server. The engine, another server, evaluates.
    """

    def __init__(self, store: RemoteStore, checker: WorkerPool) -> None:
        self.store = store
        self.checker = checker

    def answer(
        self,
        text: str,
        accept: str | None,
        limits: Limits,
        timeout: float,
        graphs: GraphSelection | None = None,
    ) -> tuple[QueryResult, str, str]:
        """The same contract as the worker pool's: check, choose the format, evaluate."""
        checked = self.checker.check(text, timeout)
        try:
            kind = negotiate(accept, checked.form)
        except NotAcceptable as error:
            raise NotAcceptable(error.offered, checked.form) from None
        result = self.store.query(checked.text, graphs=graphs)
        return shape_result(result, kind, limits), checked.form, kind

    def alive(self) -> int:
        return self.checker.alive()

    def close(self) -> None:
        self.checker.close()


def push(url: str, data: bytes, timeout: float = 60.0) -> int:
    """Replace the default graph at a Graph Store Protocol endpoint with ``data`` (N-Triples)."""
    target = url if urlsplit(url).query else f"{url}?default"
    try:
        response = httpx.put(
            target, content=data, headers={"Content-Type": _TRIPLES}, timeout=timeout
        )
    except httpx.HTTPError as err:
        raise RemoteStoreError(f"cannot reach the Graph Store endpoint {target}: {err}") from err
    if response.status_code >= 400:
        raise RemoteStoreError(f"{target} answered {response.status_code}: {response.text[:300]}")
    return response.status_code
