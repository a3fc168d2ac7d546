"""Run on an external SPARQL 1.1 engine: a store that answers over HTTP, and `push` to load it.

The roadmap engine and the API only ask a store for ``query(text, substitutions=...)`` and
``quads_for_pattern(...)``; :class:`RemoteStore` answers both through the SPARQL 1.1 Protocol so
the same service layer runs on the embedded store or on an existing engine. Bound parameters are
written into the text from pyoxigraph terms (sparql_text.bind), never from the caller's raw text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Generator, Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from pathways.graph.querying import GraphSelection, QueryDeadline, QueryFailed
from pathways.graph.sparql_text import bind, query_form

_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"


class RemoteStoreError(RuntimeError):
    """The external engine could not be reached or refused the request."""


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
        text = bind(query, substitutions or {})
        # Ask for one format, chosen by the form: offered both, Virtuoso answers a CONSTRUCT
        # as a SELECT-style JSON table of ?s ?p ?o, with blank nodes written as IRIs "_:vb1".
        graph = query_form(text) in {"CONSTRUCT", "DESCRIBE"}
        response = self._post(text, _TRIPLES if graph else _RESULTS, graphs)
        if graph:
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


class _Credentials(httpx.Auth):
    """The user and password of a push URL, sent in the scheme the server asks for: Virtuoso's
    authenticated Graph Store endpoint asks for Digest, a proxy in front of another engine
    usually for Basic. The first request goes without them, so its 401 names the scheme."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield request
        if response.status_code != 401:
            return
        if response.headers.get("www-authenticate", "").lower().startswith("digest"):
            flow = self._digest.auth_flow(request)
            next(flow)  # the digest flow's own unauthenticated request: answered above
            yield flow.send(response)
        else:
            yield from self._basic.auth_flow(request)


def _split_credentials(url: str) -> tuple[str, _Credentials | None]:
    """The URL without its user:password part, and those credentials (None without them)."""
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.netloc.rpartition("@")[2]
    credentials = _Credentials(unquote(parts.username), unquote(parts.password or ""))
    return urlunsplit(parts._replace(netloc=host)), credentials


def redact(url: str) -> str:
    """The URL as it may be printed: a password in it is replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _readable(text: str) -> str:
    """An error page as one line of text (Virtuoso answers errors in HTML)."""
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())[:300]


_PUSH_ATTEMPTS = 3


def push(url: str, data: bytes, timeout: float = 60.0) -> int:
    """Replace a graph at a Graph Store Protocol endpoint with ``data`` (N-Triples): the graph a
    query string names (``?graph=IRI``), else the default graph (``?default``). A user and
    password in the URL (``http://user:password@host/...``) are sent as the server asks, in
    Basic or Digest, and never printed."""
    plain, credentials = _split_credentials(url)
    target = plain if urlsplit(plain).query else f"{plain}?default"
    answer: tuple[int, str] | None = None
    for attempt in range(_PUSH_ATTEMPTS):
        try:
            answer = _put(target, data, timeout, credentials)
            break
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as err:
            # An engine that answers an error (401, 400) before it has read the upload
            # (Virtuoso does) may close or reset the connection under it: httpx then reports
            # a closed connection, or a reset on reading or writing. The PUT replaces the
            # whole graph, so it is safe to send again. A refused connection is not retried.
            if attempt + 1 == _PUSH_ATTEMPTS:
                raise RemoteStoreError(
                    f"cannot reach the Graph Store endpoint {target}: {err}"
                ) from err
            time.sleep(0.2 * (attempt + 1))
        except httpx.HTTPError as err:
            raise RemoteStoreError(
                f"cannot reach the Graph Store endpoint {target}: {err}"
            ) from err
    assert answer is not None
    status, text = answer
    if status == 401:
        raise RemoteStoreError(
            f"{target} answered 401: it wants a user and password"
            + (" and refused these" if credentials else "")
            + "; give them in the URL, http://user:password@host/..."
        )
    if status >= 400:
        raise RemoteStoreError(f"{target} answered {status}: {_readable(text)}")
    return status


def _put(target: str, data: bytes, timeout: float, credentials: Any) -> tuple[int, str]:
    """The PUT's status and body. The status is read first: an engine that refuses the upload
    may close the connection in the middle of its error page (Virtuoso's 401, after a wrong
    password: "incomplete chunked read", three times running in CI), and the status is the
    answer; the page is only its wording. The authentication handshake is run here, not by
    httpx, which reads each challenge's page before answering it and failed on the same cut
    (CI again): a challenge needs only its headers."""
    with httpx.Client(timeout=timeout) as client:
        request = client.build_request(
            "PUT", target, content=data, headers={"Content-Type": _TRIPLES}
        )
        flow = credentials.auth_flow(request) if credentials is not None else None
        if flow is not None:
            request = next(flow)
        while True:
            status, text, response = _send_reading_status_first(client, request)
            if flow is None:
                return status, text
            try:
                request = flow.send(response)
            except StopIteration:
                return status, text


def _send_reading_status_first(
    client: httpx.Client, request: httpx.Request
) -> tuple[int, str, httpx.Response]:
    response = client.send(request, stream=True)
    try:
        text = response.read().decode("utf-8", errors="replace")
    except (httpx.RemoteProtocolError, httpx.ReadError):
        if response.status_code < 400:
            raise
        text = ""
    finally:
        response.close()
    return response.status_code, text, response
