"""The graph routes are found on, and the cheapest routes through it.

A person moves between (role, profession) states: a step is a progression into a role they can
hold, and a retraining step changes the profession they continue under. The states reachable from
a start form a directed graph weighted by the one cost function (``scoring.step_cost``). Roles
never lie on a cycle of progressions (queries/progression-cycle-violation.rq), so the state graph
is acyclic: the k cheapest routes and the cheapest route to every state are dynamic programmes
over its topological order. They are exact, and on a roadmap's hundred or so states they and a
plain adjacency mapping take a third of the time networkx's DiGraph, Yen's algorithm and Dijkstra
did (benchmarks/roadmap_bench.py); networkx keeps the whole route graph for the per-profession
summaries (routes.py), where its algorithms pay.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pathways.careers import scoring
from pathways.careers.index import GraphIndex
from pathways.careers.resolve import TARGET_TIERS

State = tuple[str, str]  # (role IRI, the profession held in it)
SINK: State = ("urn:pathways:target", "")
BOARD_TIER = TARGET_TIERS["board"]


def weight(cost: float) -> int:
    """A cost as an integer weight: hundredths of a year, then one unit per step, so that
    routes of equal cost are ranked by fewer steps (integers: float sums make ties fragile)."""
    return round(cost * 100) * 1000 + 1


def _successors(
    index: GraphIndex, state: State, registrations: frozenset[str], prefer: str | None
) -> list[tuple[State, dict[str, Any]]]:
    """The steps out of ``state``, remembered per graph: the same states recur in every
    roadmap that passes through them."""
    key = ("successors", *state, *sorted(registrations), "|", prefer or "")
    remembered = index.memo.get(key)
    if remembered is None:
        role, held_as = state
        remembered = []
        for edge in index.outgoing.get(role, ()):
            if edge.target not in index.roles:
                continue
            joins = edge.retrains_as or held_as
            if not index.roles[edge.target].can_be_held(joins, registrations):
                continue
            cost, penalties = scoring.step_cost(index, edge, held_as, prefer)
            remembered.append(
                (
                    (edge.target, joins),
                    {"edge": edge, "cost": cost, "penalties": penalties, "weight": weight(cost)},
                )
            )
        index.memo[key] = remembered
    result: list[tuple[State, dict[str, Any]]] = remembered
    return result


@dataclass
class StateGraph:
    """The states a person can reach and the steps between them: ``adj[state][next]`` is the
    step's data (its progression ``edge``, ``cost``, ``penalties`` and integer ``weight``), and
    ``order`` lists every state so that each comes before the states it leads to."""

    adj: dict[State, dict[State, dict[str, Any]]] = field(default_factory=dict)
    order: list[State] = field(default_factory=list)

    def edges(self) -> Iterator[tuple[State, State]]:
        for state, steps in self.adj.items():
            for following in steps:
                yield state, following

    def step(self, here: State, there: State) -> dict[str, Any]:
        return self.adj[here][there]


def state_graph(
    index: GraphIndex,
    start: str,
    profession: str,
    registrations: frozenset[str],
    prefer: str | None,
) -> StateGraph:
    """Every step a person starting at ``start`` as a member of ``profession`` can take."""
    origin = (start, profession)
    graph = StateGraph()
    # Depth first, noting each state once every state after it is done: the reverse of that
    # is a topological order.
    finished: list[State] = []
    seen = {origin}
    steps = _successors(index, origin, registrations, prefer)
    graph.adj[origin] = dict(steps)
    stack: list[tuple[State, Iterator[tuple[State, dict[str, Any]]]]] = [(origin, iter(steps))]
    while stack:
        state, pending = stack[-1]
        for following, _data in pending:
            if following not in seen:
                seen.add(following)
                steps = _successors(index, following, registrations, prefer)
                graph.adj[following] = dict(steps)
                stack.append((following, iter(steps)))
                break
        else:
            stack.pop()
            finished.append(state)
    graph.order = finished[::-1]
    return graph


def k_cheapest(
    index: GraphIndex,
    graph: StateGraph,
    origin: State,
    targets: set[str],
    named: bool,
    k: int,
) -> list[tuple[list[State], scoring.Penalty | None]]:
    """The k cheapest routes from ``origin`` to a target, cheapest first (ties by fewer steps,
    then by the states' order, so the answer never varies), each with its seat's penalty.

    Targets end a route (a route to board level stops at the first seat), and no route passes
    through one board seat to reach another, unless that seat was named as the target. Routes
    must differ before their last step, so each state's last step is folded into it: a state
    that can step into a target ends a route there by its cheapest such step (with the seat's
    penalty). The k cheapest routes are then a dynamic programme over the acyclic graph, from
    the targets back to the origin."""
    order = graph.order
    tiers = {state: index.roles[state[0]].tier for state in order}
    # best[state]: up to k (cost, next state, rank of the route taken from it), cheapest first;
    # a route that ends at the next state has rank -1.
    best: dict[State, list[tuple[int, State, int]]] = {}
    ends: dict[State, tuple[int, State, scoring.Penalty | None]] = {}
    for state in reversed(order):
        if state[0] in targets:
            continue
        candidates: list[tuple[int, State, int]] = []
        finish: tuple[int, State, scoring.Penalty | None] | None = None
        for following, data in graph.adj[state].items():
            if tiers[state] == BOARD_TIER == tiers[following] and not named:
                continue
            if following[0] in targets:
                penalty, end = _seat_end(index, following[0])
                option = (data["weight"] + end, following, penalty)
                if finish is None or option[:2] < finish[:2]:
                    finish = option
                continue
            for rank, (cost, _, _) in enumerate(best.get(following, ())):
                candidates.append((data["weight"] + cost, following, rank))
        if finish is not None:
            ends[state] = finish
            candidates.append((finish[0], finish[1], -1))
        if candidates:
            best[state] = heapq.nsmallest(k, candidates)
    routes = []
    for _cost, following, rank in best.get(origin, []):
        path = [origin]
        while rank != -1:
            path.append(following)
            _, following, rank = best[following][rank]
        end_state = path[-1]
        routes.append(([*path, following], ends[end_state][2]))
    return routes


def _seat_end(index: GraphIndex, role: str) -> tuple[scoring.Penalty | None, int]:
    """A seat's penalty and its integer weight, remembered per graph."""
    key = ("seat-end", role)
    if key not in index.memo:
        penalty = scoring.seat_penalty(index, index.roles[role])
        index.memo[key] = (penalty, round((penalty.years if penalty else 0.0) * 100) * 1000)
    result: tuple[scoring.Penalty | None, int] = index.memo[key]
    return result


def cheapest_to_each(
    graph: StateGraph,
    origin: State,
    skip: Callable[[State, State], bool],
) -> tuple[dict[State, int], dict[State, State]]:
    """The cheapest cost from ``origin`` to every state of an acyclic graph, leaving out the
    steps ``skip`` names, and the state each is best reached from (see ``path_to``)."""
    cost: dict[State, int] = {origin: 0}
    came: dict[State, State] = {}
    for state in graph.order:
        if state not in cost:
            continue
        for following, data in graph.adj[state].items():
            if skip(state, following):
                continue
            total = cost[state] + data["weight"]
            if following not in cost or (total, state) < (cost[following], came[following]):
                cost[following] = total
                came[following] = state
    return cost, came


def path_to(came: dict[State, State], origin: State, state: State) -> list[State]:
    path = [state]
    while path[-1] != origin:
        path.append(came[path[-1]])
    return path[::-1]
