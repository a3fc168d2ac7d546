"""`pathways serve` for real: a live uvicorn on loopback, driven by real clients."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from conftest import DATA

QUERY = (
    "SELECT ?label WHERE { ?p a <https://w3id.org/pp-pathways/def#Profession> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
)
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pathways(
    *args: str, env: dict[str, str] | None = None, log: Any = subprocess.PIPE
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from pathways.cli import main; main()", *args],
        stdout=log,
        stderr=log,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _started(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
        assert process.poll() is None, "the server exited"
    pytest.fail("server did not start within 60 s")


SERVER_LOGS: list[Path] = []


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads fills up (the access log of a long
    # GET is long) and then blocks the server mid-request.
    log = (tmp_path_factory.mktemp("serve") / "server.log").open("w")
    SERVER_LOGS.append(Path(log.name))
    process = pathways("serve", "--port", str(port), env={"PATHWAYS_QUERY_TIMEOUT": "2"}, log=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
        if process.poll() is not None:
            pytest.fail(f"server exited: {Path(log.name).read_text()}")
    else:
        process.kill()
        pytest.fail("server did not start within 60 s")
    yield base
    process.terminate()
    process.wait(10)
    log.close()


def wrapper(base: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(QUERY)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_default_construct_gets_rdf_xml(server):
    """Regression: SPARQLWrapper's default CONSTRUCT asks for RDF/XML and got 406."""
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery("CONSTRUCT WHERE { ?s a <https://w3id.org/pp-pathways/def#Profession> }")
    graph = client.queryAndConvert()
    assert len(graph) == 12


def test_sparqlwrapper_json(server):
    result = wrapper(server, JSON).query().convert()
    labels = [b["label"]["value"] for b in result["results"]["bindings"]]
    assert len(labels) == 12 and labels[0] == "Adult psychotherapist"


def test_sparqlwrapper_xml(server):
    document = wrapper(server, XML).query().convert()
    assert len(document.getElementsByTagName("result")) == 12


def test_sparqlwrapper_csv_and_tsv(server):
    csv_text = wrapper(server, CSV).query().convert().decode()
    assert csv_text.splitlines()[0] == "label" and len(csv_text.splitlines()) == 13
    tsv_text = wrapper(server, TSV).query().convert().decode()
    assert tsv_text.splitlines()[1] == '"Adult psychotherapist"@en'


def test_sparqlwrapper_post(server):
    client = wrapper(server, JSON)
    client.setMethod("POST")
    assert len(client.query().convert()["results"]["bindings"]) == 12


def test_roadmap_over_http(server):
    roadmap = httpx.get(f"{server}/api/roadmap/role-pwp", params={"k": 1}).json()
    assert roadmap["routes"][0]["steps"][-1]["to"]["tier"] == "Provider Board Level"


def test_health_answers_while_a_query_is_stopped_at_the_deadline(server):
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.perf_counter()
        response = httpx.get(f"{server}/sparql", params={"query": PATHOLOGICAL}, timeout=30)
        outcome["status"] = response.status_code
        outcome["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    health_times = []
    for _ in range(5):
        started = time.perf_counter()
        assert httpx.get(f"{server}/health", timeout=5).status_code == 200
        health_times.append(time.perf_counter() - started)
    thread.join(30)
    assert outcome["status"] == 503
    assert float(outcome["seconds"]) < 10  # type: ignore[arg-type]
    assert max(health_times) < 1.0


def raw_get(base: str, path: str) -> tuple[int, bytes]:
    """A GET by http.client: httpx refuses URLs over 64 KiB on the client side."""
    import http.client

    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_long_gets_get_the_json_413_not_a_bare_400(server):
    """Regression: a GET over ~100 KB got h11's bare 400; under the body limit it is answered,
    over it the JSON 413 names the setting."""
    import json
    from urllib.parse import urlencode

    padding = "#" + "x" * 200_000 + "\n"
    status, body = raw_get(server, "/sparql?" + urlencode({"query": padding + "ASK { ?s ?p ?o }"}))
    assert status == 200, body[:200]
    huge = "#" + "x" * 1_100_000 + "\n"
    status, body = raw_get(server, "/sparql?" + urlencode({"query": huge + "ASK {}"}))
    assert status == 413
    assert "PATHWAYS_MAX_BODY_BYTES" in json.loads(body)["error"]["message"]


def test_serve_logs_each_request_with_an_id_and_latency(server):
    response = httpx.get(f"{server}/api/professions", headers={"X-Request-Id": "serve-log-1"})
    assert response.headers["x-request-id"] == "serve-log-1"
    time.sleep(0.3)
    text = SERVER_LOGS[-1].read_text()
    assert re.search(r"pathways\.access serve-log-1 127\.0\.0\.1 GET /api/professions 200 ", text)
    assert '"GET /api/professions HTTP/1.1" 200' not in text  # uvicorn's own line is off


def test_folders_left_by_a_killed_server_are_removed_on_the_next_start(tmp_path):
    """Regression: a server killed with SIGKILL left its scratch folders behind for good."""
    import glob
    import signal
    import tempfile

    port = free_port()
    log = (tmp_path / "killed.log").open("w")
    process = pathways("serve", "--port", str(port), log=log)
    try:
        _started(port, process)
        pattern = str(Path(tempfile.gettempdir()) / f"pathways-*-{process.pid}-*")
        left = glob.glob(pattern)
        assert len(left) >= 3, left  # the pages, the dump, the workers' copy
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        log.close()
    from pathways.service import scratch

    scratch.sweep()
    assert glob.glob(pattern) == []


def test_serve_refuses_a_graph_that_fails_validation():
    process = pathways(
        "serve", "--port", str(free_port()), "--extend", str(DATA / "missing-label.ttl")
    )
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "missing-label.ttl:9" in stderr and "not served" in stderr


def test_rdflib_dataset_client_reads_the_graph(server):
    """Regression: rdflib's SPARQLStore sends `default-graph-uri` for a graph with a name, and
    the endpoint refused it (403); it now selects that graph in the store (absent: empty)."""
    from rdflib import Dataset, Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{server}/sparql", returnFormat="json")
    professions = "SELECT ?p WHERE { ?p a <https://w3id.org/pp-pathways/def#Profession> }"
    assert len(list(Dataset(store=store).query(professions))) == 12
    named = Graph(store=store, identifier=URIRef("https://example.org/not-in-the-store"))
    assert list(named.query(professions)) == []
    assert len(Dataset(store=store)) > 5000


def test_a_restart_on_the_same_files_recalls_the_verdict(tmp_path):
    """Issue 15: a server restarted on byte-identical files skips validating them again, and
    says so; any other graph is validated (graph/verdicts.py)."""
    env = {"PATHWAYS_VERDICT_CACHE": str(tmp_path / "verdicts")}
    logs = []
    for run in range(2):
        port = free_port()
        log_path = tmp_path / f"serve-{run}.log"
        with log_path.open("w") as log:
            process = pathways("serve", "--port", str(port), env=env, log=log)
            try:
                _started(port, process)
            finally:
                process.terminate()
                process.wait(10)
        logs.append(log_path.read_text())
    assert "verdict remembered" not in logs[0]
    assert "validated: these files, shapes and queries conformed before" in logs[1]
    assert "verdict remembered in " + str(tmp_path / "verdicts") in logs[1]
