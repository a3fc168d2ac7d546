"""Side-by-side comparison of roles: tier, bands, professions, requirements, where each leads
and the programmes for the steps into it. The API, the command line and the compare page all
describe a role with ``compared_role``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pathways.careers.index import GraphIndex, Role, index_of, short_id
from pathways.careers.roadmap import RoadmapError, resolve_role
from pathways.graph.loader import LoadedGraph


def compared_role(index: GraphIndex, role: Role) -> dict[str, Any]:
    """One role as a comparison shows it; programmes are those recommended on steps into it."""
    programmes: set[str] = set()
    leads_to: set[str] = set()
    for edge in index.incoming.get(role.iri, ()):
        facts = index.step_facts.get(edge.progression)
        if facts:
            programmes |= set(facts.programmes)
    for edge in index.outgoing.get(role.iri, ()):
        leads_to.add(index.roles[edge.target].label)
    needs = index.requirements.get(role.iri, {})
    competencies = sorted(index.competencies, key=lambda c: index.competencies[c])
    return {
        "id": short_id(role.iri),
        "label": role.label,
        "tier": role.tier_label,
        "bands": role.bands,
        "professions": sorted(index.professions[p] for p in role.professions),
        "requires_registration": sorted(role.registers.values()),
        "requirements": {
            index.competencies[c]: index.level_label(needs.get(c, 0)) for c in competencies
        },
        "leads_to": sorted(leads_to),
        "programmes": sorted(index.offers[p].label for p in programmes),
    }


def compare_roles(loaded: LoadedGraph, names: Sequence[str]) -> dict[str, Any]:
    """Two or three roles side by side."""
    if not 2 <= len(names) <= 3:
        raise RoadmapError("compare takes two or three roles", field="roles")
    index = index_of(loaded)
    return {"roles": [compared_role(index, resolve_role(index, name)) for name in names]}
