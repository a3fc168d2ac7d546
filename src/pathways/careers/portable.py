"""The engine's tables for the pages' own roadmap: what a role page opened from the file system
needs to personalise its roadmap without the service.

A page opened from a file cannot ask the API, so ``site/lib/personalise.js`` walks routes and
describes steps itself. It follows the rules of ``paths.py``, ``scoring.py`` and ``steps.py``,
but every figure and every decision that does not depend on the person's own answers is taken
from here, computed by those very modules: the fixed part of each step's cost, the programmes
that fit a step, its conditions, support and retraining facts, each role's requirements with
their importance. What is left to the page is the arithmetic on the person's answers (their
levels, profession, preference and registrations), and a parity test
(tests/site/test_personalise.py) runs the page's engine and this package's side by side.

The tables use short ids (``role-pwp``) throughout, as the API's answers do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pathways.careers import scoring
from pathways.careers.index import Edge, GraphIndex, Role, short_id
from pathways.careers.resolve import GROUPS, TARGET_TIERS, function_names
from pathways.careers.steps import (
    COURSE_MODE,
    STRENGTH_FROM_LEVEL,
    _fitting_programmes,
    _requirements_in_order,
    kind_name,
)
from pathways.graph.resources import PPID


class NotPortable(ValueError):
    """The graph holds a role or profession outside the project's namespace: the page's engine
    orders states by short id, which then would not order them as the engine does."""


def _check_namespace(index: GraphIndex) -> None:
    # Checked once per graph (each role page asks for its tables), again if roles are added.
    key = ("portable-namespace", str(len(index.roles)), str(len(index.professions)))
    if key in index.memo:
        return
    outside = sorted(iri for iri in [*index.roles, *index.professions] if not iri.startswith(PPID))
    if outside:
        raise NotPortable(
            f"{len(outside)} roles or professions are outside {PPID} (first: {outside[0]}); "
            "the pages' roadmap orders them by short id"
        )
    index.memo[key] = True


class _Tables:
    """Numbers for the names repeated across the tables (roles, professions, offers,
    competencies, conditions): the file the pages load stays a few tens of KB."""

    def __init__(self, index: GraphIndex, roles: list[str]) -> None:
        self.index = index
        self.roles = {iri: n for n, iri in enumerate(roles)}
        self.professions = {iri: n for n, iri in enumerate(sorted(index.professions))}
        self.offers = {iri: n for n, iri in enumerate(index.offers)}
        labels = index.competencies
        # The engine's competency order (steps._requirements_in_order): by label.
        self.competencies = {c: n for n, c in enumerate(sorted(labels, key=lambda c: labels[c]))}
        # Numbered the same on every page, so that a role's entry is written once per graph.
        self.tiers = _shared(index).tiers
        self.seats = {iri: n for n, iri in enumerate(index.seat_kinds)}
        self.texts: dict[str, int] = {}

    def tier(self, role: Role) -> int:
        return self.tiers[role.tier]

    def text(self, words: str) -> int:
        return self.texts.setdefault(words, len(self.texts))

    def professions_of(self, iris: set[str]) -> list[int]:
        return sorted(self.professions[p] for p in iris)


@dataclass(frozen=True)
class _Shared:
    """What every page's tables hold alike, worked out once per graph."""

    tiers: dict[str, int]
    tier_labels: dict[str, tuple[str, int]]
    seats: frozenset[str]


def _shared(index: GraphIndex) -> _Shared:
    shared = index.memo.get(("portable-shared",))
    if shared is None:
        tier_labels = {r.tier: (r.tier_label, r.tier_rank) for r in index.roles.values()}
        shared = index.memo[("portable-shared",)] = _Shared(
            tiers={iri: n for n, iri in enumerate(sorted(tier_labels))},
            tier_labels=tier_labels,
            seats=frozenset(
                iri for iri, role in index.roles.items() if role.tier in scoring.SEAT_TIERS
            ),
        )
    result: _Shared = shared
    return result


def _role(t: _Tables, role: Role) -> dict[str, Any]:
    """A role's entry, the same on every page: written once per graph."""
    key = ("portable-role", role.iri)
    if key not in t.index.memo:
        t.index.memo[key] = _role_entry(t, role)
    entry: dict[str, Any] = t.index.memo[key]
    return entry


def _role_entry(t: _Tables, role: Role) -> dict[str, Any]:
    index = t.index
    count = len(t.competencies)
    need, importance = [0] * count, [0.0] * count
    for position, _c, rank, weight in _requirements_in_order(index, role):
        need[position], importance[position] = rank, weight
    entry: dict[str, Any] = {
        "id": short_id(role.iri),
        "label": role.label,
        "tier": t.tier(role),
        "bands": role.bands,
        "bandsBasis": role.bands_basis,
        "need": _digits(need),
        "importance": _digits(importance),
    }
    for key, values in (
        ("professions", t.professions_of(role.professions)),
        ("ladderOf", t.professions_of(role.ladder_of)),
        ("preEntryTo", t.professions_of(role.pre_entry_to)),
        ("functions", sorted(short_id(f).removeprefix("function-") for f in role.functions)),
    ):
        if values:
            entry[key] = values
    if role.registers:
        entry["registers"] = sorted(
            code for code, (iri, _) in index.registrations.items() if iri in role.registers
        )
        entry["registerLabels"] = sorted(role.registers.values())
        entry["legalBasis"] = role.legal_basis
    if role.seat_kind in t.seats:
        entry["seat"] = t.seats[role.seat_kind]
    return entry


def _cost(t: _Tables, edge: Edge) -> list[Any]:
    """The part of a step's cost that depends on neither the profession held nor a preference
    (scoring.step_cost for a profession on no ladder, without a preference), and the
    professions for whom the step leaves their ladder early: [years, weight, penalties,
    leaves]."""
    index = t.index
    _, penalties = scoring.step_cost(index, edge, "", None)
    policy = scoring.policy_of(index)
    kind = index.step_kinds.get(edge.kind or "")
    years = edge.years if edge.years is not None else policy.unknown_years
    source, target = index.roles[edge.source], index.roles[edge.target]
    leaves = {
        p
        for p in index.professions
        if edge.retrains_as is None
        and p in source.ladder_of
        and p not in target.ladder_of
        and target.tier not in scoring.SEAT_TIERS
        and scoring.ladder_continues(index, source, p)
    }
    return [
        years,
        kind.weight if kind else 1.0,
        [[p.reason, p.years] for p in penalties],
        t.professions_of(leaves),
    ]


def _edge(t: _Tables, edge: Edge) -> dict[str, Any]:
    """A step's entry: the same on every page but for the numbers of its roles and conditions,
    which are the page's own; the rest is worked out once per graph."""
    key = ("portable-edge", edge.progression)
    if key not in t.index.memo:
        t.index.memo[key] = _edge_entry(t, edge)
    shared: dict[str, Any] = t.index.memo[key]
    entry = dict(shared)
    entry["from"], entry["to"] = t.roles[edge.source], t.roles[edge.target]
    if "conditions" in entry:
        entry["conditions"] = [t.text(c) for c in entry["conditions"]]
    return entry


def _edge_entry(t: _Tables, edge: Edge) -> dict[str, Any]:
    index = t.index
    facts = index.step_facts.get(edge.progression)
    source, target = index.roles[edge.source], index.roles[edge.target]
    # steps.describe: the step's own conditions, then the role's, then a reserved seat's.
    conditions = (list(facts.conditions) if facts else []) + target.conditions
    if target.registers and not target.professions:
        conditions.append(
            "Requires registration on the " + " or the ".join(sorted(target.registers.values()))
        )
    entry: dict[str, Any] = {
        "kind": kind_name(index, edge),
        "years": edge.years,
        "cost": _cost(t, edge),
    }
    lists = {
        "paired": [t.offers[i] for i in (facts.programmes if facts else []) if i in t.offers],
        # The programmes that fit the step's level, and whether each is made for its seat.
        "fitting": [
            [t.offers[o.iri], int(target.iri in o.prepares_roles)]
            for o in _fitting_programmes(index, source, target)
        ],
        # The positive-action programmes that fit the step and the band held before it.
        "positiveAction": [
            t.offers[o.iri]
            for o in index.offers.values()
            if o.kind == "programme"
            and o.groups
            and o.fits_step(source, target)
            and o.fits_bands(source.band_ranks())
        ],
        "support": [t.offers[i] for i in (facts.support if facts else []) if i in t.offers],
        "conditions": list(dict.fromkeys(conditions)),
    }
    entry.update({key: values for key, values in lists.items() if values})
    if edge.years is None:
        entry["id"] = short_id(edge.progression)  # a route names the steps of unknown length
    if edge.years_source:
        entry["yearsSource"] = edge.years_source
    if edge.years_minimum:
        entry["yearsMinimum"] = True
    if edge.retrains_as:
        entry["retrainsAs"] = t.professions[edge.retrains_as]
        entry["qualification"] = "; ".join(facts.qualification) if facts else ""
        entry["funding"] = "; ".join(facts.funding) if facts else ""
    return entry


def reachable(index: GraphIndex, start: str) -> list[str]:
    """The roles a route from ``start`` can pass through, whatever the person's profession and
    registrations: the roles its page's roadmap may name, in IRI order."""
    seen = {start}
    pending = [start]
    while pending:
        for edge in index.outgoing.get(pending.pop(), ()):
            if edge.target in index.roles and edge.target not in seen:
                seen.add(edge.target)
                pending.append(edge.target)
    return sorted(seen)


def tables(index: GraphIndex, start: str | None = None) -> dict[str, Any]:
    """Everything the pages' engine reads, as plain JSON-ready data: for the roles reachable
    from ``start`` (a role page's own), or for the whole graph."""
    _check_namespace(index)
    policy = scoring.policy_of(index)
    walked = reachable(index, start) if start else list(index.roles)
    # The board and national seats a route cannot reach are in seat_tables, once per graph.
    shared = _shared(index)
    among = sorted(walked)
    t = _Tables(index, among)
    competencies = list(t.competencies)
    roles = [_role(t, index.roles[iri]) for iri in among]
    edges = [
        _edge(t, edge)
        for iri in walked
        for edge in index.outgoing.get(iri, ())
        if edge.target in t.roles
    ]
    tier_labels = shared.tier_labels
    return {
        "policy": {
            "leaveLadder": policy.leave_ladder,
            "unpreferredFunction": policy.unpreferred_function,
            "priorityGaps": policy.priority_gaps,
            "programmesPerStep": policy.programmes_per_step,
            "strengthsPerStep": policy.strengths_per_step,
            "strengthFromLevel": STRENGTH_FROM_LEVEL,
        },
        "targets": {name: short_id(iri) for name, iri in TARGET_TIERS.items()},
        "groups": {name: short_id(iri) for name, iri in GROUPS.items()},
        "levels": {str(rank): label for rank, (_, label) in sorted(index.levels.items())},
        "competencies": [[short_id(c), index.competencies[c]] for c in competencies],
        "development": [_development(index, c) for c in competencies],
        "professions": [[short_id(p), index.professions[p]] for p in t.professions],
        "strengths": {
            str(t.professions[p]): [levels.get(c, 0) for c in competencies]
            for p, levels in sorted(index.strengths.items())
        },
        "functions": {
            name: [short_id(iri), index.functions[iri]]
            for name, iri in sorted(function_names(index).items())
        },
        "registrations": {
            code: [short_id(iri), label] for code, (iri, label) in index.registrations.items()
        },
        "seats": [[short_id(s.iri), s.label, s.rank, s.penalty] for s in index.seat_kinds.values()],
        "offers": [
            {
                "id": short_id(o.iri),
                "label": o.label,
                "kind": o.kind,
                "develops": sorted(t.competencies[c] for c in o.develops),
                "groups": sorted(short_id(g) for g in o.groups),
                "bandLimited": o.band_limited,
            }
            for o in index.offers.values()
        ],
        "tiers": [[short_id(iri), *tier_labels[iri]] for iri in t.tiers],
        # Rows of values in the order of their fields (the page names them again): a name
        # written once, not once per row, keeps the file small.
        **_rows("roles", roles),
        # Each role's outgoing steps in the engine's order (by target, then progression).
        **_rows("edges", edges),
        "texts": list(t.texts),
    }


def seat_tables(index: GraphIndex) -> dict[str, Any]:
    """Every board and national seat's row (as ``tables`` writes its roles): a roadmap says
    which seats it leaves out, and why, and the pages' engine joins these to a page's tables."""
    _check_namespace(index)
    seats = sorted(_shared(index).seats)
    t = _Tables(index, seats)
    return _rows("roles", [_role(t, index.roles[iri]) for iri in seats])


def _development(index: GraphIndex, competency: str) -> dict[str, Any] | None:
    d = index.development.get(competency)
    if d is None:
        return None
    return {
        "mode": short_id(d.mode).removeprefix("mode-"),
        "label": d.mode_label,
        "advice": d.advice,
        "course": d.mode == COURSE_MODE,
    }


def _rows(name: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    fields = sorted({key for entry in entries for key in entry})
    return {
        name + "Fields": fields,
        name: [[entry.get(key) for key in fields] for entry in entries],
    }


def _digits(values: list[int] | list[float]) -> str | list[float]:
    """Levels and importances as a string of digits ("1121..."), a third of their size as a
    JSON list, when each is a whole number below ten; otherwise the list."""
    if all(v == int(v) and 0 <= v < 10 for v in values):
        return "".join(str(int(v)) for v in values)
    return list(values)
