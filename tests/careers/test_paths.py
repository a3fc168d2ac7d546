"""The state graph and the cheapest routes through it, checked against brute force."""

from __future__ import annotations

import itertools

import pytest

from pathways.careers.index import index_of
from pathways.careers.paths import BOARD_TIER, cheapest_to_each, k_cheapest, path_to, state_graph
from pathways.careers.roadmap import TARGET_TIERS
from pathways.graph.resources import PPID


def every_route(index, graph, origin, targets):
    """All routes from origin that stop at their first target, with the folded cost."""
    found = []

    def walk(path, cost):
        state = path[-1]
        for following, data in graph.adj[state].items():
            if index.roles[state[0]].tier == BOARD_TIER == index.roles[following[0]].tier:
                continue
            total = cost + data["weight"]
            if following[0] in targets:
                seat = index.seat_kinds.get(index.roles[following[0]].seat_kind or "")
                end = round((seat.penalty if seat else 0.0) * 100) * 1000
                found.append((total + end, [*path, following]))
            else:
                walk([*path, following], total)

    walk([origin], 0)
    return found


@pytest.mark.parametrize(
    ("start", "profession"),
    [
        ("role-pwp", "profession-pwp"),
        ("role-clinical-psychologist", "profession-clinical-psychologist"),
        ("role-team-manager", "profession-counsellor"),
    ],
)
def test_k_cheapest_equals_brute_force(shipped, start, profession):
    index = index_of(shipped)
    graph = state_graph(index, PPID + start, PPID + profession, frozenset(), None)
    origin = (PPID + start, PPID + profession)
    targets = {i for i, r in index.roles.items() if r.tier == TARGET_TIERS["board"]}
    routes = every_route(index, graph, origin, targets)
    # The best route for each chain before its last step.
    best: dict[tuple, int] = {}
    for cost, path in routes:
        prefix = tuple(path[:-1])
        best[prefix] = min(best.get(prefix, cost), cost)
    expected = sorted(best.values())[:5]
    found = k_cheapest(index, graph, origin, targets, False, 5)
    costs = []
    for path, _penalty in found:
        total = sum(graph.step(a, b)["weight"] for a, b in itertools.pairwise(path))
        seat = index.seat_kinds.get(index.roles[path[-1][0]].seat_kind or "")
        costs.append(total + round((seat.penalty if seat else 0.0) * 100) * 1000)
    assert costs == expected
    assert len({tuple(p[:-1]) for p, _ in found}) == len(found)


def test_state_order_is_topological(shipped):
    index = index_of(shipped)
    graph = state_graph(index, PPID + "role-pwp", PPID + "profession-pwp", frozenset(), None)
    position = {state: n for n, state in enumerate(graph.order)}
    assert all(position[a] < position[b] for a, b in graph.edges())
    assert set(position) == set(graph.adj)


def test_cheapest_to_each_gives_paths_that_cost_what_it_says(shipped):
    index = index_of(shipped)
    origin = (PPID + "role-cwp", PPID + "profession-childrens-wellbeing-practitioner")
    graph = state_graph(index, *origin, frozenset(), None)
    cost, came = cheapest_to_each(graph, origin, skip=lambda u, v: False)
    for state, total in cost.items():
        path = path_to(came, origin, state)
        assert path[0] == origin and path[-1] == state
        assert sum(graph.step(a, b)["weight"] for a, b in itertools.pairwise(path)) == total
