"""The route graph: progressions as a networkx DiGraph, and which professions reach board level.

Per-profession reachability needs every role on the route to be open to the profession, which a
SPARQL property path cannot say; networkx walks the sub-graph of roles open to it instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from pathways.careers.index import GraphIndex, index_of
from pathways.careers.resolve import TARGET_TIERS
from pathways.graph.loader import LoadedGraph

BOARD_TIER = TARGET_TIERS["board"]


@dataclass(frozen=True)
class ProfessionSummary:
    iri: str
    label: str
    roles: int
    tiers: tuple[str, ...]
    reaches_board: bool


def route_graph(loaded: LoadedGraph) -> nx.DiGraph:
    """Every progression as an edge from role to role, with its id and typical years."""
    graph = nx.DiGraph()
    for edge in index_of(loaded).edges.values():
        graph.add_edge(edge.source, edge.target, progression=edge.progression, years=edge.years)
    return graph


def reaches_board(graph: nx.DiGraph, index: GraphIndex, profession: str) -> bool:
    """True when a role open to ``profession`` leads, through roles open to it, to a board role."""
    open_roles = [iri for iri, role in index.roles.items() if profession in role.professions]
    sub = graph.subgraph(open_roles)
    boards = {iri for iri in open_roles if index.roles[iri].tier == BOARD_TIER}
    starts = [iri for iri in open_roles if index.roles[iri].tier != BOARD_TIER]
    return any(boards & nx.descendants(sub, start) for start in starts if start in sub)


def profession_summaries(loaded: LoadedGraph) -> list[ProfessionSummary]:
    index = index_of(loaded)
    graph = route_graph(loaded)
    summaries = []
    for iri, label in sorted(index.professions.items(), key=lambda item: item[1]):
        held = [role for role in index.roles.values() if iri in role.professions]
        tiers = tuple(t for _, t in sorted({(r.tier_rank, r.tier_label) for r in held}))
        summaries.append(
            ProfessionSummary(
                iri=iri,
                label=label,
                roles=len(held),
                tiers=tiers,
                reaches_board=reaches_board(graph, index, iri),
            )
        )
    return summaries
