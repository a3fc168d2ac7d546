"""What a change to the graph does before it is published: `pathways diff`.

A policy team proposes a change as an extension folder (or a whole graph folder, compared with
`--base`). The difference is told the way the team will be asked about it: the triples and the
individuals it adds or removes, class by class; whether the changed graph passes validation; and,
for each profession, what changes in its equity row (careers/equity.py: seats gained or lost,
the fastest route, bottlenecks, routes) and in the roadmaps of any roles named. Both graphs are
read by the same engine as every other view, so the difference is between two answers the
service would give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from pathways.careers.equity import equity_of
from pathways.careers.index import index_of, short_id
from pathways.careers.resolve import RoadmapError
from pathways.careers.roadmap import RoadmapRequest, build_roadmap
from pathways.graph import queries as named_queries
from pathways.graph.loader import LoadedGraph
from pathways.graph.validation import compact

# The equity fields compared as sets of labels: what was gained and what was lost.
SET_FIELDS = ("board_seats", "bottlenecks", "national_roles")
# The equity fields compared as one figure before and after.
FIGURE_FIELDS = ("roles_open", "voting_seats", "fastest_years", "fastest_basis", "routes")


@dataclass(frozen=True)
class Side:
    """One graph of the comparison, with the words that name it ("ontology/", "the extension")."""

    loaded: LoadedGraph
    name: str


def _triples(loaded: LoadedGraph) -> tuple[set[ox.Quad], int]:
    """The triples without blank nodes, and how many have one: blank nodes are named afresh on
    every load, so triples about them (OWL restrictions, lists) are counted, not matched."""
    named: set[ox.Quad] = set()
    anonymous = 0
    for quad in loaded.store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            anonymous += 1
        else:
            named.add(quad)
    return named, anonymous


def _members(loaded: LoadedGraph) -> dict[str, tuple[str, set[str]]]:
    members: dict[str, tuple[str, set[str]]] = {}
    for row in named_queries.select(loaded.store, named_queries.get("class-members")):
        members.setdefault(row["class"].value, (row["label"].value, set()))[1].add(
            row["individual"].value
        )
    return members


def _classes(base: LoadedGraph, new: LoadedGraph) -> list[dict[str, Any]]:
    before, after = _members(base), _members(new)
    changes = []
    for iri in sorted(before.keys() | after.keys()):
        label = (after.get(iri) or before[iri])[0]
        old = before.get(iri, ("", set()))[1]
        now = after.get(iri, ("", set()))[1]
        added, removed = now - old, old - now
        if added or removed:
            changes.append(
                {
                    "class": compact(iri) or iri,
                    "label": label,
                    "before": len(old),
                    "after": len(now),
                    "added": [compact(i) or i for i in sorted(added)],
                    "removed": [compact(i) or i for i in sorted(removed)],
                }
            )
    return changes


def _steps(loaded: LoadedGraph, progressions: set[str]) -> list[dict[str, Any]]:
    """Progressions as a reader names them: from role to role, with their years and basis."""
    index = index_of(loaded)
    steps = []
    for iri in sorted(progressions):
        edge = index.edges.get(iri)
        if edge is None or edge.source not in index.roles or edge.target not in index.roles:
            continue
        steps.append(
            {
                "id": short_id(iri),
                "step": f"{index.roles[edge.source].label} → {index.roles[edge.target].label}",
                "years": edge.years,
                "basis": "source" if edge.years_source else "estimate",
            }
        )
    return steps


def _new_steps(base: LoadedGraph, new: LoadedGraph) -> dict[str, list[dict[str, Any]]]:
    before, after = set(index_of(base).edges), set(index_of(new).edges)
    return {"added": _steps(new, after - before), "removed": _steps(base, before - after)}


def _row_change(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """What changed in one profession's equity row: figures before and after, and the seats,
    bottlenecks and national roles gained and lost."""
    change: dict[str, Any] = {"figures": {}, "gained": {}, "lost": {}}
    if old is None or new is None:
        # A profession added (or removed) is told as its whole row, from (or to) nothing.
        change["status"] = "added" if old is None else "removed"
        row = new if new is not None else old
        assert row is not None
        blank: dict[str, Any] = {name: None for name in FIGURE_FIELDS}
        blank |= {name: [] for name in SET_FIELDS}
        blank["fastest_route"] = None
        old, new = (blank, row) if old is None else (row, blank)
    else:
        change["status"] = "changed"
    for name in FIGURE_FIELDS:
        if old[name] != new[name]:
            change["figures"][name] = {"before": old[name], "after": new[name]}
    for name in SET_FIELDS:
        before = {item["label"] for item in old[name]}
        after = {item["label"] for item in new[name]}
        if after - before:
            change["gained"][name] = sorted(after - before)
        if before - after:
            change["lost"][name] = sorted(before - after)
    if "bottlenecks" in change["gained"] or "bottlenecks" in change["lost"]:
        change["bottlenecks_now"] = [item["label"] for item in new["bottlenecks"]]
    before_route = [r["label"] for r in (old["fastest_route"] or {}).get("roles", [])]
    after_route = [r["label"] for r in (new["fastest_route"] or {}).get("roles", [])]
    if before_route != after_route:
        change["fastest_route"] = {"before": before_route, "after": after_route}
    unchanged = not (change["figures"] or change["gained"] or change["lost"])
    if unchanged and "fastest_route" not in change and change["status"] == "changed":
        change["status"] = "unchanged"
    return change


def _professions(base: LoadedGraph, new: LoadedGraph) -> list[dict[str, Any]]:
    before = {row["profession"]["id"]: row for row in equity_of(base)["professions"]}
    after = {row["profession"]["id"]: row for row in equity_of(new)["professions"]}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        row = after.get(key) or before[key]
        change = _row_change(before.get(key), after.get(key))
        if change["status"] != "unchanged":
            changes.append({"profession": row["profession"], **change})
    return changes


def _route_name(route: dict[str, Any]) -> str:
    roles = [route["steps"][0]["from"]["label"], *(s["to"]["label"] for s in route["steps"])]
    basis = ", estimate" if route["years_estimated"] else ""
    return " → ".join(roles) + f" ({route['total_years']:g} years{basis})"


def _route_names(loaded: LoadedGraph, role: str, profession: str | None) -> dict[str, Any]:
    try:
        request = RoadmapRequest(start=role, profession=profession)
        roadmap = build_roadmap(loaded, request).as_dict()
    except RoadmapError as error:
        return {"error": error.message, "routes": []}
    return {
        "error": None,
        "routes": [_route_name(route) for route in roadmap["routes"]],
    }


def _roles(
    base: LoadedGraph, new: LoadedGraph, roles: tuple[str, ...], profession: str | None
) -> list[dict[str, Any]]:
    compared = []
    for role in roles:
        before = _route_names(base, role, profession)
        after = _route_names(new, role, profession)
        compared.append(
            {
                "role": role,
                "profession": profession,
                "changed": before != after,
                "before": before,
                "after": after,
            }
        )
    return compared


def graph_diff(
    base: Side,
    new: Side,
    *,
    roles: tuple[str, ...] = (),
    profession: str | None = None,
    verdict: dict[str, Any],
) -> dict[str, Any]:
    """The difference from ``base`` to ``new``; ``verdict`` is the new graph's validation
    (``{"conforms": bool, "violations": int}``), judged by the caller."""
    old_triples, old_anonymous = _triples(base.loaded)
    new_triples, new_anonymous = _triples(new.loaded)
    return {
        "base": base.name,
        "new": new.name,
        "validation": verdict,
        "triples": {
            "before": base.loaded.triple_count,
            "after": new.loaded.triple_count,
            "added": len(new_triples - old_triples),
            "removed": len(old_triples - new_triples),
            "anonymous_before": old_anonymous,
            "anonymous_after": new_anonymous,
        },
        "classes": _classes(base.loaded, new.loaded),
        "steps": _new_steps(base.loaded, new.loaded),
        "professions": _professions(base.loaded, new.loaded),
        "roles": _roles(base.loaded, new.loaded, roles, profession),
    }
