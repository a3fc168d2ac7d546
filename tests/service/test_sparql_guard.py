"""The query check: the plain-text test that lets a query go straight to the engine, and its
agreement with the full check (which parses the query's structure)."""

from __future__ import annotations

import pytest
from test_w3c import QUERIES

from pathways.service.sparql_guard import QueryRefused, check_query, plainly_safe, prepare

PLAIN = [
    "ASK {}",
    "SELECT ?p ?label WHERE { ?p a <https://w3id.org/pp-pathways/def#Profession> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label",
    'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STR(?o) != "x") }',
    "SELECT ?x\n  (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?x",
    "SELECT * { ?s ?p ?o . FILTER(?o NOT IN (1, 2)) }",
]

# Each would hide SERVICE or a function named by an IRI from a careless scan; each must take
# the full check.
UNSURE = [
    "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:f(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(:f(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(<http://x/f>(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(<http://x/f> (?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:f #c\n(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:f #c\r(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:f\n#c\n\n(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:a\\~b(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:f\\((?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:a.b(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:a-(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:é(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:a%41(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(ex:f\u00a0(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(bif:http_get(?o)) }",
    'SELECT * WHERE { ?s ?p ?o FILTER("1"^^xsd:integer(?o)) }',
    # A SERVICE written with escapes is expanded before the test, as before the engine.
    "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE " + "{ " * 300 + "?s ?p ?o" + " }" * 300,
]


@pytest.mark.parametrize("query", PLAIN)
def test_plain_queries_go_straight_to_the_engine(query):
    assert plainly_safe(prepare(query))


@pytest.mark.parametrize("query", UNSURE)
def test_anything_unsure_takes_the_full_check(query):
    assert not plainly_safe(prepare(query))


def test_the_plain_test_never_passes_what_the_full_check_refuses():
    """Over the whole W3C query suite and the cases above: whatever goes straight to the
    engine, the full check would have accepted too."""
    plain = 0
    for text in [t.text for t in QUERIES] + PLAIN + UNSURE:
        try:
            prepared = prepare(text)
        except QueryRefused:
            continue
        if plainly_safe(prepared):
            plain += 1
            try:
                check_query(text)
            except QueryRefused as refusal:
                # Only a malformed query may differ: the engine then refuses it itself.
                assert refusal.code == "malformed_query", (text, refusal.message)
    print(f"\n{plain} of {len(QUERIES) + len(PLAIN) + len(UNSURE)} texts went straight through")
    assert plain > 200
