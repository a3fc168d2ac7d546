"""What running a query on a store means wherever it runs: the graphs a request selects, and
the two ways a query fails that every caller tells apart (a deadline, an engine's refusal).

The embedded workers and an external engine both answer through these, so the CLI, the API and
the SPARQL endpoint handle one set of failures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox


class QueryDeadline(Exception):
    """The query ran past its deadline and its worker was stopped."""


class QueryFailed(Exception):
    """Oxigraph refused or failed the query (for example a type error at evaluation)."""


@dataclass(frozen=True)
class GraphSelection:
    """The dataset named by the protocol's ``default-graph-uri`` and ``named-graph-uri``
    parameters: graphs already in the store, never fetched. When a request names any, they
    replace the query's FROM / FROM NAMED, and a side left unnamed is empty (SPARQL 1.1
    Protocol §2.1.4)."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def default_graphs(self) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]:
        # Clients name the store's own default graph too: rdflib's Dataset sends
        # urn:x-rdflib:default for it, Jena's users write urn:x-arq:DefaultGraph.
        return [
            ox.DefaultGraph() if iri in DEFAULT_GRAPH_NAMES else ox.NamedNode(iri)
            for iri in self.default
        ]

    def named_nodes(self) -> Iterator[ox.NamedNode]:
        return (ox.NamedNode(iri) for iri in self.named)


# Names that select the store's default graph (where the served graph is) in default-graph-uri.
DEFAULT_GRAPH_NAMES = frozenset({"urn:x-rdflib:default", "urn:x-arq:DefaultGraph"})
