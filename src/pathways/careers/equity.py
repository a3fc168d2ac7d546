"""Route equity: how the twelve professions compare on their routes to board level.

The paper's first recommendation is to map the representation of psychological professionals in
leadership, and recommendations 3, 4 and 16-18 ask for clear routes for every profession (seed
Executive Summary, §3). No public source gives who holds which post per profession; what the
graph can say is structural: from each profession's entry role (pp:entryRole), which seats its
routes reach, how fast, through how many distinct routes, and which single roles every route
passes through. Those are the structural barriers of seed §3 in figures.

Every figure is read off the roadmap engine's state graph (``paths.state_graph``: the steps a
member of the profession can take from its entry role, with the same rules as a roadmap), so a
profession's equity row and its roadmaps never disagree. Routes stay in the profession: the
seats a retraining step would open are counted apart (``retraining``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pathways.careers import catalogue, scoring
from pathways.careers.index import GraphIndex, Role, index_of, short_id
from pathways.careers.paths import BOARD_TIER, State, StateGraph, state_graph
from pathways.careers.resolve import GROUPS, TARGET_TIERS
from pathways.careers.steps import positive_action_offers
from pathways.graph.loader import LoadedGraph
from pathways.graph.resources import PPID

NATIONAL_TIER = TARGET_TIERS["national"]
# The tiers between practice and board: a role there that every route passes through is a
# structural barrier; the qualified posts every career starts from are not.
LEADERSHIP_TIERS = frozenset({PPID + "tier-leader-manager", PPID + "tier-senior-leader-manager"})
VOTING_SEAT = PPID + "seat-voting-executive"
# Distinct routes are counted exactly and shown up to this many: past it the figure says only
# that there are more (a graph of many trusts has millions of routes, and the difference between
# them is not what the figure is for).
ROUTES_SHOWN = 9_999
POSITIVE_ACTION_GROUPS = frozenset({GROUPS["minority-ethnic"]})


def _ref(role: Role) -> dict[str, str]:
    return {"id": short_id(role.iri), "label": role.label}


@dataclass
class EquityRow:
    """One profession's routes to board level, from its entry role."""

    profession: str
    label: str
    abbreviation: str | None
    entry: Role | None
    roles_open: int
    tiers: list[str]
    board_seats: list[dict[str, Any]] = field(default_factory=list)
    fastest: dict[str, Any] | None = None
    fastest_voting: dict[str, Any] | None = None
    routes: int = 0
    bottlenecks: list[dict[str, str]] = field(default_factory=list)
    national_roles: list[dict[str, str]] = field(default_factory=list)
    retraining: list[dict[str, Any]] = field(default_factory=list)
    positive_action: dict[str, Any] = field(default_factory=dict)

    @property
    def voting_seats(self) -> int:
        return sum(1 for seat in self.board_seats if seat["voting_executive"])

    @property
    def barriers(self) -> list[str]:
        """The structural barriers the figures show (seed §3), in words."""
        found = []
        if self.entry is None:
            found.append("no entry role is recorded, so no route can start")
        elif not self.board_seats:
            found.append("no route reaches a board seat")
        elif not self.voting_seats:
            found.append("no route reaches a voting board seat")
        if self.bottlenecks:
            names = [role["label"] for role in self.bottlenecks]
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            found.append(f"every route to board passes through {joined}")
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "profession": {
                "id": short_id(self.profession),
                "label": self.label,
                "abbreviation": self.abbreviation,
            },
            "entry_role": _ref(self.entry) if self.entry else None,
            "roles_open": self.roles_open,
            "tiers": self.tiers,
            "board_seats": self.board_seats,
            "voting_seats": self.voting_seats,
            "fastest_years": self.fastest["years"] if self.fastest else None,
            "fastest_basis": self.fastest["basis"] if self.fastest else None,
            "fastest_route": self.fastest,
            "fastest_voting_years": self.fastest_voting["years"] if self.fastest_voting else None,
            "fastest_voting_basis": self.fastest_voting["basis"] if self.fastest_voting else None,
            "fastest_voting_route": self.fastest_voting,
            "routes": min(self.routes, ROUTES_SHOWN),
            "routes_more": self.routes > ROUTES_SHOWN,
            "bottlenecks": self.bottlenecks,
            "national_roles": self.national_roles,
            "retraining_routes": self.retraining,
            "positive_action": self.positive_action,
            "barriers": self.barriers,
        }


def equity_rows(index: GraphIndex) -> list[EquityRow]:
    """One row per profession, in label order; remembered with the graph's index."""
    key = ("equity",)
    if key not in index.memo:
        index.memo[key] = [
            _row(index, iri, label)
            for iri, label in sorted(index.professions.items(), key=lambda item: item[1])
        ]
    rows: list[EquityRow] = index.memo[key]
    return rows


def _row(index: GraphIndex, profession: str, label: str) -> EquityRow:
    held = [
        role
        for role in index.roles.values()
        if profession in role.professions and profession not in role.pre_entry_to
    ]
    tiers = [name for _, name in sorted({(r.tier_rank, r.tier_label) for r in held})]
    entry_iri = index.entry_roles.get(profession)
    entry = index.roles.get(entry_iri) if entry_iri else None
    row = EquityRow(
        profession=profession,
        label=label,
        abbreviation=index.abbreviations.get(profession),
        entry=entry,
        roles_open=len(held),
        tiers=tiers,
    )
    if entry is None:
        return row
    graph = state_graph(index, entry.iri, profession, frozenset(), None)
    origin: State = (entry.iri, profession)
    # The profession's own states; a retraining step leaves them (counted apart below).
    own = [state for state in graph.order if state[1] == profession]
    seats = {state for state in own if index.roles[state[0]].tier == BOARD_TIER}
    row.board_seats = _seat_list(index, seats)
    row.national_roles = sorted(
        (_ref(index.roles[s[0]]) for s in own if index.roles[s[0]].tier == NATIONAL_TIER),
        key=lambda ref: ref["label"],
    )
    row.fastest = _fastest(index, graph, origin, seats)
    voting = {s for s in seats if index.roles[s[0]].seat_kind == VOTING_SEAT}
    row.fastest_voting = _fastest(index, graph, origin, voting)
    row.routes, row.bottlenecks = _routes_and_bottlenecks(index, graph, origin, seats)
    row.retraining = _retraining(index, graph, profession, seats)
    row.positive_action = _positive_action(index, graph, profession)
    return row


def _seat_list(index: GraphIndex, seats: set[State]) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = []
    for iri in sorted({state[0] for state in seats}):
        role = index.roles[iri]
        kind = index.seat_kinds.get(role.seat_kind or "")
        listed.append(
            {
                **_ref(role),
                "seat": kind.label if kind else None,
                "voting_executive": role.seat_kind == VOTING_SEAT,
            }
        )
    listed.sort(key=lambda seat: (not seat["voting_executive"], seat["label"]))
    return listed


def _leads_on(index: GraphIndex, here: State, there: State, profession: str) -> bool:
    """A step of a route to board level that stays in the profession: as in a roadmap, a route
    stops at its first board seat (k_cheapest never passes one seat to reach another)."""
    return there[1] == profession and index.roles[here[0]].tier != BOARD_TIER


def _fastest(
    index: GraphIndex, graph: StateGraph, origin: State, seats: set[State]
) -> dict[str, Any] | None:
    """The route to a board seat with the fewest typical years; a step whose years no source
    gives counts the ranking policy's ``unknownYears`` and makes the figure an estimate."""
    unknown = scoring.policy_of(index).unknown_years
    best: dict[State, tuple[float, int, State | None]] = {origin: (0.0, 0, None)}
    for state in graph.order:
        if state not in best:
            continue
        years, steps, _ = best[state]
        for following, data in graph.adj[state].items():
            if not _leads_on(index, state, following, origin[1]):
                continue
            edge = data["edge"]
            option = (years + (edge.years if edge.years is not None else unknown), steps + 1)
            held = best.get(following)
            if held is None or option < held[:2]:
                best[following] = (*option, state)
    reached = [(best[s][:2], index.roles[s[0]].label, s) for s in seats if s in best]
    if not reached:
        return None
    (years, _), _, end = min(reached)
    path = [end]
    while (previous := best[path[-1]][2]) is not None:
        path.append(previous)
    path.reverse()
    edges = [graph.step(a, b)["edge"] for a, b in itertools.pairwise(path)]
    sourced = all(edge.years_source for edge in edges)
    seat = index.roles[end[0]]
    kind = index.seat_kinds.get(seat.seat_kind or "")
    return {
        "years": round(years, 2),
        "basis": "source" if sourced else "estimate",
        "seat": {**_ref(seat), "seat": kind.label if kind else None},
        "years_unknown_on": [short_id(e.progression) for e in edges if e.years is None],
        "at_least": any(edge.years_minimum for edge in edges),
        "roles": [_ref(index.roles[state[0]]) for state in path],
    }


def _routes_and_bottlenecks(
    index: GraphIndex, graph: StateGraph, origin: State, seats: set[State]
) -> tuple[int, list[dict[str, str]]]:
    """How many distinct routes lead from the entry role to a board seat, and the roles every
    one of them passes through: a role is such a bottleneck when the routes through it (those
    into it times those out of it) are all the routes. Two passes over the acyclic graph."""
    profession = origin[1]
    into: dict[State, int] = {origin: 1}
    for state in graph.order:
        if state not in into:
            continue
        for following in graph.adj[state]:
            if _leads_on(index, state, following, profession):
                into[following] = into.get(following, 0) + into[state]
    out: dict[State, int] = {}
    for state in reversed(graph.order):
        if state in seats and state != origin:
            out[state] = 1
            continue
        out[state] = sum(
            out.get(following, 0)
            for following in graph.adj[state]
            if _leads_on(index, state, following, profession)
        )
    total = out.get(origin, 0)
    if not total:
        return 0, []
    bottlenecks = [
        _ref(index.roles[state[0]])
        for state in graph.order
        if index.roles[state[0]].tier in LEADERSHIP_TIERS
        and into.get(state, 0) * out.get(state, 0) == total
    ]
    return total, bottlenecks


def _retraining(
    index: GraphIndex, graph: StateGraph, profession: str, seats: set[State]
) -> list[dict[str, Any]]:
    """The retraining steps open from the profession's own roles, each with the board seats it
    opens that the profession's own routes do not reach."""
    own_seats = {state[0] for state in seats}
    found: list[dict[str, Any]] = []
    for state in graph.order:
        if state[1] != profession:
            continue
        for following, data in graph.adj[state].items():
            edge = data["edge"]
            if not edge.retrains_as:
                continue
            beyond = {
                s[0]
                for s in _descendants(graph, following)
                if index.roles[s[0]].tier == BOARD_TIER and s[0] not in own_seats
            }
            found.append(
                {
                    "progression": short_id(edge.progression),
                    "from": _ref(index.roles[edge.source]),
                    "to": _ref(index.roles[edge.target]),
                    "retrains_as": {
                        "id": short_id(edge.retrains_as),
                        "label": index.professions.get(edge.retrains_as, edge.retrains_as),
                    },
                    "opens_seats": sorted(index.roles[iri].label for iri in beyond),
                }
            )
    found.sort(key=lambda item: str(item["progression"]))
    return found


def _descendants(graph: StateGraph, start: State) -> set[State]:
    seen = {start}
    pending = [start]
    while pending:
        for following in graph.adj[pending.pop()]:
            if following not in seen:
                seen.add(following)
                pending.append(following)
    return seen


def _positive_action(index: GraphIndex, graph: StateGraph, profession: str) -> dict[str, Any]:
    """How many of the profession's steps a positive-action programme for minority ethnic staff
    applies to, by the band held when the step is taken, as a roadmap offers them; a step from a
    role whose band is not known is counted apart (eligibility by band cannot be shown)."""
    steps = covered = 0
    programmes: set[str] = set()
    unknown_band = 0
    for state in graph.order:
        if state[1] != profession:
            continue
        for following, data in graph.adj[state].items():
            edge = data["edge"]
            if edge.retrains_as or following[1] != profession:
                continue
            steps += 1
            source, target = index.roles[edge.source], index.roles[edge.target]
            if source.band_ranks() is None:
                unknown_band += 1
            offers = positive_action_offers(index, source, target, set(POSITIVE_ACTION_GROUPS))
            if offers:
                covered += 1
                programmes.update(offer.label for offer in offers)
    return {
        "steps": steps,
        "covered": covered,
        "share": round(covered / steps, 2) if steps else None,
        "programmes": sorted(programmes),
        "steps_band_unknown": unknown_band,
    }


def equity_report(index: GraphIndex, measures: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The rows as the API, the command and the page give them, with the figures' meanings and
    the recommendations each speaks to (``measures``: queries/equity-measures.rq)."""
    rows = [row.as_dict() for row in equity_rows(index)]
    return {
        "basis": (
            "What the graph's career steps allow, not who holds which post: no public source "
            "gives leadership posts by profession, sex and ethnicity. Every route starts from "
            "the profession's trainee post and stays in the profession (retraining into "
            "another profession is counted apart). Where professions show the same figures, "
            "it is because the sources open the same senior roles to all of them: that is "
            "eligibility, not evidence that they reach them equally. Years are typical years "
            "from the sources where they give them and this project's estimates where they "
            "do not; 'estimate' marks a figure with any estimated step, and 'at least' one "
            "with a step whose years are a minimum."
        ),
        "measures": list(measures),
        "professions": rows,
        "single_role_dependence": [
            row["profession"]["label"] for row in rows if row["bottlenecks"]
        ],
        "no_voting_seat": [row["profession"]["label"] for row in rows if not row["voting_seats"]],
    }


def equity_of(loaded: LoadedGraph) -> dict[str, Any]:
    """The equity report of a loaded graph: what `pathways equity`, GET /api/equity and the
    equity page show."""
    cached = loaded.cache.get("equity")
    if cached is None:
        cached = loaded.cache["equity"] = equity_report(
            index_of(loaded), catalogue.equity_measures(loaded)
        )
    report: dict[str, Any] = cached
    return report
