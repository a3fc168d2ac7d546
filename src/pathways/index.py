"""A read-only index of the facts roadmaps need, built once per loaded graph from named queries.

The roadmap engine answers many requests over one graph; running the bulk queries once (about
40 ms) and keeping their rows in dictionaries keeps each roadmap to a single SPARQL query (the
route edges, which depend on the request) plus Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from . import queries as named_queries
from .loader import LoadedGraph
from .resources import PPID


@dataclass(frozen=True)
class Band:
    iri: str
    name: str
    rank: int


@dataclass
class Role:
    iri: str
    label: str
    tier: str
    tier_label: str
    tier_rank: int
    min_band: Band | None = None
    max_band: Band | None = None
    professions: set[str] = field(default_factory=set)
    registers: dict[str, str] = field(default_factory=dict)
    conditions: list[str] = field(default_factory=list)

    @property
    def bands(self) -> str:
        if self.min_band is None and self.max_band is None:
            return "not known"
        low = self.min_band or self.max_band
        high = self.max_band or self.min_band
        assert low is not None and high is not None
        return low.name if low == high else f"{low.name}-{high.name}"

    def band_ranks(self) -> tuple[int, int] | None:
        low = self.min_band or self.max_band
        high = self.max_band or self.min_band
        return (low.rank, high.rank) if low and high else None


@dataclass
class Offer:
    iri: str
    label: str
    kind: str  # "programme" or "support"
    develops: set[str] = field(default_factory=set)
    tiers: set[str] = field(default_factory=set)
    min_rank: int | None = None
    max_rank: int | None = None
    groups: set[str] = field(default_factory=set)

    def fits_bands(self, low: int | None, high: int | None) -> bool:
        if low is None or high is None or self.min_rank is None or self.max_rank is None:
            return True
        return self.min_rank <= high and self.max_rank >= low


@dataclass
class StepFacts:
    programmes: list[str] = field(default_factory=list)
    positive_action: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)


@dataclass
class GraphIndex:
    roles: dict[str, Role]
    role_names: list[tuple[str, str, bool]]  # (name, role IRI, is the preferred label)
    requirements: dict[str, dict[str, int]]  # role -> competency -> level rank
    step_facts: dict[str, StepFacts]
    offers: dict[str, Offer]
    competencies: dict[str, str]  # IRI -> label
    dimensions: set[str]
    levels: dict[int, tuple[str, str]]  # rank -> (IRI, label)
    professions: dict[str, str]  # IRI -> label
    progression_targets: dict[str, str] = field(default_factory=dict)  # progression -> role
    # role -> [(progression, to role, typical years)], for walking routes without a query.
    outgoing: dict[str, list[tuple[str, str, float | None]]] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)  # profession IRI -> abbreviation

    def level_label(self, rank: int) -> str:
        return self.levels[rank][1] if rank in self.levels else "none"


def _band(row: dict[str, Any], prefix: str) -> Band | None:
    iri, name, rank = row.get(f"{prefix}Band"), row.get(f"{prefix}Name"), row.get(f"{prefix}Rank")
    if iri is None or name is None or rank is None:
        return None
    return Band(iri.value, name.value, int(rank.value))


def build_index(loaded: LoadedGraph) -> GraphIndex:
    store = loaded.store

    def run(name: str) -> list[dict[str, Any]]:
        return named_queries.select(store, named_queries.get(name))

    roles: dict[str, Role] = {}
    for row in run("role-details"):
        iri = row["role"].value
        role = roles.get(iri)
        if role is None:
            role = roles[iri] = Role(
                iri=iri,
                label=row["label"].value,
                tier=row["tier"].value,
                tier_label=row["tierLabel"].value,
                tier_rank=int(row["tierRank"].value),
                min_band=_band(row, "min"),
                max_band=_band(row, "max"),
            )
        if "register" in row:
            role.registers[row["register"].value] = row["registerLabel"].value
        if "condition" in row and row["condition"].value not in role.conditions:
            role.conditions.append(row["condition"].value)
    for row in run("role-professions"):
        if "profession" in row:
            roles[row["role"].value].professions.add(row["profession"].value)

    requirements: dict[str, dict[str, int]] = defaultdict(dict)
    for row in run("role-requirements"):
        role_iri = row["role"].value
        requirements[role_iri][row["competency"].value] = int(row["rank"].value)

    facts: dict[str, StepFacts] = defaultdict(StepFacts)
    for row in run("roadmap-step-facts"):
        step = facts[row["progression"].value]
        kind = row["kind"].value
        if kind == "condition":
            step.conditions.append(row["label"].value)
        else:
            {
                "programme": step.programmes,
                "positive_action": step.positive_action,
                "support": step.support,
            }[kind].append(row["item"].value)

    offers: dict[str, Offer] = {}
    for row in run("programmes"):
        iri = row["offer"].value
        offer = offers.setdefault(iri, Offer(iri, row["label"].value, row["kind"].value))
        for key, target in (
            ("develops", offer.develops),
            ("tier", offer.tiers),
            ("group", offer.groups),
        ):
            if key in row:
                target.add(row[key].value)
        if "minRank" in row:
            offer.min_rank = int(row["minRank"].value)
        if "maxRank" in row:
            offer.max_rank = int(row["maxRank"].value)

    competencies: dict[str, str] = {}
    dimensions: set[str] = set()
    levels: dict[int, tuple[str, str]] = {}
    for row in run("competencies"):
        term, label = row["term"].value, row["label"].value
        if row["kind"].value == "level":
            levels[int(row["rank"].value)] = (term, label)
        else:
            competencies[term] = label
            if row["dimension"].value == "true":
                dimensions.add(term)

    professions: dict[str, str] = {}
    for row in run("professions"):
        professions[row["x"].value] = row["label"].value
    abbreviations = {
        row["x"].value: row["abbreviation"].value for row in run("profession-abbreviations")
    }
    names = [
        (row["name"].value, row["role"].value, row["preferred"].value == "true")
        for row in run("role-names")
    ]
    targets: dict[str, str] = {}
    outgoing: dict[str, list[tuple[str, str, float | None]]] = defaultdict(list)
    for row in run("progression-edges"):
        years = float(row["years"].value) if "years" in row else None
        targets[row["progression"].value] = row["to"].value
        outgoing[row["from"].value].append((row["progression"].value, row["to"].value, years))
    # Result order differs between engines (and runs of an external one); sort everything that
    # is iterated so that the same graph always gives the same roadmaps.
    roles = dict(sorted(roles.items()))
    for role in roles.values():
        role.conditions.sort()
    offers = dict(sorted(offers.items()))
    names.sort()
    for edges in outgoing.values():
        edges.sort()
    return GraphIndex(
        roles=roles,
        role_names=names,
        requirements=dict(requirements),
        step_facts=dict(facts),
        offers=offers,
        competencies=competencies,
        dimensions=dimensions,
        levels=levels,
        professions=professions,
        progression_targets=targets,
        outgoing=dict(outgoing),
        abbreviations=abbreviations,
    )


def index_of(loaded: LoadedGraph) -> GraphIndex:
    """The index of ``loaded``, built on first use and kept with the graph."""
    cached = loaded.cache.get("index")
    if not isinstance(cached, GraphIndex):
        cached = loaded.cache["index"] = build_index(loaded)
    return cached


def short_id(iri: str) -> str:
    return iri.removeprefix(PPID)
