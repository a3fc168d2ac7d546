"""Describe resources: their own triples and the blank nodes hanging off them (restrictions,
lists), so a description is complete on its own. /id and /def use it on any store.

It is one query, not a walk of ``quads_for_pattern`` calls from each blank node: an external
engine labels blank nodes afresh in each response, and SPARQL cannot name a blank node in a later
query at all (``VALUES`` refuses ``_:b``, so the walk got a 400 and /def a 500). So the blank nodes
must arrive in the same response as the triples that point at them. The query brings every triple
whose subject is a blank node (37 in the shipped graph) and the closure is taken here, which keeps
the query to plain SPARQL 1.1 without property paths, which engines implement unevenly.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import pyoxigraph as ox

from pathways.graph.loader import GraphStore

_QUERY = """CONSTRUCT {{ ?x ?p ?o }} WHERE {{
  {{ VALUES ?x {{ {resources} }} ?x ?p ?o }}
  UNION
  {{ ?x ?p ?o FILTER(isBlank(?x)) }}
}}"""


def describe(store: GraphStore, iris: Iterable[str]) -> list[ox.Triple]:
    """The triples about each IRI, then about the blank nodes reachable from them through blank
    nodes only. Raises ValueError when an identifier is not an IRI."""
    # N-Triples form of a pyoxigraph term: it escapes whatever could end the IRI, so the text
    # of the request can never become part of the query.
    resources = [ox.NamedNode(iri) for iri in iris]
    if not resources:
        return []
    text = _QUERY.format(resources=" ".join(str(node) for node in resources))
    about: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
    for triple in store.query(text):
        about.setdefault(triple.subject, []).append(triple)
    found: list[ox.Triple] = []
    queue: deque[ox.NamedNode | ox.BlankNode] = deque(resources)
    seen: set[ox.NamedNode | ox.BlankNode] = set()
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        for triple in about.get(node, []):
            found.append(triple)
            if isinstance(triple.object, ox.BlankNode):
                queue.append(triple.object)
    return found
