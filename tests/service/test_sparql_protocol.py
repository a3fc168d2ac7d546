"""The SPARQL 1.1 Protocol endpoint, through TestClient.

The W3C SPARQL 1.1 Protocol manifest itself runs in test_w3c.py; the cases here pin this
endpoint's own behaviour (its refusals, limits, formats and errors).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from test_api import assert_error

from helpers import Listener

PP = "https://w3id.org/pp-pathways/def#"
SELECT = f"SELECT ?p WHERE {{ ?p a <{PP}Profession> }} ORDER BY ?p"
ASK = f"ASK {{ ?p a <{PP}Profession> }}"
CONSTRUCT = f"CONSTRUCT {{ ?p a <{PP}Profession> }} WHERE {{ ?p a <{PP}Profession> }}"
DESCRIBE = "DESCRIBE <https://w3id.org/pp-pathways/id/role-pwp>"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}


def test_query_get(client):
    response = client.get("/sparql", params={"query": SELECT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert len(response.json()["results"]["bindings"]) == 12


def test_query_post_form(client):
    response = client.post("/sparql", content=urlencode({"query": ASK}), headers=FORM)
    assert response.json() == {"head": {}, "boolean": True}


def test_query_post_direct(client):
    response = client.post("/sparql", content=SELECT, headers=DIRECT)
    assert len(response.json()["results"]["bindings"]) == 12


@pytest.mark.parametrize(
    ("accept", "media", "check"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "bindings"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "p\r\nhttps://"),
        ("text/tab-separated-values", "text/tab-separated-values", "?p\n<https://"),
        ("application/json", "application/sparql-results+json", "bindings"),
        ("text/html, */*;q=0.1", "application/sparql-results+json", "bindings"),
    ],
)
def test_query_content_type_select(client, accept, media, check):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert check in response.text


@pytest.mark.parametrize(
    ("accept", "check"),
    [
        ("application/sparql-results+xml", "<boolean>true</boolean>"),
        ("application/sparql-results+json", '"boolean": true'),
    ],
)
def test_query_content_type_ask(client, accept, check):
    response = client.get("/sparql", params={"query": ASK}, headers={"Accept": accept})
    assert check in response.text


@pytest.mark.parametrize(
    ("query", "accept", "media", "check"),
    [
        (CONSTRUCT, "text/turtle", "text/turtle", "profession-pwp"),
        (CONSTRUCT, "application/n-triples", "application/n-triples", "> <http://www.w3.org"),
        (CONSTRUCT, "application/ld+json", "application/ld+json", '"@id"'),
        (DESCRIBE, "text/turtle", "text/turtle", "role-pwp"),
        (DESCRIBE, None, "text/turtle", "role-pwp"),
    ],
)
def test_query_content_type_graph(client, query, accept, media, check):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert check in response.text


def test_jsonld_is_json(client):
    response = client.get(
        "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/ld+json"}
    )
    assert len(json.loads(response.text)) == 12


def test_bad_query_method(client):
    assert client.put("/sparql", content=SELECT, headers=DIRECT).status_code == 405


def test_bad_multiple_queries(client):
    response = client.get("/sparql?" + urlencode([("query", ASK), ("query", SELECT)]))
    assert_error(response, 400, "malformed_request")


def test_bad_query_wrong_media_type(client):
    assert_error(
        client.post("/sparql", content=ASK, headers={"Content-Type": "text/plain"}),
        415,
        "unsupported_media_type",
    )


def test_bad_query_missing_form_type(client):
    assert_error(client.post("/sparql", content="query=" + ASK), 415, "unsupported_media_type")


def test_bad_query_missing_direct_type(client):
    assert_error(
        client.post("/sparql", content=ASK, headers={"Content-Type": ""}),
        415,
        "unsupported_media_type",
    )


def test_bad_query_non_utf8(client):
    assert_error(
        client.post("/sparql", content="ASK { ?s ?p \xa0\xa9 }".encode("latin-1"), headers=DIRECT),
        400,
        "malformed_request",
    )


def test_bad_query_syntax(client):
    error = assert_error(
        client.get("/sparql", params={"query": "SELECT * WHERE {"}), 400, "malformed_query"
    )
    assert "does not parse" in error["message"] and "col" in error["message"]


def test_missing_query(client):
    assert_error(client.get("/sparql", params={"default": "x"}), 400, "missing_query")


def test_a_get_without_a_query_describes_the_service(client):
    """SPARQL 1.1 Service Description: GET /sparql with no query (it was a 400)."""
    import rdflib

    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef("http://testserver/sparql")
    assert (endpoint, rdflib.RDF.type, sd.Service) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert len(list(graph.objects(endpoint, sd.resultFormat))) == 8
    assert not list(graph.objects(endpoint, sd.feature))  # no federation: SERVICE is refused
    as_xml = client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert as_xml.headers["content-type"] == "application/rdf+xml"


def test_not_acceptable(client):
    error = assert_error(
        client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"}),
        406,
        "not_acceptable",
    )
    assert "text/csv" in error["suggestions"]
    assert_error(
        client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"}),
        406,
        "not_acceptable",
    )


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def triples(client) -> int:
    response = client.get("/sparql", params={"query": COUNT})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", {"Content-Type": "application/sparql-update"}),
        (urlencode({"update": "DELETE WHERE { ?s ?p ?o }"}), FORM),
        ("LOAD <http://example.org/data.ttl>", DIRECT),
        ("CLEAR ALL", DIRECT),
        ("DROP ALL", DIRECT),
    ],
)
def test_updates_are_refused_and_change_nothing(client, body, headers):
    before = triples(client)
    assert_error(client.post("/sparql", content=body, headers=headers), 403, "update_refused")
    assert triples(client) == before


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "service_refused"),
        (
            "SELECT * WHERE { ?s ?p ?o . SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?x } }",
            "service_refused",
        ),
    ],
)
def test_outbound_forms_are_refused_before_evaluation(client, query, code):
    import socket

    # A listener on port 9 would see a connection if anything tried one: nothing may.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.2)
        target = query.replace("127.0.0.1:9", f"127.0.0.1:{listener.getsockname()[1]}")
        assert_error(client.get("/sparql", params={"query": target}), 403, code)
        with pytest.raises(TimeoutError):
            listener.accept()


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", {}),
        ("SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
        ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": "http://127.0.0.1:9/g"}),
        (
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
            {"named-graph-uri": "http://127.0.0.1:9/g"},
        ),
    ],
)
def test_graph_selection_never_fetches_a_graph(client, query, params):
    """FROM and the dataset parameters were refused; they select graphs in the store (none
    is named so here, so the answer is empty) and never reach the address they name."""
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.2)
        port = str(listener.getsockname()[1])
        values = {key: value.replace("9", port, 1) for key, value in params.items()}
        response = client.get(
            "/sparql", params={"query": query.replace("127.0.0.1:9", f"127.0.0.1:{port}")} | values
        )
        assert response.status_code == 200, response.text
        assert response.json()["results"]["bindings"] == []
        with pytest.raises(TimeoutError):
            listener.accept()


def test_dataset_parameters_select_the_default_graph_of_a_request(client):
    # Naming only named graphs leaves the default graph empty (SPARQL 1.1 Protocol §2.1.4).
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = client.get("/sparql", params={"query": count}).json()
    assert int(whole["results"]["bindings"][0]["n"]["value"]) > 5000
    selected = client.get(
        "/sparql", params={"query": count, "named-graph-uri": "http://example.org/g"}
    ).json()
    assert selected["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.mark.parametrize("name", ["urn:x-rdflib:default", "urn:x-arq:DefaultGraph"])
def test_the_default_graph_can_be_named(client, name):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    response = client.get("/sparql", params={"query": count, "default-graph-uri": name})
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 5000


def test_dataset_parameters_must_be_iris(client):
    response = client.get("/sparql", params={"query": SELECT, "default-graph-uri": "not an iri"})
    assert_error(response, 400, "malformed_request")
    assert response.json()["error"]["field"] == "default-graph-uri"


def test_update_dataset_parameters_are_refused_as_updates(client):
    response = client.get(
        "/sparql", params={"query": SELECT, "using-graph-uri": "http://example.org/g"}
    )
    assert_error(response, 403, "update_refused")


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("negative decimal", "SELECT * WHERE { VALUES ?x { -1.0 -2 -3e0 } }"),
        ("38 nested groups", "SELECT * WHERE " + "{ " * 38 + "?s ?p ?o" + " }" * 38),
        ("60-pattern BGP", "PREFIX : <urn:x:> SELECT * WHERE { " + "?s :p ?o." * 60 + " }"),
    ],
)
def test_valid_queries_the_check_refused_are_answered(client, name, query):
    response = client.post("/sparql", content=query, headers=DIRECT)
    assert response.status_code == 200, (name, response.text)


@pytest.mark.parametrize("patterns", [300, 1000])
def test_large_bgps_pass_the_check(client, patterns):
    """A 300-pattern BGP was refused ("maximum recursion depth"). The check now accepts it in
    the worker; Oxigraph's own planner then needs longer than a deadline for it (measured:
    0.3 s at 80 patterns, growing about as n^4), which is the deadline's to stop."""
    query = "PREFIX : <urn:x:> SELECT * WHERE { " + "?s :p ?o." * patterns + " }"
    assert client.app.state.sparql.check(query, 10).form == "SELECT"


def test_negative_numbers_keep_their_value(client):
    response = client.get(
        "/sparql", params={"query": "SELECT ?x WHERE { VALUES ?x { -1.5 -2 } } ORDER BY ?x"}
    )
    values = [row["x"]["value"] for row in response.json()["results"]["bindings"]]
    assert values == ["-2", "-1.5"]


@pytest.mark.parametrize("query", ["", "   ", "# only a comment\n", "PREFIX : <http://x/>"])
def test_an_empty_query_is_malformed_not_an_update(client, query):
    response = client.post("/sparql", content=query, headers=DIRECT)
    assert_error(response, 400, "malformed_query")
    assert "empty" in response.json()["error"]["message"]


def test_results_are_capped_with_a_signal(client):
    response = client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
    )
    assert response.headers["x-pathways-truncated"] == "true"
    assert response.headers["x-pathways-rows"] == "50"
    assert len(response.text.strip().splitlines()) == 51
    small = client.get("/sparql", params={"query": SELECT})
    assert small.headers["x-pathways-truncated"] == "false"


def test_oversized_requests_are_413(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    assert_error(client.get("/sparql", params={"query": big}), 413, "too_large")
    assert_error(client.post("/sparql", content=big, headers=DIRECT), 413, "too_large")


def chunks(total: int, size: int = 1000):
    """A body sent with Transfer-Encoding: chunked, so it declares no Content-Length."""
    for _ in range(total // size):
        yield b"x" * size


def test_chunked_bodies_are_counted_as_they_stream(client):
    """Regression: a chunked body skipped the limit (100 MB read whole, then echoed in a
    422). The limit here is 4096 bytes; the bodies below declare no length."""
    response = client.post("/sparql", content=chunks(50_000), headers=DIRECT)
    assert_error(response, 413, "too_large")
    response = client.post(
        "/api/roadmap/role-pwp",
        content=chunks(50_000),
        headers={"content-type": "application/json"},
    )
    error = assert_error(response, 413, "too_large")
    assert "x" * 100 not in error["message"]
    small = b"SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    response = client.post("/sparql", content=iter([small]), headers=DIRECT)
    assert response.status_code == 200


def test_pathological_query_is_stopped_at_the_deadline(client):
    import time

    started = time.perf_counter()
    response = client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"},
    )
    elapsed = time.perf_counter() - started
    assert_error(response, 503, "deadline")
    assert elapsed < 10
    # the worker was replaced: the endpoint still answers
    deadline = time.time() + 20
    while time.time() < deadline:
        if client.get("/sparql", params={"query": ASK}).status_code == 200:
            break
        time.sleep(0.2)
    assert client.get("/sparql", params={"query": ASK}).json()["boolean"] is True


ESCAPE_TRICKS = [
    # rdflib expands \u escapes before parsing and Oxigraph does not: the guard read the rest
    # as a comment inside a string, Oxigraph read a SERVICE call (issue 11's reproduction).
    'SELECT * WHERE {{ VALUES ?x {{ "a\\u0022 }} }} #" }} SERVICE <http://127.0.0.1:{port}/> '
    "{{ ?s ?p ?o }} }}",
    'SELECT * WHERE {{ VALUES ?x {{ "a\\U00000022 }} }} #" }} SERVICE <http://127.0.0.1:{port}/> '
    "{{ ?s ?p ?o }} }}",
    # a backslash written as an escape, to make an escape that only a second pass expands
    'SELECT * WHERE {{ VALUES ?x {{ "a\\u005Cu0022 }} }} #" }} SERVICE <http://127.0.0.1:{port}/> '
    "{{ ?s ?p ?o }} }}",
    # the keyword itself written with escapes
    "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    # an IRI written with escapes
    "SELECT * WHERE {{ SERVICE <http\\u003A//127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", ESCAPE_TRICKS)
def test_regression_unicode_escapes_cannot_smuggle_service_past_the_guard(client, template):
    """The check and the engine read the same expanded text: either the SERVICE call is seen
    and refused, or it is a comment for both and the query is harmless. Nothing connects."""
    listener = Listener()
    try:
        query = template.format(port=listener.port)
        for response in (
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", content=query.encode(), headers=DIRECT),
        ):
            assert response.status_code in {200, 400, 403}, response.text
            if response.status_code == 200:
                assert "SERVICE" not in query.split("#")[0]
    finally:
        assert listener.close() == 0


def test_escapes_are_expanded_for_the_engine(client):
    response = client.get(
        "/sparql", params={"query": 'SELECT ?x WHERE { BIND("caf\\u00e9" AS ?x) }'}
    )
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "café"
    nested = 'SELECT ?x WHERE { BIND("\\u005Cu0041" AS ?x) }'
    error = assert_error(client.get("/sparql", params={"query": nested}), 400, "malformed_query")
    assert "escape" in error["message"]


ISOLATED_EVALUATION = """
import sys
import pyoxigraph
from pathways.service.sparql_workers import isolate_network, run
refused = isolate_network()
if refused:
    print("NOT-ISOLATED", refused)
    sys.exit(0)
try:
    result = run(pyoxigraph.Store(), sys.argv[1])
    if isinstance(result, pyoxigraph.QuerySolutions):
        list(result)  # solutions are lazy: SERVICE is called as they are read
except Exception as error:
    print("FAILED", error)
else:
    print("ANSWERED")
"""


def test_workers_cannot_reach_the_network(tmp_path):
    """By construction, not by parsing: a SERVICE call evaluated directly (past any check)
    in a process set up as a worker is (isolate_network) makes no connection, because it
    runs in a network namespace of its own."""
    import os
    import subprocess
    import sys

    listener = Listener()
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
        done = subprocess.run(
            [sys.executable, "-c", ISOLATED_EVALUATION, query],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        if done.stdout.startswith("NOT-ISOLATED"):
            if os.environ.get("PATHWAYS_REQUIRE_ISOLATION") == "1":
                pytest.fail(f"the SPARQL workers could not be isolated: {done.stdout}")
            pytest.skip(f"this machine cannot isolate a process: {done.stdout}")
        assert done.stdout.startswith("FAILED"), done.stdout
    finally:
        assert listener.close() == 0


def test_the_pool_checks_queries_inside_its_workers(shipped, tmp_path):
    """The check runs in the worker, under the deadline; a refused query never evaluates."""
    from pathways.service.sparql_guard import QueryRefused
    from pathways.service.sparql_pool import WorkerPool
    from pathways.service.sparql_results import Limits

    dump = tmp_path / "graph.nq"
    shipped.store.dump(str(dump), format=__import__("pyoxigraph").RdfFormat.N_QUADS)
    pool = WorkerPool(dump, 1)
    listener = Listener()
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
        with pytest.raises(QueryRefused) as refused:
            pool.answer(query, None, Limits(10, 10_000), 10)
        assert refused.value.status == 403
        result, form, kind = pool.answer("ASK { ?s ?p ?o }", None, Limits(10, 10_000), 10)
        assert (form, kind, result.count) == ("ASK", "json", 1)
        assert b"true" in result.body
        assert pool.alive() == 1
    finally:
        pool.close()
        assert listener.close() == 0


@pytest.mark.parametrize(
    "query",
    [
        'PREFIX bif: <bif:> SELECT (bif:http_get("http://127.0.0.1:{port}/") AS ?x) WHERE {{}}',
        'PREFIX sql: <sql:> SELECT * WHERE {{ FILTER(sql:call("x")) }}',
        'SELECT (<http://example.org/fetch>("http://127.0.0.1:{port}/") AS ?x) WHERE {{}}',
    ],
)
def test_extension_functions_an_engine_might_run_are_refused(client, query):
    """Virtuoso's bif:http_get passed the check; functions outside SPARQL's own and the XML
    Schema casts are refused before any engine sees them."""
    listener = Listener()
    try:
        text = query.format(port=listener.port)
        error = assert_error(client.get("/sparql", params={"query": text}), 403, "function_refused")
        assert "refused" in error["message"]
    finally:
        assert listener.close() == 0


def test_xml_schema_casts_are_answered(client):
    query = 'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT (xsd:integer("4") AS ?n) {}'
    assert (
        client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["n"][
            "value"
        ]
        == "4"
    )


def test_regression_a_killed_worker_is_replaced_and_its_query_gets_503(shipped):
    """kill -9 on a worker (what the OOM killer does; a panic in the engine is the same) left
    the pool one worker short for ever and the next query got 500."""
    import os
    import signal
    import time

    from fastapi.testclient import TestClient

    from pathways.service.api import create_app
    from pathways.service.settings import Settings

    app = create_app(Settings(workers=1, query_timeout=5), shipped)
    with TestClient(app) as client:
        pool = client.app.state.sparql
        assert client.get("/health").json()["workers_alive"] == 1
        assert client.get("/ready").status_code == 200
        for worker in list(pool._all):
            os.kill(worker.process.pid, signal.SIGKILL)
            worker.process.join(5)
        response = client.get("/sparql", params={"query": ASK})
        assert response.status_code in {200, 503}
        if response.status_code == 503:
            assert response.json()["error"]["code"] in {"worker_died", "busy"}
        deadline = time.time() + 30
        while time.time() < deadline and pool.alive() < 1:
            time.sleep(0.1)
        assert pool.alive() == 1
        assert client.get("/sparql", params={"query": ASK}).json()["boolean"] is True
        assert client.get("/health").json()["workers_alive"] == 1


def test_ready_fails_while_no_worker_is_alive(shipped):
    import os
    import signal

    from fastapi.testclient import TestClient

    from pathways.service.api import create_app
    from pathways.service.settings import Settings

    app = create_app(Settings(workers=1, query_timeout=5), shipped)
    with TestClient(app) as client:
        pool = client.app.state.sparql
        pool._closed = True  # no replacement, so the pool stays empty for the check
        for worker in list(pool._all):
            os.kill(worker.process.pid, signal.SIGKILL)
            worker.process.join(5)
        assert_error(client.get("/ready"), 503, "not_ready")
        assert client.get("/health").json()["workers_alive"] == 0
        pool._closed = False


def test_a_worker_that_dies_mid_query_answers_503_not_500(shipped):
    import os
    import signal
    import threading
    import time

    from fastapi.testclient import TestClient

    from pathways.service.api import create_app
    from pathways.service.settings import Settings

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    app = create_app(Settings(workers=1, query_timeout=20), shipped)
    with TestClient(app) as client:
        pool = client.app.state.sparql
        (worker,) = list(pool._all)
        answers = []
        asking = threading.Thread(
            target=lambda: answers.append(client.get("/sparql", params={"query": slow}))
        )
        asking.start()
        time.sleep(1.0)  # the query is being evaluated
        os.kill(worker.process.pid, signal.SIGKILL)
        asking.join(30)
        assert_error(answers[0], 503, "worker_died")
        deadline = time.time() + 30
        while time.time() < deadline and pool.alive() < 1:
            time.sleep(0.1)
        assert client.get("/sparql", params={"query": ASK}).json()["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { FILTER(" + "(" * 1500 + "1" + ")" * 1500 + ") }",
        "SELECT * WHERE " + "{" * 1500 + "}" * 1500,
    ],
)
def test_deeply_nested_queries_are_refused_without_harm(client, query):
    """Deep nesting exhausts a recursive parser: the check runs in a worker, answers 400
    with a reason, and every worker is still alive afterwards."""
    response = client.post(
        "/sparql", content=query, headers={"content-type": "application/sparql-query"}
    )
    error = assert_error(response, 400, "malformed_query")
    assert "nests too deeply" in error["message"]
    assert client.get("/health").json()["workers_alive"] == 2


@pytest.mark.parametrize(
    ("accept", "form_query", "content_type"),
    [
        # Regression: q=0 was ignored, so "not Turtle, anything else" returned Turtle.
        ("text/turtle;q=0, */*", "CONSTRUCT", "application/n-triples"),
        ("*/*", "CONSTRUCT", "text/turtle; charset=utf-8"),
        ("application/rdf+xml", "CONSTRUCT", "application/rdf+xml"),
        ("text/*;q=0.5, application/ld+json;q=0.4", "CONSTRUCT", "text/turtle; charset=utf-8"),
        ("application/sparql-results+json;q=0, */*", "SELECT", "application/sparql-results+xml"),
        ("garbage, text/csv", "SELECT", "text/csv; charset=utf-8"),
        ("text/*", "SELECT", "text/csv; charset=utf-8"),
    ],
)
def test_content_negotiation_follows_rfc_9110(client, accept, form_query, content_type):
    query = {
        "CONSTRUCT": "CONSTRUCT WHERE { ?s a <https://w3id.org/pp-pathways/def#Profession> }",
        "SELECT": "SELECT * WHERE { ?s ?p ?o } LIMIT 2",
    }[form_query]
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == content_type


def test_construct_as_rdf_xml_reads_back(client):
    """SPARQLWrapper's and rdflib SPARQLStore's default CONSTRUCT asks for RDF/XML (406 before)."""
    import rdflib

    query = "CONSTRUCT WHERE { ?s a <https://w3id.org/pp-pathways/def#Profession> }"
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/rdf+xml"}
    )
    graph = rdflib.Graph().parse(data=response.text, format="xml")
    assert len(graph) == 12
    assert_error(
        client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle;q=0"}),
        406,
        "not_acceptable",
    )


def test_relative_iris_resolve_against_the_individuals_namespace(client):
    """Regression: no base IRI, so relative IRIs failed (a W3C protocol test, 28 query tests)."""
    query = "SELECT ?label WHERE { <role-pwp> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert [row["label"]["value"] for row in rows] == ["PWP"]
    own_base = "BASE <http://example.org/> SELECT ?x WHERE { BIND(<a> AS ?x) }"
    rows = client.get("/sparql", params={"query": own_base}).json()["results"]["bindings"]
    assert rows[0]["x"]["value"] == "http://example.org/a"
    bad = "SELECT ?x\nWHERE {"
    error = assert_error(client.get("/sparql", params={"query": bad}), 400, "malformed_query")
    assert "line:2" in error["message"].replace(" ", ""), error["message"]
