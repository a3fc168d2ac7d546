"""The W3C SPARQL 1.1 test suites, vendored in tests/data/w3c (see its README).

- **Protocol**: every test of the SPARQL 1.1 Protocol manifest runs against the endpoint, with
  the manifest's three graphs loaded as named graphs (as `ut:graphData` asks). The update tests
  are refused by design (the endpoint is read-only): they are listed, and must be answered 403.
- **Query suite**: every query text of the SPARQL 1.1 query suite goes through the query check
  the service runs, in a worker. A false rejection is a refusal of a text Oxigraph would
  answer; their count must stay 0. The negative syntax tests must all end in a 4xx.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, BNode, Graph, Namespace
from rdflib.collection import Collection

from conftest import DATA
from pathways.service.sparql_guard import QueryRefused
from pathways.service.sparql_pool import WorkerPool

W3C = DATA / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

# The protocol tests this endpoint refuses by design, and why.
UPDATES_REFUSED = {
    "update_dataset_default_graph",
    "update_dataset_default_graphs",
    "update_dataset_named_graphs",
    "update_dataset_full",
    "update_post_form",
    "update_post_direct",
    "update_base_uri",
}


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    statuses: tuple[str, ...]  # "2xx", "4xx", ...
    form: str | None  # "boolean", "tabular", "RDF"
    boolean: bool | None


def protocol_tests() -> list[tuple[str, list[ProtocolRequest]]]:
    manifest = Graph().parse(W3C / "protocol" / "manifest.ttl")
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(manifest, manifest.value(root, MF.entries)):
        name = str(test).rsplit("#", 1)[-1]
        action = manifest.value(test, MF.action)
        requests = []
        for request in Collection(manifest, manifest.value(action, HT.requests)):
            path = str(manifest.value(request, HT.absolutePath))
            body = manifest.value(request, HT.body)
            raw = None
            if body is not None:
                encoding = str(manifest.value(body, CNT.characterEncoding) or "UTF-8")
                raw = str(manifest.value(body, CNT.chars)).encode(encoding)
            headers = {}
            listed = manifest.value(request, HT.headers)
            for header in Collection(manifest, listed) if listed is not None else []:
                headers[str(manifest.value(header, HT.fieldName))] = str(
                    manifest.value(header, HT.fieldValue)
                )
            response = manifest.value(request, HT.resp)
            statuses = tuple(
                sorted(
                    str(s).rsplit("StatusCode", 1)[-1]
                    for s in manifest.objects(response, MF.expectedStatus)
                )
            )
            boolean = manifest.value(response, MF.expectedBoolean)
            form = manifest.value(response, MF.expectedFormat)
            requests.append(
                ProtocolRequest(
                    method=str(manifest.value(request, HT.methodName)),
                    path=path.replace("/sparql/", "/sparql", 1),
                    body=raw,
                    headers=headers,
                    statuses=statuses,
                    form=None if form is None else str(form),
                    boolean=None if boolean is None else bool(boolean.toPython()),
                )
            )
        tests.append((name, requests))
    return tests


PROTOCOL = protocol_tests()


def test_the_protocol_manifest_is_all_here():
    names = [name for name, _ in PROTOCOL]
    assert len(names) == 34
    assert set(names) >= UPDATES_REFUSED
    assert sum(1 for name in names if "update" not in name) == 20


@pytest.fixture(scope="module")
def w3c_client(shipped, tmp_path_factory):
    """The app on the shipped graph, its workers holding the manifest's graphs as well."""
    from fastapi.testclient import TestClient

    from pathways.service.api import create_app
    from pathways.service.settings import Settings

    manifest = Graph().parse(W3C / "protocol" / "manifest.ttl")
    graphs = {
        str(manifest.value(data, RDFS.label)): manifest.value(data, UT.graph)
        for data in manifest.objects(None, UT.graphData)
    }
    assert len(graphs) == 3
    dump = tmp_path_factory.mktemp("w3c") / "graph.nq"
    store = ox.Store()
    store.bulk_extend(shipped.store)
    for name, source in graphs.items():
        path = W3C / "protocol" / str(source).rsplit("/", 1)[-1]
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    with TestClient(create_app(Settings(query_timeout=5, workers=1), shipped)) as client:
        client.app.state.sparql.close()
        client.app.state.sparql = WorkerPool(dump, 1)
        yield client
        client.app.state.sparql.close()


FORMS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"),
}


@pytest.mark.parametrize(("name", "requests"), PROTOCOL, ids=[name for name, _ in PROTOCOL])
def test_w3c_protocol(w3c_client, name, requests):
    for request in requests:
        response = w3c_client.request(
            request.method, request.path, content=request.body, headers=request.headers
        )
        if name in UPDATES_REFUSED:
            # Refused by design: this endpoint never changes its graph.
            assert response.status_code == 403, response.text
            assert response.json()["error"]["code"] == "update_refused"
            return
        assert f"{response.status_code // 100}xx" in request.statuses, (name, response.text)
        if request.form is not None:
            media = response.headers["content-type"].split(";")[0]
            assert media in FORMS[request.form], (name, media)
        if request.boolean is not None:
            assert response.json()["boolean"] is request.boolean, (name, response.text)


@dataclass(frozen=True)
class QueryTest:
    folder: str
    file: str
    kind: str  # QueryEvaluationTest, PositiveSyntaxTest11, NegativeSyntaxTest11

    @property
    def text(self) -> str:
        return (W3C / "query" / self.folder / self.file).read_text(encoding="utf-8")


def query_tests() -> list[QueryTest]:
    top = Graph().parse(W3C / "query" / "manifest.ttl")
    included = top.value(next(top.subjects(RDF.type, MF.Manifest)), MF.include)
    found = []
    for sub in Collection(top, included):
        folder = str(sub).rstrip("/").split("/")[-2]
        manifest = Graph().parse(W3C / "query" / folder / "manifest.ttl")
        for test, kind in manifest.subject_objects(RDF.type):
            action = manifest.value(test, MF.action)
            if action is None:
                continue
            query = manifest.value(action, QT.query) if isinstance(action, BNode) else action
            if query is None:
                continue
            found.append(QueryTest(folder, str(query).rsplit("/", 1)[-1], kind.split("#")[-1]))
    return sorted(found, key=lambda t: (t.folder, t.file))


QUERIES = query_tests()

# Query texts the check refuses by design, with the refusal. Oxigraph cannot evaluate this one
# either ("the custom function <http://example/function> is not supported").
REFUSED_BY_DESIGN = {"syntax-select-expr-04.rq": "function_refused"}


@pytest.fixture(scope="module")
def checker():
    pool = WorkerPool(None, 1)
    yield pool
    pool.close()


def engine_accepts(text: str) -> bool:
    """Whether Oxigraph parses and would evaluate ``text`` (an empty store; solutions are
    lazy, so nothing is evaluated beyond the start)."""
    try:
        ox.Store().query(text)
    except (SyntaxError, RuntimeError, UnicodeEncodeError):
        return False
    return True


def test_the_query_suite_is_all_here():
    kinds = {kind: sum(1 for t in QUERIES if t.kind == kind) for kind in {t.kind for t in QUERIES}}
    assert kinds == {
        "QueryEvaluationTest": 225,
        "PositiveSyntaxTest11": 63,
        "NegativeSyntaxTest11": 40,
    }


def test_the_check_rejects_no_valid_query_of_the_w3c_suite(checker):
    refused: dict[str, str] = {}
    false_rejections = []
    for test in QUERIES:
        if test.kind == "NegativeSyntaxTest11":
            continue
        try:
            checker.check(test.text, 10)
        except QueryRefused as refusal:
            refused[test.file] = refusal.code
            if engine_accepts("BASE <https://w3id.org/pp-pathways/id/> " + test.text):
                false_rejections.append((test.folder, test.file, refusal.message))
    print(f"\n{len(QUERIES) - 40} valid W3C query texts, {len(refused)} refused by design")
    assert false_rejections == []
    assert refused == REFUSED_BY_DESIGN


def test_every_invalid_query_of_the_w3c_suite_ends_in_a_4xx(checker):
    by_check = by_engine = 0
    for test in QUERIES:
        if test.kind != "NegativeSyntaxTest11":
            continue
        try:
            checked = checker.check(test.text, 10)
        except QueryRefused as refusal:
            assert refusal.status == 400, (test.file, refusal.message)
            by_check += 1
            continue
        # Those the check's grammar allows (scoping rules, aggregates) the engine refuses,
        # which the endpoint answers 400 query_failed.
        assert not engine_accepts(checked.text), test.file
        by_engine += 1
    print(f"\n40 invalid W3C queries: {by_check} refused by the check, {by_engine} by the engine")
    assert by_check + by_engine == 40
