"""Running on an external engine: a real `oxigraph serve` on loopback, loaded by `pathways push`,
gives the same roadmaps as the embedded store."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from test_serve import free_port, pathways

from conftest import DATA, run_cli
from pathways.careers.roadmap import RoadmapRequest, build_roadmap
from pathways.graph.inference import materialise
from pathways.graph.loader import LoadedGraph
from pathways.graph.remote import RemoteStore, RemoteStoreError, push

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory, shipped):
    if not Path(OXIGRAPH).exists():
        pytest.fail("the oxigraph server (PyPI package 'oxigraph', in the test extras) is missing")
    port = free_port()
    process = subprocess.Popen(
        [
            OXIGRAPH,
            "serve",
            "--location",
            str(tmp_path_factory.mktemp("oxigraph")),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("oxigraph serve did not start")
    result = run_cli("push", f"{base}/store")
    assert result.exit_code == 0, result.output + result.stderr
    served = materialise(shipped).triple_count
    inferred = served - shipped.triple_count
    assert f"pushed {served} triples ({inferred} inferred)" in result.output
    yield base
    process.terminate()
    process.wait(10)


def test_remote_store_has_the_pushed_graph(oxigraph_server, shipped):
    assert len(RemoteStore(f"{oxigraph_server}/query")) == materialise(shipped).triple_count


@pytest.mark.parametrize(
    "start",
    [
        "role-pwp",
        "role-clinical-psychologist",
        "role-counsellor",
        "role-emhp-trainee",
        "role-forensic-psychologist-trainee-hmpps",
    ],
)
def test_same_roadmaps_as_the_embedded_store(oxigraph_server, shipped, start):
    remote = LoadedGraph(store=RemoteStore(f"{oxigraph_server}/query"), files=shipped.files)
    request = RoadmapRequest(start=start, k=3, positive_action=("minority-ethnic",))
    assert build_roadmap(remote, request).as_dict() == build_roadmap(shipped, request).as_dict()


def test_serve_on_the_external_store(oxigraph_server):
    port = free_port()
    process = pathways(
        "serve",
        "--port",
        str(port),
        "--store",
        f"{oxigraph_server}/query",
        env={"PATHWAYS_MAX_ROWS": "100"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                health = httpx.get(f"{base}/health", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("server on the external store did not start")
        assert health["store"] == f"{oxigraph_server}/query"
        roadmap = httpx.get(f"{base}/api/roadmap/role-pwp", params={"k": 1}).json()
        assert roadmap["routes"][0]["steps"][0]["to"]["id"] == "role-pwp-senior"
        rows = httpx.get(
            f"{base}/sparql",
            params={"query": "SELECT * WHERE { ?s ?p ?o }"},
            headers={"Accept": "text/csv"},
            timeout=10,
        )
        assert rows.headers["x-pathways-truncated"] == "true"
    finally:
        process.terminate()
        process.wait(10)


def test_push_refuses_a_graph_that_fails_validation(oxigraph_server):
    result = run_cli(
        "push", f"{oxigraph_server}/store", "--extend", str(DATA / "missing-label.ttl")
    )
    assert result.exit_code == 1 and "not pushed" in result.stderr


def test_push_to_nowhere_is_a_clear_error():
    with pytest.raises(RemoteStoreError, match="cannot reach"):
        push(f"http://127.0.0.1:{free_port()}/store", b"")
    result = run_cli("push", f"http://127.0.0.1:{free_port()}/store")
    assert result.exit_code == 2 and "cannot reach" in result.stderr


def test_bindings_reach_the_remote_as_terms_not_text(oxigraph_server):
    store = RemoteStore(f"{oxigraph_server}/query")
    hostile = ox.Literal('PWP"@en } UNION { ?s ?p ?o } #', language="en")
    rows = list(
        store.query(
            "SELECT ?label ?x WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
            substitutions={ox.Variable("label"): hostile},
        )
    )
    assert rows == []


@pytest.fixture(scope="module")
def remote_client(oxigraph_server, shipped):
    """The app on the external store, in process (the linked-data routes need no server)."""
    from fastapi.testclient import TestClient

    from pathways.service.api import create_app
    from pathways.service.settings import Settings

    settings = Settings(store=f"{oxigraph_server}/query", query_timeout=10)
    with TestClient(create_app(settings, shipped)) as client:
        yield client


RDF_TYPES = [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
]


def _graph(response: httpx.Response, fmt: ox.RdfFormat) -> set[ox.Triple]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith(fmt.media_type)
    return {quad.triple for quad in ox.parse(response.content, format=fmt)}


def _shape(triples: set[ox.Triple]) -> list[tuple[str, str, str]]:
    """Triples with blank node labels erased: two stores label the same graph differently."""

    def text(term: object) -> str:
        return "_:" if isinstance(term, ox.BlankNode) else str(term)

    return sorted((text(t.subject), text(t.predicate), text(t.object)) for t in triples)


@pytest.mark.parametrize(("accept", "fmt"), RDF_TYPES, ids=[a for a, _ in RDF_TYPES])
def test_regression_def_on_an_external_store_was_a_500(remote_client, client, accept, fmt):
    # /def followed each blank node with a query naming it in VALUES, which SPARQL forbids
    # (and another response labels blank nodes afresh): the engine answered 400, /def 500.
    remote = _graph(remote_client.get("/def", headers={"Accept": accept}), fmt)
    embedded = _graph(client.get("/def", headers={"Accept": accept}), fmt)
    assert _shape(remote) == _shape(embedded)
    chains = [t for t in remote if t.predicate.value.endswith("#propertyChainAxiom")]
    assert len(chains) == 1 and isinstance(chains[0].object, ox.BlankNode)
    # The list the axiom points at came in the same response, so it can be followed.
    assert any(t.subject == chains[0].object for t in remote)


@pytest.mark.parametrize(("accept", "fmt"), RDF_TYPES, ids=[a for a, _ in RDF_TYPES])
@pytest.mark.parametrize("local", ["role-pwp", "profession-clinical-psychologist"])
def test_id_on_an_external_store_in_each_format(remote_client, client, accept, fmt, local):
    remote = _graph(remote_client.get(f"/id/{local}", headers={"Accept": accept}), fmt)
    embedded = _graph(client.get(f"/id/{local}", headers={"Accept": accept}), fmt)
    assert remote == embedded and len(remote) > 8


def test_id_on_an_external_store_redirects_a_browser_and_404s_the_unknown(remote_client):
    page = remote_client.get(
        "/id/role-pwp", headers={"Accept": "text/html"}, follow_redirects=False
    )
    assert page.status_code == 303 and page.headers["location"] == "/site/roles/role-pwp.html"
    missing = remote_client.get("/id/role-pwpx", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and "role-pwp" in missing.json()["error"]["suggestions"]


def test_readme_commands_for_oxigraph(oxigraph_server, shipped):
    from test_readme import store_commands

    commands = store_commands("127.0.0.1:7878")
    assert [c[0] for c in commands] == ["push", "serve", "push", "serve"]
    here = oxigraph_server.removeprefix("http://")
    for args in ([a.replace("127.0.0.1:7878", here) for a in c] for c in commands):
        if args[0] == "push":
            result = run_cli(*args)
            assert result.exit_code == 0, result.output + result.stderr
        else:  # what serve --store reads there: the pushed graph, whole, and nothing else
            assert len(RemoteStore(args[2])) == materialise(shipped).triple_count


def test_push_sends_url_credentials_as_basic_when_the_server_asks_for_basic():
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen: list[str | None] = []

    class BasicOnly(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(self.headers.get("Authorization"))
            if self.headers.get("Authorization") == "Basic " + base64.b64encode(b"u:p w").decode():
                self.send_response(204)
            else:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="graphs"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return None

    server = HTTPServer(("127.0.0.1", 0), BasicOnly)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        assert push(f"http://u:p%20w@127.0.0.1:{port}/store", b"") == 204
        assert seen[0] is None and seen[1] is not None  # asked first, then answered in Basic
        with pytest.raises(RemoteStoreError, match="401: it wants a user and password and refused"):
            push(f"http://u:wrong@127.0.0.1:{port}/store", b"")
    finally:
        server.shutdown()


def test_push_sends_again_when_the_engine_drops_the_connection():
    """Regression (CI, Virtuoso): an engine that answers before it has read the upload may
    close the connection under it; push failed at once. The PUT replaces the whole graph, so
    it is sent again (up to three times)."""
    import socket
    import threading

    from pathways.graph.remote import push

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    seen = []

    def serve() -> None:
        for number in range(2):
            conn, _ = listener.accept()
            conn.recv(65536)
            seen.append(number)
            if number == 0:
                conn.close()  # dropped before any answer
                continue
            conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        assert push(f"http://127.0.0.1:{port}/store", b"<a:b> <a:c> <a:d> .\n", timeout=5) == 201
    finally:
        thread.join(5)
        listener.close()
    assert seen == [0, 1]


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadError("[Errno 104] Connection reset by peer"),
        httpx.WriteError("[Errno 32] Broken pipe"),
    ],
)
def test_push_sends_again_when_the_engine_resets_the_connection(monkeypatch, error):
    """Regression (CI, Virtuoso, a second run): the engine reset the connection while push was
    still sending or about to read ("[Errno 104] Connection reset by peer"), which is not the
    closed-connection error the first fix retried; push gave up at once."""
    from pathways.graph import remote

    calls = []

    def put(url, *args):
        calls.append(url)
        if len(calls) == 1:
            raise error
        return 201, ""

    # remote._put is the one PUT of push (status and page); each attempt calls it once.
    monkeypatch.setattr(remote, "_put", put)
    monkeypatch.setattr(remote.time, "sleep", lambda seconds: None)
    assert remote.push("http://127.0.0.1:9/store", b"") == 201
    assert len(calls) == 2
    # A connection that cannot be made at all is not retried: nothing is listening.
    calls.clear()

    def refuse(url, *args):
        calls.append(url)
        raise httpx.ConnectError("[Errno 111] Connection refused")

    monkeypatch.setattr(remote, "_put", refuse)
    with pytest.raises(remote.RemoteStoreError, match="cannot reach"):
        remote.push("http://127.0.0.1:9/store", b"")
    assert len(calls) == 1


def test_push_reports_a_refusal_whose_error_page_is_cut_off():
    """Regression (CI): Virtuoso refused a wrong password with a 401 whose chunked error page
    it closed the connection in the middle of; push read the page, failed three times running
    and said it "cannot reach" the endpoint. The status is the answer."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]

    def refuse() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)  # the request line and headers, not the upload
                conn.sendall(
                    b"HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n"
                    b"Content-Type: text/html\r\n\r\n40\r\n<html>Unauthorized"
                )

    thread = threading.Thread(target=refuse, daemon=True)
    thread.start()
    try:
        with pytest.raises(RemoteStoreError, match="answered 401: it wants a user and password"):
            push(f"http://127.0.0.1:{port}/store?graph=urn:g", b"<urn:a> <urn:b> <urn:c> .\n")
    finally:
        listener.close()


def test_push_reports_wrong_credentials_when_the_digest_challenge_page_is_cut_off():
    """Regression (CI, again): with credentials, httpx read the page of Virtuoso's Digest
    challenge before answering it, and the page was cut off, so push said it "cannot reach"
    the endpoint. The handshake now needs only the challenge's headers."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    answered: list[bytes] = []

    def challenge() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                answered.append(conn.recv(65536).split(b"\r\n\r\n")[0])
                conn.sendall(
                    b"HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n"
                    b'WWW-Authenticate: Digest realm="SPARQL", nonce="abc123", qop="auth"\r\n'
                    b"Content-Type: text/html\r\n\r\n40\r\n<html>Unauthorized"
                )

    thread = threading.Thread(target=challenge, daemon=True)
    thread.start()
    try:
        with pytest.raises(RemoteStoreError, match="and refused these"):
            push(
                f"http://dba:wrong@127.0.0.1:{port}/store?graph=urn:g",
                b"<urn:a> <urn:b> <urn:c> .\n",
            )
    finally:
        listener.close()
    # The challenge was answered: the second request carried the Digest credentials.
    assert len(answered) >= 2
    assert b"authorization: digest" in answered[1].lower()
    assert b'username="dba"' in answered[1]
