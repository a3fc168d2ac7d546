"""The roadmap engine: from a start role, the best k routes to a target, the best route to each
seat the person can reach, and what every step asks of them.

The graph index holds every progression as SPARQL returns it (queries/progression-edges.rq); the
engine walks them from the start as (role, profession) states (``paths.py``), so that a retraining
step (PWP to trainee CBT therapist) continues the route under the new profession and a role is
entered only by someone who can hold it, and ranks whole routes on that networkx graph by the one
cost function of ``scoring.py`` (weights in ontology/ranking.ttl); ``steps.py`` describes each
step. queries/roadmap-edges.rq is the same selection of edges as one SPARQL query.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pathways.careers import scoring
from pathways.careers.index import GraphIndex, Role, index_of, short_id
from pathways.careers.paths import (
    BOARD_TIER,
    State,
    StateGraph,
    cheapest_to_each,
    k_cheapest,
    path_to,
    state_graph,
)
from pathways.careers.resolve import (
    GROUPS,
    TARGET_TIERS,
    RoadmapError,
    alternative_name,
    read_self_assessment,
    resolve_groups,
    resolve_prefer,
    resolve_profession,
    resolve_registrations,
    resolve_role,
)
from pathways.careers.steps import Step, describe, kind_name
from pathways.graph.loader import LoadedGraph

__all__ = [
    "GROUPS",
    "TARGET_TIERS",
    "Roadmap",
    "RoadmapError",
    "RoadmapRequest",
    "Route",
    "build_roadmap",
    "resolve_profession",
    "resolve_role",
    "roadmap_as_json",
]

NATIONAL_TIER = TARGET_TIERS["national"]


@dataclass(frozen=True)
class RoadmapRequest:
    start: str
    target: str = "board"
    profession: str | None = None
    positive_action: tuple[str, ...] = ()
    self_assessment: Mapping[str, str] | None = None
    k: int = 3
    prefer: str | None = None
    registrations: tuple[str, ...] = ()


@dataclass
class Route:
    steps: list[Step]
    end_penalty: scoring.Penalty | None = None

    @property
    def cost(self) -> float:
        end = self.end_penalty.years if self.end_penalty else 0.0
        return round(sum(step.cost for step in self.steps) + end, 2)

    @property
    def total_years(self) -> float:
        return round(sum(step.years or 0.0 for step in self.steps), 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_years": self.total_years,
            "years_estimated": sum(1 for s in self.steps if s.years_basis == "estimate"),
            "years_unknown_on": [
                short_id(s.edge.progression) for s in self.steps if s.years is None
            ],
            "cost": self.cost,
            "end_penalty": self.end_penalty.as_dict() if self.end_penalty else None,
            "step_count": len(self.steps),
            "steps": [step.as_dict() for step in self.steps],
        }


@dataclass
class Roadmap:
    start: Role
    profession: tuple[str, str]
    target: dict[str, str]
    routes: list[Route]
    excluded: list[dict[str, Any]]
    seats: list[dict[str, Any]] = field(default_factory=list)
    # How many more seats were left out than ``excluded`` lists, by reason (see EXCLUDED_SHOWN).
    excluded_more: dict[str, Any] = field(
        default_factory=lambda: {"closed": 0, "unreached": 0, "opened_by": []}
    )
    prefer: tuple[str, str] | None = None
    registrations: list[dict[str, str]] = field(default_factory=list)
    note: str = ""
    called: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": {
                "id": short_id(self.start.iri),
                "label": self.start.label,
                "tier": self.start.tier_label,
                "bands": self.start.bands,
                "bands_basis": self.start.bands_basis,
                "pre_entry": self.profession[0] in self.start.pre_entry_to,
                "called": self.called,
            },
            "profession": {"id": short_id(self.profession[0]), "label": self.profession[1]},
            "target": self.target,
            "prefer": (
                {"id": short_id(self.prefer[0]), "label": self.prefer[1]} if self.prefer else None
            ),
            "registrations": self.registrations,
            "routes": [route.as_dict() for route in self.routes],
            "seats": self.seats,
            "excluded": self.excluded,
            "excluded_more": self.excluded_more,
            "note": self.note,
        }


# --- routes ----------------------------------------------------------------------------------


def _steps(
    index: GraphIndex,
    graph: StateGraph,
    states: list[State],
    held: dict[str, int],
    groups: set[str],
    described: dict[tuple[State, ...], tuple[Step, dict[str, int], frozenset[str]]],
) -> list[Step]:
    """The steps of a route, described. Routes that share their first steps share the
    description (``described``, per request): the same steps from the same start hold the same
    levels and were offered the same programmes, so the answer is the same."""
    steps = []
    offered: set[str] = set()
    for position, (here, there) in enumerate(itertools.pairwise(states)):
        prefix = tuple(states[: position + 2])
        if prefix in described:
            step, after, were_offered = described[prefix]
            held = dict(after)
            offered = set(were_offered)
            steps.append(step)
            continue
        data = graph.step(here, there)
        step = Step(
            edge=data["edge"],
            source=index.roles[here[0]],
            role=index.roles[there[0]],
            profession=(there[1], index.professions.get(there[1], there[1])),
            cost=data["cost"],
            penalties=data["penalties"],
        )
        steps.append(describe(index, step, held, groups, offered))
        described[prefix] = (step, dict(held), frozenset(offered))
    return steps


def held_levels(
    index: GraphIndex, start: Role, profession: str, assessed: Mapping[str, int]
) -> dict[str, int]:
    """The levels a person holds at the start: their role's requirements, raised to what their
    profession's core training gives; their own self-assessment, where given, replaces both."""
    held = dict(index.requirements.get(start.iri, {}))
    for competency, rank in index.strengths.get(profession, {}).items():
        held[competency] = max(held.get(competency, 0), rank)
    held.update(assessed)
    return held


def _route_summary(
    index: GraphIndex, graph: StateGraph, states: list[State], end: scoring.Penalty | None
) -> dict[str, Any]:
    """A route told briefly (the seats list): each step's role, kind, years and their basis."""
    steps = []
    total = cost = 0.0
    for here, there in itertools.pairwise(states):
        data = graph.step(here, there)
        edge = data["edge"]
        total += edge.years or 0.0
        cost += data["cost"]
        key = ("brief-step", edge.progression)
        if key not in index.memo:
            index.memo[key] = (
                short_id(there[0]),
                index.roles[there[0]].label,
                kind_name(index, edge),
                "source" if edge.years_source else "estimate",
            )
        role_id, label, kind, basis = index.memo[key]
        steps.append(
            {
                "to": {"id": role_id, "label": label},
                "kind": kind,
                "years": edge.years,
                "years_basis": basis,
            }
        )
    return {
        "total_years": round(total, 2),
        "years_estimated": sum(1 for s in steps if s["years_basis"] == "estimate"),
        "cost": round(cost + (end.years if end else 0.0), 2),
        "step_count": len(steps),
        "steps": steps,
    }


def _seats(index: GraphIndex, graph: StateGraph, origin: State) -> list[dict[str, Any]]:
    """For every board and national seat the person can reach, the best route to it: one
    shortest-path search over the graph. A seat's route may pass through another seat where that
    is how the seat is reached (a chief executive after an executive director's seat); the
    ranked routes to board level stop at their first seat."""
    distances, came = cheapest_to_each(graph, origin, skip=lambda u, v: False)
    best: dict[str, tuple[int, State]] = {}
    for state, distance in distances.items():
        role = index.roles[state[0]]
        if role.tier not in (BOARD_TIER, NATIONAL_TIER) or state == origin:
            continue
        penalty = scoring.seat_penalty(index, role)
        total = distance + round((penalty.years if penalty else 0.0) * 100) * 1000
        if role.iri not in best or (total, state) < best[role.iri]:
            best[role.iri] = (total, state)
    seats = []
    for iri, (total, state) in best.items():
        role = index.roles[iri]
        kind = index.seat_kinds.get(role.seat_kind or "")
        summary = _route_summary(
            index, graph, path_to(came, origin, state), scoring.seat_penalty(index, role)
        )
        seats.append(
            (
                kind.rank if kind else 99,
                total,
                role.label,
                {
                    "id": short_id(iri),
                    "label": role.label,
                    "tier": role.tier_label,
                    "bands": role.bands,
                    "seat": {"id": short_id(kind.iri), "label": kind.label} if kind else None,
                    "route": summary,
                },
            )
        )
    return [entry for *_, entry in sorted(seats, key=lambda item: item[:3])]


# A roadmap lists at most this many seats closed to the person, and at most this many that no
# route reaches, and counts the rest: a graph holding many organisations' seats would otherwise
# list thousands in every roadmap (issue 15), and an adviser reads the first few. The shipped
# graph leaves out at most 7 of either kind, so every one is listed there.
EXCLUDED_SHOWN = 10


@dataclass(frozen=True)
class _Groups:
    """A tier's targets grouped by who may hold them (the professions they are open to, the
    registers they are reserved to). Whether targets are closed to a person is decided once per
    group, so a request costs the number of groups, not of targets: deciding it per target took
    50 ms for each new kind of person at 1,000 times the shipped graph (issue 15)."""

    members: list[list[str]]  # per group, its targets' IRIs in order
    sample: list[Role]  # per group, one of its roles: they are alike in who may hold them
    group_of: dict[str, int]  # target IRI -> its group
    # Seat titles (label, first IRI), in order, by the groups their roles fall in: a title is
    # closed when any of its roles is.
    titles: dict[frozenset[int], list[tuple[str, str]]]
    groups_of_title: dict[str, frozenset[int]]  # label -> the groups its roles fall in


def _groups(index: GraphIndex, target_id: str, targets: set[str]) -> _Groups:
    key = ("target-groups", target_id)
    if key not in index.memo:
        numbers: dict[tuple[frozenset[str], frozenset[str]], int] = {}
        members: list[list[str]] = []
        sample: list[Role] = []
        group_of: dict[str, int] = {}
        by_label: dict[str, set[int]] = {}
        for iri in sorted(targets):
            role = index.roles[iri]
            signature = (frozenset(role.professions), frozenset(role.registers))
            if signature not in numbers:
                numbers[signature] = len(members)
                members.append([])
                sample.append(role)
            group = numbers[signature]
            members[group].append(iri)
            group_of[iri] = group
            by_label.setdefault(role.label, set()).add(group)
        groups_of_title = {label: frozenset(groups) for label, groups in by_label.items()}
        titles: dict[frozenset[int], list[tuple[str, str]]] = {}
        for label, iri in _seat_titles(index, target_id, targets):
            titles.setdefault(groups_of_title[label], []).append((label, iri))
        index.memo[key] = _Groups(members, sample, group_of, titles, groups_of_title)
    groups: _Groups = index.memo[key]
    return groups


@dataclass
class _LeftOut:
    """The targets none of a person's professions may hold, and the seat titles left once those
    are set aside: each listed up to EXCLUDED_SHOWN, in order, and counted."""

    closed: list[dict[str, Any]]
    closed_count: int
    unlisted_codes: list[str]  # the registrations that open closed targets beyond the listed
    open_titles: Iterator[tuple[str, str]]  # (label, first IRI), in order
    open_count: int
    is_open_title: Callable[[str], bool]


def _left_out(
    index: GraphIndex,
    target_id: str,
    targets: set[str],
    profession: str,
    professions: frozenset[str],
    registrations: frozenset[str],
) -> _LeftOut:
    """What a roadmap leaves out: the targets none of the person's professions (their own, or
    one they retrain into) may hold, with the reason, and the open seat titles, decided per
    group of targets (``_groups``)."""
    groups = _groups(index, target_id, targets)
    closed_groups = {
        number
        for number, role in enumerate(groups.sample)
        if not any(role.can_be_held(p, registrations) for p in professions)
    }
    first = list(
        itertools.islice(
            heapq.merge(*(groups.members[g] for g in sorted(closed_groups))), EXCLUDED_SHOWN
        )
    )
    listed_in = Counter(groups.group_of[iri] for iri in first)
    unlisted: set[str] = set()
    for number in closed_groups:
        role = groups.sample[number]
        if listed_in[number] < len(groups.members[number]) and not role.professions:
            unlisted.update(
                code for code, (iri, _) in index.registrations.items() if iri in role.registers
            )
    open_keys = [key for key in groups.titles if not key & closed_groups]

    def is_open_title(label: str) -> bool:
        found = groups.groups_of_title.get(label)
        return found is not None and not found & closed_groups

    return _LeftOut(
        closed=[_closed_reason(index, index.roles[iri], profession) for iri in first],
        closed_count=sum(len(groups.members[g]) for g in closed_groups),
        unlisted_codes=sorted(unlisted),
        open_titles=heapq.merge(*(groups.titles[key] for key in open_keys)),
        open_count=sum(len(groups.titles[key]) for key in open_keys),
        is_open_title=is_open_title,
    )


def _seat_titles(index: GraphIndex, target_id: str, targets: set[str]) -> list[tuple[str, str]]:
    """(label, first role IRI) for each distinct seat title among the targets."""
    key = ("seat-titles", target_id)
    if key not in index.memo:
        titles: dict[str, str] = {}
        for iri in sorted(targets):
            titles.setdefault(index.roles[iri].label, iri)
        index.memo[key] = sorted(titles.items())
    result: list[tuple[str, str]] = index.memo[key]
    return result


def _seat_title_of(index: GraphIndex, target_id: str, targets: set[str]) -> dict[str, str]:
    """Label -> the first role IRI of that seat title, remembered per graph."""
    key = ("seat-title-of", target_id)
    if key not in index.memo:
        index.memo[key] = dict(_seat_titles(index, target_id, targets))
    found: dict[str, str] = index.memo[key]
    return found


def _closed_reason(index: GraphIndex, role: Role, profession: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": short_id(role.iri), "label": role.label}
    if role.registers and not role.professions:
        codes = sorted(
            code for code, (iri, _) in index.registrations.items() if iri in role.registers
        )
        basis = "; ".join(role.legal_basis)
        entry["reason"] = (
            "requires registration on the "
            + " or the ".join(sorted(role.registers.values()))
            + (f" ({basis})" if basis else "")
        )
        entry["legal_basis"] = role.legal_basis
        entry["opened_by"] = codes
    else:
        entry["reason"] = (
            f"not open to {index.professions[profession].lower()}s, and no retraining step "
            "into a profession it is open to is modelled"
        )
    return entry


# --- the request -----------------------------------------------------------------------------


def _profession(index: GraphIndex, request: RoadmapRequest, start: Role) -> str:
    if request.profession:
        profession = resolve_profession(index, request.profession)
        if profession not in start.professions:
            raise RoadmapError(
                f"{start.label!r} is not open to {index.professions[profession].lower()}s",
                suggestions=sorted(index.professions[p] for p in start.professions),
                field="profession",
            )
        return profession
    if len(start.professions) == 1:
        return next(iter(start.professions))
    if not start.professions:
        reason = "requires registration on the " + " or the ".join(sorted(start.registers.values()))
        raise RoadmapError(
            f"{start.label!r} is open to no psychological profession ({reason})", field="start"
        )
    raise RoadmapError(
        f"{start.label!r} is open to {len(start.professions)} professions: say which is "
        "yours with the profession option",
        suggestions=sorted(index.professions[p] for p in start.professions),
        field="profession",
    )


def _targets(index: GraphIndex, request: RoadmapRequest) -> tuple[set[str], dict[str, str], bool]:
    """The target roles, how to name them, and whether one role was named."""
    target_key = request.target.strip().lower()
    if target_key in TARGET_TIERS:
        tier = TARGET_TIERS[target_key]
        key = ("tier-roles", tier)
        if key not in index.memo:
            roles = {iri for iri, role in index.roles.items() if role.tier == tier}
            label = next((index.roles[r].tier_label for r in roles), target_key)
            index.memo[key] = (frozenset(roles), label)
        roles, label = index.memo[key]
        return set(roles), {"id": target_key, "label": label}, False
    role = resolve_role(index, request.target, field_name="target")
    return {role.iri}, {"id": short_id(role.iri), "label": role.label}, True


def build_roadmap(loaded: LoadedGraph, request: RoadmapRequest) -> Roadmap:
    if request.k < 1:
        raise RoadmapError("k must be at least 1", field="k")
    index = index_of(loaded)
    start = resolve_role(index, request.start, field_name="start")
    profession = _profession(index, request, start)
    groups = resolve_groups(request.positive_action)
    prefer = resolve_prefer(index, request.prefer)
    registrations = resolve_registrations(index, request.registrations)
    assessed = read_self_assessment(index, request.self_assessment or {})
    targets, target_ref, named = _targets(index, request)
    scoring.policy_of(index)

    graph = state_graph(index, start.iri, profession, registrations, prefer)
    origin = (start.iri, profession)
    professions_met = frozenset(state[1] for state in graph.order)
    left_out = _left_out(
        index, target_ref["id"], targets, profession, professions_met, registrations
    )
    excluded = left_out.closed
    roadmap = Roadmap(
        start=start,
        called=alternative_name(index, request.start, start),
        profession=(profession, index.professions[profession]),
        target=target_ref,
        routes=[],
        excluded=excluded,
        excluded_more={
            "closed": max(0, left_out.closed_count - EXCLUDED_SHOWN),
            "unreached": 0,
            "opened_by": left_out.unlisted_codes,
        },
        prefer=(prefer, index.functions[prefer]) if prefer else None,
        registrations=[
            {"id": short_id(iri), "label": label}
            for iri, label in sorted(
                (index.registrations[c][0], index.registrations[c][1])
                for c in index.registrations
                if index.registrations[c][0] in registrations
            )
        ],
    )
    if not named:
        # The best route to each seat within reach; a named target is its own answer.
        roadmap.seats = _seats(index, graph, origin)
        # Open seats that no route reaches are said too, once per seat title (a graph that
        # holds many trusts' seats of one title lists the title once, if none is reached).
        reached = {seat["label"] for seat in roadmap.seats}
        # Titles with a reached role, the start's own and the closed ones are set aside; the
        # rest are listed in order of title up to EXCLUDED_SHOWN, and counted beyond it. Only
        # the reached titles and the start are skipped here, so this costs O(shown + reached).
        unreached = 0
        for label, iri in left_out.open_titles:
            if label in reached or iri == start.iri:
                continue
            unreached += 1
            if unreached > EXCLUDED_SHOWN:
                break
            roadmap.excluded.append(
                {
                    "id": short_id(iri),
                    "label": index.roles[iri].label,
                    "reason": f"no route from {start.label} is modelled for "
                    f"{index.professions[profession].lower()}s",
                }
            )
        if unreached > EXCLUDED_SHOWN:
            titles = _seat_title_of(index, target_ref["id"], targets)
            open_reached = {label for label in reached if left_out.is_open_title(label)}
            skipped = len(open_reached)
            if (
                titles.get(start.label) == start.iri
                and start.label not in open_reached
                and left_out.is_open_title(start.label)
            ):
                skipped += 1
            roadmap.excluded_more["unreached"] = left_out.open_count - skipped - EXCLUDED_SHOWN
    if start.iri in targets:
        roadmap.note = f"{start.label} is already a role at {target_ref['label'].lower()}."
        return roadmap
    routes = k_cheapest(index, graph, origin, targets, named, request.k)
    if not routes:
        roadmap.note = _no_route_note(index, start, profession, target_ref, excluded, named)
        return roadmap
    assessed_held = held_levels(index, start, profession, assessed)
    described: dict[tuple[State, ...], tuple[Step, dict[str, int], frozenset[str]]] = {}
    for states, penalty in routes:
        steps = _steps(index, graph, states, dict(assessed_held), groups, described)
        roadmap.routes.append(Route(steps, penalty))
    if len(roadmap.routes) < request.k:
        count = len(roadmap.routes)
        roadmap.note = (
            f"Only {count} of the {request.k} routes requested "
            + ("differs before its last step" if count == 1 else "differ before their last step")
            + ("; the best route to each seat is listed with the seats" if not named else "")
        )
    return roadmap


def _no_route_note(
    index: GraphIndex,
    start: Role,
    profession: str,
    target_ref: dict[str, str],
    excluded: list[dict[str, Any]],
    named: bool,
) -> str:
    members = index.professions[profession].lower() + "s"
    if named and excluded:
        entry = excluded[0]
        verb = "is " if entry["reason"].startswith("not ") else ""
        note = f"{entry['label']!r} {verb}{entry['reason']}"
        if entry.get("opened_by"):
            note += (
                "; if you hold it, give it as a registration ("
                + ", ".join(entry["opened_by"])
                + ")"
            )
        return note
    what = repr(target_ref["label"]) if named else f"a {target_ref['label'].lower()} role"
    return (
        f"no route leads from {start.label!r} to {what} in the knowledge base for {members}, "
        "retraining included"
    )


# The cache holds at most this many bytes of answers (keys included): a bound in bytes, not
# entries, because a roadmap's size varies with k and the graph (a few KB to a few hundred).
CACHE_BYTES = 32 * 1024 * 1024


class AnswerCache:
    """Answers by key, least recently used first out, never more than ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._answers: OrderedDict[tuple[object, ...], bytes] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> bytes | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: tuple[object, ...], answer: bytes) -> None:
        cost = _cost(key, answer)
        if key in self._answers or cost > self.limit:
            return
        self._answers[key] = answer
        self.size += cost
        while self.size > self.limit:
            old_key, old_answer = self._answers.popitem(last=False)
            self.size -= _cost(old_key, old_answer)

    def __len__(self) -> int:
        return len(self._answers)


def _cost(key: tuple[object, ...], answer: bytes) -> int:
    return len(answer) + len(repr(key))


def request_key(loaded: LoadedGraph, request: RoadmapRequest) -> tuple[object, ...]:
    """The request as the engine reads it: names resolved to IRIs and levels, so "senior PWP",
    "role-pwp-senior" and its IRI are one request, and raw text never makes two."""
    index = index_of(loaded)
    start = resolve_role(index, request.start, field_name="start")
    _, target_ref, _ = _targets(index, request)
    return (
        start.iri,
        _profession(index, request, start),
        target_ref["id"],
        tuple(sorted(resolve_groups(request.positive_action))),
        resolve_prefer(index, request.prefer),
        tuple(sorted(resolve_registrations(index, request.registrations))),
        tuple(sorted(read_self_assessment(index, request.self_assessment or {}).items())),
        request.k,
    )


def roadmap_as_json(loaded: LoadedGraph, request: RoadmapRequest) -> bytes:
    """The roadmap serialised as JSON, remembered per request for the life of the graph.

    A served graph never changes (a reload builds a new one), and advisers ask about the same
    roles again and again, so the answer to an identical request is kept, within CACHE_BYTES.
    """
    key = request_key(loaded, request)
    cache: AnswerCache = loaded.cache.setdefault("roadmaps", AnswerCache(CACHE_BYTES))
    body = cache.get(key)
    if body is None:
        body = json.dumps(build_roadmap(loaded, request).as_dict()).encode()
        cache.put(key, body)
    return body
