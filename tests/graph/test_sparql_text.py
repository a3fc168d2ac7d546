"""Query text read without a parser: the form decides the result format asked of an engine, and
parameters are bound at the end of the WHERE group, whatever braces strings and comments hold."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pathways.graph.sparql_text import bind, query_form


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE {}", "SELECT"),
        ("# CONSTRUCT\nPREFIX construct: <http://x/ask> base <y> ask {}", "ASK"),
        ("prefix : <a>\nDESCRIBE <x>", "DESCRIBE"),
        ("PREFIX select:<x>construct { } WHERE { }", "CONSTRUCT"),
        ("INSERT DATA {}", ""),
    ],
)
def test_query_form_reads_past_the_prologue(text, form):
    assert query_form(text) == form


def test_bind_goes_at_the_end_of_the_where_group():
    text = 'SELECT ?x WHERE { ?x ?p "}{" . { ?a ?b ?c } # }\n  ?x ?q """{""" } ORDER BY ?x'
    bound = bind(text, {ox.Variable("x"): ox.NamedNode("http://example.org/a")})
    assert bound.endswith("FILTER(?x = <http://example.org/a>)\n} ORDER BY ?x")
    assert ox.Store().query(bound) is not None  # still a query


def test_a_literal_is_bound_by_identity_and_cannot_end_the_query():
    hostile = ox.Literal('a"} UNION { ?s ?p ?o } #', language="en")
    bound = bind("SELECT ?x WHERE { ?s ?p ?x }", {ox.Variable("x"): hostile})
    assert 'FILTER(sameTerm(?x, "a\\"} UNION { ?s ?p ?o } #"@en))' in bound
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("b")))
    assert list(store.query(bound)) == []


def test_a_blank_node_cannot_be_bound():
    with pytest.raises(ValueError, match="blank node"):
        bind("SELECT ?x WHERE { ?x ?p ?o }", {ox.Variable("x"): ox.BlankNode()})
