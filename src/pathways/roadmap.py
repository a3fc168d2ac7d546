"""The roadmap engine: from a start role, the best k routes to a target, with what each step needs.

One service used by the CLI (and later the API and the pages). SPARQL (queries/roadmap-edges.rq)
selects the progressions reachable from the start through roles open to the person's profession;
networkx keeps those that lead to the target and ranks whole routes by total typical years, ties
broken by fewer steps. Per-step facts come from the graph index (queries run once per graph).
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox

from . import queries as named_queries
from .index import GraphIndex, Offer, Role, index_of, short_id
from .loader import LoadedGraph
from .resources import PPID

TARGET_TIERS = {
    "board": PPID + "tier-provider-board",
    "national": PPID + "tier-national-regional",
}
GROUPS = {"minority-ethnic": PPID + "group-minority-ethnic", "women": PPID + "group-women"}
_SINK = "urn:pathways:target"


class RoadmapError(ValueError):
    """A request the engine cannot answer, with what to do about it."""

    def __init__(self, message: str, *, suggestions: Sequence[str] = (), field: str = "") -> None:
        self.message = message
        self.suggestions = list(suggestions)
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class RoadmapRequest:
    start: str
    target: str = "board"
    profession: str | None = None
    positive_action: tuple[str, ...] = ()
    self_assessment: Mapping[str, str] | None = None
    k: int = 3


@dataclass
class Step:
    source: Role
    role: Role
    progression: str
    years: float | None
    gaps: list[dict[str, Any]] = field(default_factory=list)
    programmes: list[dict[str, Any]] = field(default_factory=list)
    positive_action: list[dict[str, Any]] = field(default_factory=list)
    support: list[dict[str, Any]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": {"id": short_id(self.source.iri), "label": self.source.label},
            "to": {
                "id": short_id(self.role.iri),
                "label": self.role.label,
                "tier": self.role.tier_label,
                "bands": self.role.bands,
            },
            "progression": short_id(self.progression),
            "years": self.years,
            "gaps": self.gaps,
            "programmes": self.programmes,
            "positive_action": self.positive_action,
            "support": self.support,
            "conditions": self.conditions,
        }


@dataclass
class Route:
    steps: list[Step]

    @property
    def total_years(self) -> float:
        return round(sum(step.years or 0.0 for step in self.steps), 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_years": self.total_years,
            "step_count": len(self.steps),
            "years_unknown_on": [short_id(s.progression) for s in self.steps if s.years is None],
            "steps": [step.as_dict() for step in self.steps],
        }


@dataclass
class Roadmap:
    start: Role
    profession: tuple[str, str]
    target: dict[str, str]
    routes: list[Route]
    excluded: list[dict[str, str]]
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": {"id": short_id(self.start.iri), "label": self.start.label},
            "profession": {"id": short_id(self.profession[0]), "label": self.profession[1]},
            "target": self.target,
            "routes": [route.as_dict() for route in self.routes],
            "excluded": self.excluded,
            "note": self.note,
        }


# --- naming things ---------------------------------------------------------------------------


def _normalise(text: str) -> str:
    return " ".join(text.strip().lower().replace("\u2019", "'").split())


def resolve_role(index: GraphIndex, text: str, *, field_name: str = "role") -> Role:
    """A role by IRI, id (``role-pwp``, ``ppid:role-pwp``) or name: exact (case-insensitive),
    then an unambiguous prefix. Unknown or ambiguous names raise with the closest labels."""
    wanted = text.strip()
    for candidate in (wanted, PPID + wanted.removeprefix("ppid:"), PPID + "role-" + wanted):
        if candidate in index.roles:
            return index.roles[candidate]
    key = _normalise(wanted)
    if not key:
        raise RoadmapError(f"no {field_name} given", field=field_name)
    exact = {iri for name, iri, _ in index.role_names if _normalise(name) == key}
    if len(exact) == 1:
        return index.roles[exact.pop()]
    prefixed = {iri for name, iri, _ in index.role_names if _normalise(name).startswith(key)}
    if len(exact) > 1 or len(prefixed) > 1:
        matches = sorted(index.roles[iri].label for iri in (exact or prefixed))
        raise RoadmapError(
            f"{text!r} matches {len(matches)} roles; give more of the name or the id",
            suggestions=matches,
            field=field_name,
        )
    if len(prefixed) == 1:
        return index.roles[prefixed.pop()]
    labels = {_normalise(name): index.roles[iri].label for name, iri, _ in index.role_names}
    close = difflib.get_close_matches(key, list(labels), n=5, cutoff=0.5)
    suggestions = list(dict.fromkeys(labels[c] for c in close))
    raise RoadmapError(
        f"no role is called {text!r}" + (f"; did you mean {suggestions[0]!r}?" if close else ""),
        suggestions=suggestions,
        field=field_name,
    )


def resolve_profession(index: GraphIndex, text: str) -> str:
    wanted = text.strip()
    for candidate in (wanted, PPID + wanted.removeprefix("ppid:"), PPID + "profession-" + wanted):
        if candidate in index.professions:
            return candidate
    key = _normalise(wanted)
    for iri, label in index.professions.items():
        if _normalise(label) == key or _normalise(index.abbreviations.get(iri, "")) == key:
            return iri
    prefixed = [
        iri for iri, label in index.professions.items() if _normalise(label).startswith(key)
    ]
    if len(prefixed) == 1 and key:
        return prefixed[0]
    labels = {_normalise(label): label for label in index.professions.values()}
    close = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.5)
    raise RoadmapError(
        f"no profession is called {text!r}",
        suggestions=[labels[c] for c in close] or sorted(index.professions.values()),
        field="profession",
    )


def _level_rank(index: GraphIndex, value: str | int, competency: str) -> int:
    if isinstance(value, int) and value in index.levels:
        return value
    text = _normalise(str(value))
    if text.isdigit() and int(text) in index.levels:
        return int(text)
    for rank, (iri, label) in index.levels.items():
        if text in {_normalise(label), _normalise(short_id(iri)), _normalise(iri)}:
            return rank
        if text == _normalise(short_id(iri)).removeprefix("level-"):
            return rank
    names = ", ".join(label.lower() for _, (_, label) in sorted(index.levels.items()))
    raise RoadmapError(
        f"self-assessment: {value!r} is not a level (for {competency!r}); use one of: {names}",
        field="self_assessment",
    )


def read_self_assessment(index: GraphIndex, answers: Mapping[str, Any]) -> dict[str, int]:
    """Competency (id or label) -> level (label, id or rank 1-4), checked against the graph."""
    by_name = {_normalise(label): iri for iri, label in index.competencies.items()}
    levels: dict[str, int] = {}
    for key, value in answers.items():
        name = _normalise(str(key))
        iri = next(
            (
                c
                for c in (str(key), PPID + str(key).removeprefix("ppid:"))
                if c in index.competencies
            ),
            by_name.get(name),
        )
        if iri is None:
            close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.6)
            hint = f"; did you mean {index.competencies[by_name[close[0]]]!r}?" if close else ""
            raise RoadmapError(
                f"self-assessment: no competency is called {key!r}{hint}",
                suggestions=sorted(index.competencies.values()),
                field="self_assessment",
            )
        levels[iri] = _level_rank(index, value, str(key))
    return levels


# --- the engine ------------------------------------------------------------------------------


def _targets(
    index: GraphIndex, request: RoadmapRequest, profession: str
) -> tuple[set[str], dict[str, str]]:
    target_key = request.target.strip().lower()
    if target_key in TARGET_TIERS:
        tier = TARGET_TIERS[target_key]
        roles = {iri for iri, role in index.roles.items() if role.tier == tier}
        label = next((r.tier_label for r in index.roles.values() if r.tier == tier), target_key)
        return roles, {"id": target_key, "label": label}
    role = resolve_role(index, request.target, field_name="target")
    return {role.iri}, {"id": short_id(role.iri), "label": role.label}


def _excluded(index: GraphIndex, targets: set[str], profession: str) -> list[dict[str, str]]:
    excluded = []
    profession_label = index.professions[profession]
    for iri in sorted(targets):
        role = index.roles[iri]
        if profession in role.professions:
            continue
        if role.registers:
            reason = "requires registration on the " + " or the ".join(
                sorted(role.registers.values())
            )
        else:
            reason = f"not open to {profession_label.lower()}s"
        excluded.append({"id": short_id(iri), "label": role.label, "reason": reason})
    return excluded


def _route_graph(loaded: LoadedGraph, index: GraphIndex, start: str, profession: str) -> nx.DiGraph:
    """Progressions out of the roles reachable from ``start``, between roles open to
    ``profession``, weighted for ranking whole routes."""
    rows = named_queries.select(
        loaded.store, named_queries.get("roadmap-reachable-roles"), {"start": ox.NamedNode(start)}
    )
    graph = nx.DiGraph()
    graph.add_node(start)
    for source in sorted(row["role"].value for row in rows):
        if source not in index.roles or profession not in index.roles[source].professions:
            continue
        for progression, target, years in sorted(index.outgoing.get(source, [])):
            if target not in index.roles or profession not in index.roles[target].professions:
                continue
            # Whole-route cost: years first (in hundredths), then one unit per step as tie-breaker.
            cost = round((years or 0.0) * 100) * 1000 + 1
            graph.add_edge(source, target, progression=progression, years=years, cost=cost)
    return graph


def _offer_ref(offer: Offer, closes: Sequence[str] = ()) -> dict[str, Any]:
    ref: dict[str, Any] = {"id": short_id(offer.iri), "label": offer.label}
    if closes:
        ref["closes"] = list(closes)
    return ref


def _build_step(
    index: GraphIndex,
    source: Role,
    role: Role,
    edge: Mapping[str, Any],
    held: dict[str, int],
    groups: set[str],
) -> Step:
    step = Step(source=source, role=role, progression=edge["progression"], years=edge["years"])
    needed = index.requirements.get(role.iri, {})
    gap_competencies = []
    for competency, rank in sorted(needed.items(), key=lambda item: index.competencies[item[0]]):
        have = held.get(competency, 0)
        if rank > have:
            gap_competencies.append(competency)
            step.gaps.append(
                {
                    "competency": {
                        "id": short_id(competency),
                        "label": index.competencies[competency],
                    },
                    "needed": index.level_label(rank),
                    "held": index.level_label(have),
                }
            )
        held[competency] = max(have, rank)

    low_ranks = source.band_ranks()
    high_ranks = role.band_ranks()
    step_low = low_ranks[0] if low_ranks else (high_ranks[0] if high_ranks else None)
    step_high = high_ranks[1] if high_ranks else (low_ranks[1] if low_ranks else None)
    facts = index.step_facts.get(edge["progression"])
    chosen: dict[str, dict[str, Any]] = {}
    for iri in facts.programmes if facts else []:
        offer = index.offers[iri]
        closes = [index.competencies[c] for c in gap_competencies if c in offer.develops]
        chosen[iri] = _offer_ref(offer, closes) | {"recommended": True}
    for offer in index.offers.values():
        if offer.kind != "programme" or offer.groups or offer.iri in chosen:
            continue
        closes = [index.competencies[c] for c in gap_competencies if c in offer.develops]
        tier_fits = not offer.tiers or bool(offer.tiers & {source.tier, role.tier})
        if closes and tier_fits and offer.fits_bands(step_low, step_high):
            chosen[offer.iri] = _offer_ref(offer, closes) | {"recommended": False}
    # Recommended programmes first (the paper's pairings), then those closing the most gaps.
    step.programmes = sorted(
        chosen.values(),
        key=lambda ref: (not ref["recommended"], -len(ref.get("closes", [])), ref["label"]),
    )

    if groups:
        # Eligibility for positive action is about the person's band now: the starting role's.
        now_low, now_high = low_ranks if low_ranks else (None, None)
        listed = list(facts.positive_action) if facts else []
        others = [o.iri for o in index.offers.values() if o.kind == "programme" and o.groups]
        for iri in dict.fromkeys(listed + others):
            offer = index.offers[iri]
            tier_fits = iri in listed or bool(offer.tiers & {source.tier, role.tier})
            if offer.groups & groups and tier_fits and offer.fits_bands(now_low, now_high):
                step.positive_action.append(_offer_ref(offer))

    support = list(facts.support) if facts else []
    support += [o.iri for o in index.offers.values() if o.kind == "support" and o.groups & groups]
    step.support = [_offer_ref(index.offers[iri]) for iri in dict.fromkeys(support)]
    conditions = (list(facts.conditions) if facts else []) + role.conditions
    if role.registers:
        conditions.append(
            "Requires registration on the " + " or the ".join(sorted(role.registers.values()))
        )
    step.conditions = list(dict.fromkeys(conditions))
    return step


def _professions_with_routes(
    loaded: LoadedGraph, index: GraphIndex, start: Role, targets: set[str], current: str
) -> list[str]:
    found = []
    for other in sorted(start.professions - {current}, key=lambda p: index.professions[p]):
        graph = _route_graph(loaded, index, start.iri, other)
        open_targets = {t for t in targets if other in index.roles[t].professions}
        if open_targets & nx.descendants(graph, start.iri):
            found.append(index.professions[other].lower())
    return found


def build_roadmap(loaded: LoadedGraph, request: RoadmapRequest) -> Roadmap:
    if request.k < 1:
        raise RoadmapError("k must be at least 1", field="k")
    index = index_of(loaded)
    start = resolve_role(index, request.start, field_name="start")
    if request.profession:
        profession = resolve_profession(index, request.profession)
        if profession not in start.professions:
            raise RoadmapError(
                f"{start.label!r} is not open to {index.professions[profession].lower()}s",
                suggestions=sorted(index.professions[p] for p in start.professions),
                field="profession",
            )
    elif len(start.professions) == 1:
        profession = next(iter(start.professions))
    elif not start.professions:
        reason = "requires registration on the " + " or the ".join(sorted(start.registers.values()))
        raise RoadmapError(
            f"{start.label!r} is open to no psychological profession ({reason})", field="start"
        )
    else:
        raise RoadmapError(
            f"{start.label!r} is open to {len(start.professions)} professions: say which is "
            "yours with the profession option",
            suggestions=sorted(index.professions[p] for p in start.professions),
            field="profession",
        )
    groups = set()
    for group in request.positive_action:
        key = group.strip().lower()
        if key not in GROUPS:
            raise RoadmapError(
                f"no positive-action group {group!r}; use one of: {', '.join(GROUPS)}",
                suggestions=list(GROUPS),
                field="positive_action",
            )
        groups.add(GROUPS[key])
    assessed = read_self_assessment(index, request.self_assessment or {})

    targets, target_ref = _targets(index, request, profession)
    excluded = _excluded(index, targets, profession)
    open_targets = {t for t in targets if profession in index.roles[t].professions}
    roadmap = Roadmap(
        start=start,
        profession=(profession, index.professions[profession]),
        target=target_ref,
        routes=[],
        excluded=excluded,
    )
    if start.iri in open_targets:
        roadmap.note = f"{start.label!r} is already a {target_ref['label'].lower()} role"
        return roadmap

    graph = _route_graph(loaded, index, start.iri, profession)
    # The SPARQL path cannot require every role on the way to be open to the profession, so
    # some edges it returns hang off roles the person cannot pass through: keep what networkx
    # reaches from the start over edges between open roles.
    reachable = open_targets & nx.descendants(graph, start.iri)
    if not reachable:
        roadmap.note = (
            f"no route leads from {start.label!r} to a {target_ref['label'].lower()} role "
            f"through roles open to {index.professions[profession].lower()}s"
        )
        others = _professions_with_routes(loaded, index, start, targets - {start.iri}, profession)
        if others:
            # e.g. a PWP in CBT training goes on as a cognitive and behavioural therapist.
            roadmap.note += "; it leads on as " + " or ".join(others) + " (set the profession)"
        return roadmap
    # Sorted: set order changes between processes, and ties between routes must not.
    for target in sorted(reachable):
        graph.add_edge(target, _SINK, cost=0)
    paths = itertools.islice(
        nx.shortest_simple_paths(graph, start.iri, _SINK, weight="cost"), request.k
    )
    for path in paths:
        held = dict(index.requirements.get(start.iri, {}))
        held.update(assessed)
        roles = path[:-1]
        steps = [
            _build_step(index, index.roles[a], index.roles[b], graph.edges[a, b], held, groups)
            for a, b in itertools.pairwise(roles)
        ]
        roadmap.routes.append(Route(steps))
    return roadmap


_CACHE_SIZE = 512


def roadmap_as_json(loaded: LoadedGraph, request: RoadmapRequest) -> bytes:
    """The roadmap serialised as JSON, remembered per request for the life of the graph.

    A served graph never changes (a reload builds a new one), and advisers ask about the same
    roles again and again, so the answer to an identical request is kept (at most 512).
    """
    key = (
        request.start,
        request.target,
        request.profession,
        request.positive_action,
        tuple(sorted((request.self_assessment or {}).items())),
        request.k,
    )
    cache: OrderedDict[tuple[object, ...], bytes] = loaded.cache.setdefault(
        "roadmaps", OrderedDict()
    )
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    body = json.dumps(build_roadmap(loaded, request).as_dict()).encode()
    cache[key] = body
    if len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return body
