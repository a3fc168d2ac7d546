"""The route graph: progressions as a networkx DiGraph, and which professions reach board level.

Per-profession reachability needs every role on the route to be open to the profession, which a
SPARQL property path cannot say; networkx walks the sub-graph of roles open to it instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from . import queries as named_queries
from .loader import LoadedGraph
from .resources import PPID

BOARD_TIER = PPID + "tier-provider-board"


@dataclass
class RoleInfo:
    iri: str
    label: str
    tier: str
    tier_label: str
    tier_rank: int
    professions: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ProfessionSummary:
    iri: str
    label: str
    roles: int
    tiers: tuple[str, ...]
    reaches_board: bool


def roles(loaded: LoadedGraph) -> dict[str, RoleInfo]:
    found: dict[str, RoleInfo] = {}
    for row in named_queries.select(loaded.store, named_queries.get("role-professions")):
        iri = row["role"].value
        info = found.get(iri)
        if info is None:
            info = found[iri] = RoleInfo(
                iri=iri,
                label=row["label"].value,
                tier=row["tier"].value,
                tier_label=row["tierLabel"].value,
                tier_rank=int(row["tierRank"].value),
            )
        if "profession" in row:
            info.professions.add(row["profession"].value)
    return found


def route_graph(loaded: LoadedGraph) -> nx.DiGraph:
    graph = nx.DiGraph()
    for row in named_queries.select(loaded.store, named_queries.get("progression-edges")):
        years = float(row["years"].value) if "years" in row else None
        graph.add_edge(
            row["from"].value, row["to"].value, progression=row["progression"].value, years=years
        )
    return graph


def reaches_board(graph: nx.DiGraph, all_roles: dict[str, RoleInfo], profession: str) -> bool:
    """True when a role open to ``profession`` leads, through roles open to it, to a board role."""
    open_roles = [iri for iri, info in all_roles.items() if profession in info.professions]
    sub = graph.subgraph(open_roles)
    boards = {iri for iri in open_roles if all_roles[iri].tier == BOARD_TIER}
    starts = [iri for iri in open_roles if all_roles[iri].tier != BOARD_TIER]
    return any(boards & nx.descendants(sub, start) for start in starts if start in sub)


def profession_summaries(loaded: LoadedGraph) -> list[ProfessionSummary]:
    all_roles = roles(loaded)
    graph = route_graph(loaded)
    labels = {
        row["x"].value: row["label"].value
        for row in named_queries.select(loaded.store, named_queries.get("professions"))
    }
    by_profession: dict[str, list[RoleInfo]] = defaultdict(list)
    for info in all_roles.values():
        for profession in info.professions:
            by_profession[profession].append(info)
    summaries = []
    for iri, label in sorted(labels.items(), key=lambda item: item[1]):
        held = by_profession.get(iri, [])
        tiers = tuple(t for _, t in sorted({(r.tier_rank, r.tier_label) for r in held}))
        summaries.append(
            ProfessionSummary(
                iri=iri,
                label=label,
                roles=len(held),
                tiers=tiers,
                reaches_board=reaches_board(graph, all_roles, iri),
            )
        )
    return summaries
