"""Roadmap latency on the shipped graph and on synthetic graphs 10x and 100x larger.

For each graph: build_roadmap (the (role, profession) state graph from the index, the k best
routes and the best route to every seat, and every step described) for each start role once, p50
and p95 in-process, beside a floor: a plain networkx k-shortest walk over a prebuilt graph of the
same roles (no retraining, no seats, no step facts). Targets (issue 10): p95 at most 2 ms on the
shipped graph and at most 10 ms at 100x. The synthetic graphs copy every role and progression N
times under new IRIs (as if N more trusts had the same ladders), keeping the reference data, so
they keep the real graph's shape.

Run: .venv/bin/python benchmarks/roadmap_bench.py [--sizes 1 10 100] [--sample 300]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox

from pathways.careers.index import index_of
from pathways.careers.roadmap import TARGET_TIERS, RoadmapRequest, build_roadmap
from pathways.careers.routes import route_graph
from pathways.graph.loader import LoadedGraph, load
from pathways.graph.resources import PPID

COPIED = (PPID + "role-", PPID + "progression-")
ENTRY_ROLE = "https://w3id.org/pp-pathways/def#entryRole"


def _rename(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, copy: int):
    if isinstance(term, ox.NamedNode):
        for prefix in COPIED:
            if term.value.startswith(prefix):
                return ox.NamedNode(f"{prefix}c{copy}-{term.value[len(prefix) :]}")
    return term


def synthetic(base: LoadedGraph, factor: int) -> LoadedGraph:
    """The base graph plus ``factor - 1`` renamed copies of its roles and progressions."""
    store = ox.Store()
    quads = list(base.store)
    store.extend(quads)
    copied = [
        q
        for q in quads
        if q.predicate.value != ENTRY_ROLE
        and any(
            isinstance(t, ox.NamedNode) and t.value.startswith(COPIED)
            for t in (q.subject, q.object)
        )
    ]
    for copy in range(1, factor):
        store.extend(
            ox.Quad(_rename(q.subject, copy), q.predicate, _rename(q.object, copy), q.graph_name)
            for q in copied
        )
    return LoadedGraph(store=store, files=base.files, triple_count=len(store))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def floor_walk(graph: nx.DiGraph, boards: set[str], start: str, k: int = 3) -> int:
    """The bare minimum a roadmap does: the k cheapest paths to any board role."""
    if not boards & nx.descendants(graph, start):
        return 0
    paths = nx.shortest_simple_paths(graph, start, "sink", weight="years")
    return sum(len(path) for path in itertools.islice(paths, k))


def measure(
    loaded: LoadedGraph, starts: Iterable[tuple[str, str]]
) -> tuple[list[float], list[float]]:
    index = index_of(loaded)
    full = route_graph(loaded)
    for _, _, data in full.edges(data=True):
        data["years"] = data["years"] or 0.0
    boards = {
        i for i, r in index.roles.items() if r.tier == TARGET_TIERS["board"] and r.professions
    }
    by_profession: dict[str, nx.DiGraph] = {}
    engine, floor = [], []
    for role, profession in starts:
        started = time.perf_counter()
        build_roadmap(loaded, RoadmapRequest(start=role, profession=profession))
        engine.append((time.perf_counter() - started) * 1000)
        if profession not in by_profession:
            open_roles = [i for i, r in index.roles.items() if profession in r.professions]
            sub = nx.DiGraph(full.subgraph(open_roles))
            for board in boards & set(open_roles):
                sub.add_edge(board, "sink", years=0.0)
            by_profession[profession] = sub
        started = time.perf_counter()
        floor_walk(by_profession[profession], boards, role)
        floor.append((time.perf_counter() - started) * 1000)
    return engine, floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument(
        "--sample",
        type=int,
        default=300,
        help="start roles timed on the synthetic graphs (all on the shipped one)",
    )
    args = parser.parse_args()
    base = load()
    print(
        f"{'graph':>6} {'roles':>6} {'triples':>8} {'index ms':>9} {'starts':>6} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'floor p50':>9} {'floor p95':>9} {'p95/floor':>9}"
    )
    for factor in args.sizes:
        loaded = base if factor == 1 else synthetic(base, factor)
        started = time.perf_counter()
        index = index_of(loaded)
        index_ms = (time.perf_counter() - started) * 1000
        pairs = [
            (iri, sorted(role.professions)[0])
            for iri, role in sorted(index.roles.items())
            if role.professions and role.tier_rank < 5
        ]
        if factor != 1 and len(pairs) > args.sample:
            pairs = random.Random(7).sample(pairs, args.sample)
        build_roadmap(loaded, RoadmapRequest(start=pairs[0][0], profession=pairs[0][1]))
        engine, floor = measure(loaded, pairs)
        p95, floor95 = percentile(engine, 0.95), percentile(floor, 0.95)
        print(
            f"{str(factor) + 'x':>6} {len(index.roles):>6} {loaded.triple_count:>8} "
            f"{index_ms:>9.0f} {len(pairs):>6} {statistics.median(engine):>7.2f} {p95:>7.2f} "
            f"{statistics.median(floor):>9.2f} {floor95:>9.2f} {p95 / floor95:>9.1f}"
        )


if __name__ == "__main__":
    main()
