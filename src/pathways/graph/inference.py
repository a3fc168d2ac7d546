"""The inferences the served graph carries, so that queries need not repeat them.

A fixed set of OWL 2 RL rules, applied with SPARQL updates to a copy of the validated graph until
nothing new follows: types from subclasses (so a role is also an org:Role and a schema:Occupation),
super-properties, inverse properties, two-step property chains (``pp:progressesTo`` from each
``pp:Progression``), the values a class's restrictions give its members (each SKOS concept is
in its class's scheme), and classes defined as a base class with a required value
(``pp:BoardLevelRole``). Consistency checking with a full reasoner is a separate step.
"""

from __future__ import annotations

import pyoxigraph as ox

from pathways.graph.loader import LoadedGraph

_PREFIXES = """
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
"""

RULES = {
    "subclass types": """
        INSERT { ?x a ?super } WHERE {
          ?x a ?class . ?class rdfs:subClassOf+ ?super . FILTER(isIRI(?super))
          FILTER NOT EXISTS { ?x a ?super } }""",
    "super-properties": """
        INSERT { ?s ?super ?o } WHERE {
          ?p rdfs:subPropertyOf+ ?super . ?s ?p ?o . FILTER NOT EXISTS { ?s ?super ?o } }""",
    "inverse properties": """
        INSERT { ?o ?q ?s } WHERE {
          { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p }
          ?s ?p ?o . FILTER(!isLiteral(?o)) FILTER NOT EXISTS { ?o ?q ?s } }""",
    "property chains": """
        INSERT { ?x ?p ?z } WHERE {
          ?p owl:propertyChainAxiom ?chain .
          ?chain rdf:first ?first ; rdf:rest ?rest . ?rest rdf:first ?second ; rdf:rest rdf:nil .
          ?x ?first ?y . ?y ?second ?z . FILTER NOT EXISTS { ?x ?p ?z } }""",
    "values of restrictions": """
        INSERT { ?x ?property ?value } WHERE {
          ?class rdfs:subClassOf ?restriction .
          ?restriction owl:onProperty ?property ; owl:hasValue ?value .
          ?x a ?class . FILTER NOT EXISTS { ?x ?property ?value } }""",
    "defined classes": """
        INSERT { ?x a ?defined } WHERE {
          ?defined owl:equivalentClass/owl:intersectionOf ?list .
          ?list rdf:first ?base ; rdf:rest ?rest . ?rest rdf:first ?restriction ;
                rdf:rest rdf:nil .
          ?restriction owl:onProperty ?property ; owl:hasValue ?value .
          ?x a ?base ; ?property ?value . FILTER NOT EXISTS { ?x a ?defined } }""",
}


def materialise(loaded: LoadedGraph, max_rounds: int = 10) -> LoadedGraph:
    """A copy of ``loaded`` with the inferred triples added (``loaded`` is not changed)."""
    store = ox.Store()
    store.extend(loaded.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    before = -1
    rounds = 0
    while len(store) != before and rounds < max_rounds:
        before = len(store)
        for rule in RULES.values():
            store.update(_PREFIXES + rule)
        rounds += 1
    return LoadedGraph(
        store=store,
        files=loaded.files,
        locations=loaded.locations,
        statement_files=loaded.statement_files,
        triple_count=len(store),
    )
