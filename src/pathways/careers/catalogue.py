"""Lists and single records of the graph for the REST API: professions, roles, competencies,
programmes and recommendations, all from the graph index or named queries."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pathways.careers.index import GraphIndex, Role, index_of, short_id
from pathways.careers.roadmap import TARGET_TIERS, RoadmapError, resolve_profession, resolve_role
from pathways.graph import queries as named_queries
from pathways.graph.loader import LoadedGraph


def _role_summary(index: GraphIndex, role: Role) -> dict[str, Any]:
    return {
        "id": short_id(role.iri),
        "iri": role.iri,
        "label": role.label,
        "tier": {"id": short_id(role.tier), "label": role.tier_label, "rank": role.tier_rank},
        "bands": role.bands,
        "bands_basis": role.bands_basis,
        "professions": sorted(short_id(p) for p in role.professions),
        "requires_registration": sorted(role.registers.values()),
    }


def professions(loaded: LoadedGraph) -> list[dict[str, Any]]:
    index = index_of(loaded)
    counts: dict[str, int] = defaultdict(int)
    for role in index.roles.values():
        for profession in role.professions:
            counts[profession] += 1
    return [
        {
            "id": short_id(iri),
            "iri": iri,
            "label": label,
            "abbreviation": index.abbreviations.get(iri),
            "roles": counts[iri],
        }
        for iri, label in sorted(index.professions.items(), key=lambda item: item[1])
    ]


def _tier_iri(index: GraphIndex, text: str) -> str:
    key = text.strip().lower()
    if key in TARGET_TIERS:
        return TARGET_TIERS[key]
    tiers = {role.tier: role.tier_label for role in index.roles.values()}
    for iri, label in tiers.items():
        if key in {short_id(iri).lower(), label.lower(), iri.lower()}:
            return iri
    raise RoadmapError(
        f"no tier {text!r}", suggestions=sorted(short_id(t) for t in tiers), field="tier"
    )


def roles(
    loaded: LoadedGraph,
    profession: str | None = None,
    tier: str | None = None,
    band: str | None = None,
) -> list[dict[str, Any]]:
    index = index_of(loaded)
    wanted_profession = resolve_profession(index, profession) if profession else None
    wanted_tier = _tier_iri(index, tier) if tier else None
    band_rank = None
    if band:
        names = {
            b.name.lower(): b.rank
            for r in index.roles.values()
            for b in (r.min_band, r.max_band)
            if b
        }
        if band.strip().lower() not in names:
            raise RoadmapError(f"no band {band!r}", suggestions=sorted(names), field="band")
        band_rank = names[band.strip().lower()]
    found = []
    for role in sorted(index.roles.values(), key=lambda r: (r.tier_rank, r.label)):
        if wanted_profession and wanted_profession not in role.professions:
            continue
        if wanted_tier and role.tier != wanted_tier:
            continue
        ranks = role.band_ranks()
        if band_rank is not None and not (ranks and ranks[0] <= band_rank <= ranks[1]):
            continue
        found.append(_role_summary(index, role))
    return found


def role(loaded: LoadedGraph, name: str) -> dict[str, Any]:
    index = index_of(loaded)
    found = resolve_role(index, name)
    record = _role_summary(index, found)
    record["conditions"] = found.conditions
    record["requirements"] = [
        {
            "competency": {"id": short_id(c), "label": index.competencies[c]},
            "level": index.level_label(rank),
        }
        for c, rank in sorted(
            index.requirements.get(found.iri, {}).items(),
            key=lambda item: index.competencies[item[0]],
        )
    ]
    record["progresses_to"] = [
        {
            "id": short_id(edge.target),
            "label": index.roles[edge.target].label,
            "kind": short_id(edge.kind).removeprefix("step-") if edge.kind else None,
            "years": edge.years,
            "years_basis": "source" if edge.years_source else "estimate",
            "progression": short_id(edge.progression),
        }
        for edge in index.outgoing.get(found.iri, [])
    ]
    return record


def competencies(loaded: LoadedGraph) -> list[dict[str, Any]]:
    index = index_of(loaded)
    return [
        {
            "id": short_id(iri),
            "label": label,
            "kind": "hlm_dimension" if iri in index.dimensions else "management_or_professional",
        }
        for iri, label in sorted(index.competencies.items(), key=lambda item: item[1])
    ] + [
        {"id": short_id(iri), "label": label, "kind": "level", "rank": rank}
        for rank, (iri, label) in sorted(index.levels.items())
    ]


def programmes(loaded: LoadedGraph) -> list[dict[str, Any]]:
    index = index_of(loaded)
    return [
        {
            "id": short_id(o.iri),
            "label": o.label,
            "kind": o.kind,
            "develops": sorted(
                index.competencies[c] for c in o.develops if c in index.competencies
            ),
            "tiers": sorted(short_id(t) for t in o.tiers),
            "prepares_for_tiers": sorted(short_id(t) for t in o.prepares),
            "prepares_for_roles": sorted(short_id(r) for r in o.prepares_roles),
            "band_ranks": [o.min_rank, o.max_rank],
            "positive_action_for": sorted(short_id(g) for g in o.groups),
        }
        for o in sorted(index.offers.values(), key=lambda o: (o.kind, o.label))
    ]


def recommendations(loaded: LoadedGraph) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in named_queries.select(loaded.store, named_queries.get("recommendations")):
        iri = row["recommendation"].value
        record = found.setdefault(
            iri,
            {
                "id": short_id(iri),
                "number": int(row["number"].value),
                "label": row["label"].value,
                "text": row["definition"].value,
                "category": {
                    "id": short_id(row["category"].value),
                    "label": row["categoryLabel"].value,
                },
                "addresses": [],
                "realised_by": [],
                "measured_by": [],
                "data_needed": None,
            },
        )
        if "barrier" in row:
            barrier = {"id": short_id(row["barrier"].value), "label": row["barrierLabel"].value}
            if barrier not in record["addresses"]:
                record["addresses"].append(barrier)
        if "realisedBy" in row and short_id(row["realisedBy"].value) not in record["realised_by"]:
            record["realised_by"].append(short_id(row["realisedBy"].value))
        if "measuredBy" in row and row["measuredBy"].value not in record["measured_by"]:
            record["measured_by"].append(row["measuredBy"].value)
        if "dataNeeded" in row:
            record["data_needed"] = row["dataNeeded"].value
    return sorted(found.values(), key=lambda r: r["number"])


def equity_measures(loaded: LoadedGraph) -> list[dict[str, Any]]:
    """The figures of `pathways equity`, each with the recommendations that it speaks to."""
    found: dict[str, dict[str, Any]] = {}
    for row in named_queries.select(loaded.store, named_queries.get("equity-measures")):
        record = found.setdefault(
            row["field"].value,
            {
                "field": row["field"].value,
                "id": short_id(row["measure"].value),
                "label": row["label"].value,
                "definition": row["definition"].value,
                "recommendations": [],
            },
        )
        if "number" in row:
            record["recommendations"].append(
                {"number": int(row["number"].value), "label": row["recommendationLabel"].value}
            )
    for record in found.values():
        record["recommendations"].sort(key=lambda r: r["number"])
    return sorted(found.values(), key=lambda r: r["field"])
