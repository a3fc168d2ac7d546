"""Side-by-side comparison of roles: tier, bands, professions, requirements and programmes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pathways.careers.index import index_of, short_id
from pathways.careers.roadmap import RoadmapError, resolve_role
from pathways.graph.loader import LoadedGraph


def compare_roles(loaded: LoadedGraph, names: Sequence[str]) -> dict[str, Any]:
    """Two or three roles side by side; programmes are those recommended on steps into each."""
    if not 2 <= len(names) <= 3:
        raise RoadmapError("compare takes two or three roles", field="roles")
    index = index_of(loaded)
    roles = [resolve_role(index, name) for name in names]
    competencies = sorted(index.competencies, key=lambda c: index.competencies[c])
    compared = []
    for role in roles:
        programmes: set[str] = set()
        for edge in index.edges.values():
            facts = index.step_facts.get(edge.progression)
            if edge.target == role.iri and facts:
                programmes |= set(facts.programmes)
        needs = index.requirements.get(role.iri, {})
        compared.append(
            {
                "id": short_id(role.iri),
                "label": role.label,
                "tier": role.tier_label,
                "bands": role.bands,
                "professions": sorted(index.professions[p] for p in role.professions),
                "requires_registration": sorted(role.registers.values()),
                "requirements": {
                    index.competencies[c]: index.level_label(needs.get(c, 0)) for c in competencies
                },
                "programmes": sorted(index.offers[p].label for p in programmes),
            }
        )
    return {"roles": compared}
