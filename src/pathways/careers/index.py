"""A read-only index of the facts roadmaps need, built once per loaded graph from named queries.

The roadmap engine answers many requests over one graph; running the bulk queries once (about
40 ms) and keeping their rows in dictionaries keeps each roadmap to a single SPARQL query (the
roles reachable from the start) plus Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pathways.graph import queries as named_queries
from pathways.graph.loader import LoadedGraph, collector_paused
from pathways.graph.resources import PP, PPID


@dataclass(frozen=True)
class Band:
    iri: str
    name: str
    rank: int
    scale: str = ""


@dataclass
class Role:
    iri: str
    label: str
    tier: str
    tier_label: str
    tier_rank: int
    min_band: Band | None = None
    max_band: Band | None = None
    band_source: str | None = None
    professions: set[str] = field(default_factory=set)
    registers: dict[str, str] = field(default_factory=dict)
    conditions: list[str] = field(default_factory=list)
    functions: set[str] = field(default_factory=set)
    ladder_of: set[str] = field(default_factory=set)
    seat_kind: str | None = None
    legal_basis: list[str] = field(default_factory=list)
    # The professions this role is held before entering (pp:preEntryRole): an assistant
    # psychologist is on the way into clinical psychology, not yet a member of it.
    pre_entry_to: set[str] = field(default_factory=set)

    @property
    def bands(self) -> str:
        if self.min_band is None and self.max_band is None:
            return "not known"
        low = self.min_band or self.max_band
        high = self.max_band or self.min_band
        assert low is not None and high is not None
        return low.name if low == high else f"{low.name}-{high.name}"

    @property
    def bands_basis(self) -> str:
        """'source' when a source gives the band range, 'estimate' when it is this project's,
        'unknown' when the role has none."""
        if self.min_band is None and self.max_band is None:
            return "unknown"
        return "source" if self.band_source else "estimate"

    def band_ranks(self) -> tuple[int, int] | None:
        low = self.min_band or self.max_band
        high = self.max_band or self.min_band
        return (low.rank, high.rank) if low and high else None

    def can_be_held(self, profession: str, registrations: frozenset[str]) -> bool:
        """Open to the profession; or, for a seat open to no profession but reserved to a
        register (the statutory medical and nursing seats), held by someone on that register.
        A role open to professions may also name their register: membership of the profession
        implies it."""
        if self.professions:
            return profession in self.professions
        return bool(registrations & self.registers.keys())


@dataclass(frozen=True)
class Edge:
    """One progression: a step from role to role."""

    progression: str
    source: str
    target: str
    kind: str | None
    years: float | None
    years_source: str | None
    retrains_as: str | None
    years_minimum: bool = False


@dataclass
class Offer:
    iri: str
    label: str
    kind: str  # "programme" or "support"
    develops: set[str] = field(default_factory=set)
    tiers: set[str] = field(default_factory=set)  # pitched at: the tier of the role held
    prepares: set[str] = field(default_factory=set)  # the tier of the role reached
    prepares_roles: set[str] = field(default_factory=set)
    min_rank: int | None = None
    max_rank: int | None = None
    groups: set[str] = field(default_factory=set)

    def fits_step(self, source: Role, target: Role) -> bool:
        """The programme's level (seed Table 2) fits a step from ``source`` into ``target``:
        each constraint the programme states holds (it states only those it has)."""
        if self.tiers and source.tier not in self.tiers:
            return False
        if self.prepares and target.tier not in self.prepares:
            return False
        return not self.prepares_roles or target.iri in self.prepares_roles

    @property
    def band_limited(self) -> bool:
        return self.min_rank is not None or self.max_rank is not None

    def fits_bands(self, ranks: tuple[int, int] | None) -> bool:
        """The person's band range (``ranks``) overlaps the programme's; an unknown band never
        fits a programme that has band limits (eligibility cannot be shown)."""
        if not self.band_limited:
            return True
        if ranks is None:
            return False
        low = self.min_rank if self.min_rank is not None else 0
        high = self.max_rank if self.max_rank is not None else 10**6
        return low <= ranks[1] and high >= ranks[0]


@dataclass
class StepFacts:
    programmes: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    qualification: list[str] = field(default_factory=list)
    funding: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StepKind:
    iri: str
    label: str
    weight: float
    penalty: float


@dataclass(frozen=True)
class SeatKind:
    iri: str
    label: str
    rank: int
    penalty: float


@dataclass(frozen=True)
class Policy:
    """The figures of ``ppid:ranking-policy`` (ontology/ranking.ttl)."""

    skipped_band: float
    leave_ladder: float
    unpreferred_function: float
    unknown_years: float
    override_importance: float
    function_importance: float
    management_importance: float
    priority_gaps: int
    programmes_per_step: int
    strengths_per_step: int


@dataclass(frozen=True)
class Development:
    mode: str
    mode_label: str
    advice: str


@dataclass
class GraphIndex:
    roles: dict[str, Role]
    role_names: list[tuple[str, str, bool]]  # (name, role IRI, is the preferred label)
    requirements: dict[str, dict[str, int]]  # role -> competency -> level rank
    overrides: dict[str, set[str]]  # role -> competencies it states itself (not its tier's)
    step_facts: dict[str, StepFacts]
    offers: dict[str, Offer]
    competencies: dict[str, str]  # IRI -> label
    dimensions: set[str]
    management: set[str]  # the management competencies (people management, finance)
    levels: dict[int, tuple[str, str]]  # rank -> (IRI, label)
    professions: dict[str, str]  # IRI -> label
    edges: dict[str, Edge] = field(default_factory=dict)  # progression -> edge
    # role -> its outgoing edges, for walking routes without a query.
    outgoing: dict[str, list[Edge]] = field(default_factory=dict)
    # role -> the edges into it, in progression order: a page says how people arrive without
    # scanning every edge (a scan per page grew the site with the square of the graph).
    incoming: dict[str, list[Edge]] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)  # profession IRI -> abbreviation
    step_kinds: dict[str, StepKind] = field(default_factory=dict)
    seat_kinds: dict[str, SeatKind] = field(default_factory=dict)
    policy: Policy | None = None
    functions: dict[str, str] = field(default_factory=dict)  # function IRI -> label
    emphasis: dict[str, set[str]] = field(default_factory=dict)  # function -> competencies
    strengths: dict[str, dict[str, int]] = field(default_factory=dict)  # profession -> level
    development: dict[str, Development] = field(default_factory=dict)
    registrations: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> register
    entry_roles: dict[str, str] = field(default_factory=dict)  # profession -> its trainee role
    # Facts derived from the above and remembered for the life of the graph (step costs, a
    # role's requirements in order with their importance): the graph never changes, and a
    # roadmap asks for the same ones again and again.
    memo: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def level_label(self, rank: int) -> str:
        return self.levels[rank][1] if rank in self.levels else "none"


def _band(row: dict[str, Any], prefix: str) -> Band | None:
    iri, name, rank = row.get(f"{prefix}Band"), row.get(f"{prefix}Name"), row.get(f"{prefix}Rank")
    if iri is None or name is None or rank is None:
        return None
    scale = row.get(f"{prefix}Scale")
    return Band(iri.value, name.value, int(rank.value), scale.value if scale else "")


def _roles(run: Any) -> dict[str, Role]:
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
                band_source=row["bandSource"].value if "bandSource" in row else None,
            )
        if "register" in row:
            role.registers[row["register"].value] = row["registerLabel"].value
        if "condition" in row and row["condition"].value not in role.conditions:
            role.conditions.append(row["condition"].value)
    for row in run("role-professions"):
        if "profession" in row:
            roles[row["role"].value].professions.add(row["profession"].value)
    for row in run("role-links"):
        role = roles[row["role"].value]
        value, link = row["value"].value, row["link"].value
        if link == "function":
            role.functions.add(value)
        elif link == "ladder":
            role.ladder_of.add(value)
        elif link == "seat":
            role.seat_kind = value
        elif link == "pre-entry":
            role.pre_entry_to.add(value)
        elif value not in role.legal_basis:
            role.legal_basis.append(value)
    return roles


def _offers(run: Any) -> dict[str, Offer]:
    offers: dict[str, Offer] = {}
    for row in run("programmes"):
        iri = row["offer"].value
        offer = offers.setdefault(iri, Offer(iri, row["label"].value, row["kind"].value))
        for key, target in (
            ("develops", offer.develops),
            ("tier", offer.tiers),
            ("prepares", offer.prepares),
            ("preparesRole", offer.prepares_roles),
            ("group", offer.groups),
        ):
            if key in row:
                target.add(row[key].value)
        if "minRank" in row:
            offer.min_rank = int(row["minRank"].value)
        if "maxRank" in row:
            offer.max_rank = int(row["maxRank"].value)
    return offers


def _ranking(run: Any) -> tuple[dict[str, StepKind], dict[str, SeatKind], Policy | None]:
    figures: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for row in run("ranking-policy"):
        term = row["term"].value
        labels[term] = row["label"].value
        figures[(row["type"].value, term)][row["property"].value] = row["value"].value
    steps, seats = {}, {}
    policy = None
    for (kind, term), values in figures.items():
        if kind == "step":
            steps[term] = StepKind(
                term,
                labels[term],
                float(values.get("yearsWeight", 1.0)),
                float(values.get("stepPenalty", 0.0)),
            )
        elif kind == "seat":
            seats[term] = SeatKind(
                term,
                labels[term],
                int(values.get("rank", 99)),
                float(values.get("seatPenalty", 0.0)),
            )
        elif kind == "policy" and term == PPID + "ranking-policy":
            # SHACL (shapes/ranking.ttl) requires every figure, so a graph that reaches here
            # has them all; a missing one is a KeyError naming it.
            policy = Policy(
                skipped_band=float(values["skippedBandPenalty"]),
                leave_ladder=float(values["leaveLadderPenalty"]),
                unpreferred_function=float(values["unpreferredFunctionPenalty"]),
                unknown_years=float(values["unknownYears"]),
                override_importance=float(values["overrideImportance"]),
                function_importance=float(values["functionImportance"]),
                management_importance=float(values["managementImportance"]),
                priority_gaps=int(values["priorityGaps"]),
                programmes_per_step=int(values["programmesPerStep"]),
                strengths_per_step=int(values["strengthsPerStep"]),
            )
    return dict(sorted(steps.items())), dict(sorted(seats.items())), policy


def build_index(loaded: LoadedGraph) -> GraphIndex:
    with collector_paused():
        return _build_index(loaded)


def _build_index(loaded: LoadedGraph) -> GraphIndex:
    store = loaded.store

    def run(name: str) -> list[dict[str, Any]]:
        return named_queries.select(store, named_queries.get(name))

    roles = _roles(run)

    requirements: dict[str, dict[str, int]] = defaultdict(dict)
    overrides: dict[str, set[str]] = defaultdict(set)
    for row in run("role-requirements"):
        role_iri, competency = row["role"].value, row["competency"].value
        requirements[role_iri][competency] = int(row["rank"].value)
        if row["origin"].value == "role":
            overrides[role_iri].add(competency)

    facts: dict[str, StepFacts] = defaultdict(StepFacts)
    for row in run("roadmap-step-facts"):
        step = facts[row["progression"].value]
        lists = {
            "programme": step.programmes,
            "support": step.support,
            "condition": step.conditions,
            "qualification": step.qualification,
            "funding": step.funding,
        }
        # Programmes and support offers are individuals; the other facts are words.
        value = row["item"] if "item" in row else row["label"]
        lists[row["kind"].value].append(value.value)

    competencies: dict[str, str] = {}
    dimensions: set[str] = set()
    management: set[str] = set()
    levels: dict[int, tuple[str, str]] = {}
    for row in run("competencies"):
        term, label = row["term"].value, row["label"].value
        if row["kind"].value == "level":
            levels[int(row["rank"].value)] = (term, label)
        else:
            competencies[term] = label
            if named_queries.is_true(row["dimension"]):
                dimensions.add(term)
            if named_queries.is_true(row["management"]):
                management.add(term)

    professions = {row["x"].value: row["label"].value for row in run("professions")}
    abbreviations = {
        row["x"].value: row["abbreviation"].value for row in run("profession-abbreviations")
    }
    names = [
        (row["name"].value, row["role"].value, named_queries.is_true(row["preferred"]))
        for row in run("role-names")
    ]
    edges: dict[str, Edge] = {}
    outgoing: dict[str, list[Edge]] = defaultdict(list)
    for row in run("progression-edges"):
        edge = Edge(
            progression=row["progression"].value,
            source=row["from"].value,
            target=row["to"].value,
            kind=row["kind"].value if "kind" in row else None,
            years=float(row["years"].value) if "years" in row else None,
            years_source=row["yearsSource"].value if "yearsSource" in row else None,
            retrains_as=row["retrainsAs"].value if "retrainsAs" in row else None,
            years_minimum=named_queries.is_true(row.get("yearsMinimum")),
        )
        edges[edge.progression] = edge
        outgoing[edge.source].append(edge)

    functions: dict[str, str] = {}
    emphasis: dict[str, set[str]] = defaultdict(set)
    for row in run("function-emphasis"):
        functions[row["function"].value] = row["label"].value
        if "competency" in row:
            emphasis[row["function"].value].add(row["competency"].value)
    strengths: dict[str, dict[str, int]] = defaultdict(dict)
    for row in run("profession-strengths"):
        strengths[row["profession"].value][row["competency"].value] = int(row["rank"].value)
    development = {
        row["competency"].value: Development(
            row["mode"].value,
            row["modeLabel"].value,
            row["advice"].value if "advice" in row else "",
        )
        for row in run("competency-development")
    }
    registrations = {
        row["code"].value.lower(): (row["register"].value, row["label"].value)
        for row in run("registrations")
    }
    step_kinds, seat_kinds, policy = _ranking(run)
    # The first entry role in IRI order, should a profession name more than one.
    entry_roles: dict[str, str] = {}
    for row in run("profession-entry-roles"):
        entry_roles.setdefault(row["profession"].value, row["role"].value)

    # Result order differs between engines (and runs of an external one); sort everything that
    # is iterated so that the same graph always gives the same roadmaps.
    roles = dict(sorted(roles.items()))
    for role in roles.values():
        role.conditions.sort()
        role.legal_basis.sort()
    names.sort()
    for out in outgoing.values():
        out.sort(key=lambda e: (e.target, e.progression))
    edges = dict(sorted(edges.items()))
    incoming: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges.values():
        incoming[edge.target].append(edge)
    return GraphIndex(
        roles=roles,
        role_names=names,
        requirements=dict(requirements),
        overrides=dict(overrides),
        step_facts=dict(facts),
        offers=dict(sorted(_offers(run).items())),
        competencies=competencies,
        dimensions=dimensions,
        management=management,
        levels=levels,
        professions=professions,
        edges=edges,
        outgoing=dict(outgoing),
        incoming=dict(incoming),
        abbreviations=abbreviations,
        step_kinds=step_kinds,
        seat_kinds=seat_kinds,
        policy=policy,
        functions=dict(sorted(functions.items())),
        emphasis=dict(emphasis),
        strengths=dict(strengths),
        development=development,
        registrations=dict(sorted(registrations.items())),
        entry_roles=entry_roles,
    )


def index_of(loaded: LoadedGraph) -> GraphIndex:
    """The index of ``loaded``, built on first use and kept with the graph."""
    cached = loaded.cache.get("index")
    if not isinstance(cached, GraphIndex):
        cached = loaded.cache["index"] = build_index(loaded)
    return cached


def short_id(iri: str) -> str:
    return iri.removeprefix(PPID).removeprefix(PP)
