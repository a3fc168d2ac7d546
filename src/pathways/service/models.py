"""The shapes of the JSON answers, as pydantic models, so /openapi.json documents what is sent.

The services (catalogue, roadmap, compare) build plain dicts; the routes declare these models as
their response models, and FastAPI checks each answer against them. ``extra="forbid"``: a key
the model lacks fails the answer loudly in the tests rather than being dropped in silence.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Ref(Model):
    id: str
    label: str


class Start(Ref):
    tier: str = Field(description="the leadership tier of the role you hold")
    bands: str = Field(description="its Agenda for Change band or range, or 'not known'")
    bands_basis: str = Field(description="source, estimate or unknown")
    pre_entry: bool = Field(
        description="the start is a role held before entering the profession's training (an "
        "assistant psychologist before clinical psychology), not a role of its members"
    )
    called: str | None = Field(
        description='the other name of the role that was asked for ("deputy director of '
        'psychological professions" finds the trust professional lead), or null'
    )


class Health(Model):
    status: str = Field(description="'ok' while the process answers")
    triples: int = Field(description="triples served, inferences included")
    version: str = Field(description="the package's version")
    graph_version: str | None = Field(
        description="the release of the graph served: its ontology's owl:versionInfo"
    )
    store: str = Field(description="'embedded', or the URL of the external store")
    workers_alive: int | None = Field(description="live SPARQL workers; null on a remote store")
    sparql_network_isolated: bool


class Ready(Model):
    status: str
    workers_alive: int | None


class ReloadOutcome(Model):
    reloaded: bool
    message: str
    triples: int
    problems: list[dict[str, Any]] = Field(description="validation problems, when it failed")


class Pong(Model):
    pong: str


class Profession(Model):
    id: str
    iri: str
    label: str
    abbreviation: str | None
    roles: int = Field(description="number of roles open to the profession")


class Tier(Model):
    id: str
    label: str
    rank: int = Field(description="1 (psychological professional) to 6 (national)")


class RoleSummary(Model):
    id: str
    iri: str
    label: str
    tier: Tier
    bands: str = Field(description="Agenda for Change band or range, or 'not known'")
    bands_basis: str = Field(description="source, estimate or unknown")
    professions: list[str]
    requires_registration: list[str]


class Requirement(Model):
    competency: Ref
    level: str


class NextStep(Model):
    id: str
    label: str
    kind: str | None = Field(description="promotion, lateral, retraining, board or national")
    years: float | None
    years_basis: str = Field(description="source or estimate")
    progression: str


class Role(RoleSummary):
    conditions: list[str]
    requirements: list[Requirement]
    progresses_to: list[NextStep]


class Competency(Model):
    id: str
    label: str
    kind: str = Field(description="hlm_dimension, management_or_professional, or level")
    rank: int | None = Field(None, description="proficiency levels only: their order")


class Programme(Model):
    id: str
    label: str
    kind: str
    develops: list[str]
    tiers: list[str]
    prepares_for_tiers: list[str]
    prepares_for_roles: list[str]
    band_ranks: list[int | None] = Field(description="[lowest, highest] band rank, null if open")
    positive_action_for: list[str]


class Recommendation(Model):
    id: str
    number: int
    label: str
    text: str
    category: Ref
    addresses: list[Ref]
    realised_by: list[str]
    measured_by: list[str] = Field(description="fields of GET /api/equity that measure it")
    data_needed: str | None = Field(
        description="what data, which the graph does not hold, it would need; null if none"
    )


class ProfessionRef(Ref):
    abbreviation: str | None


class EquitySeat(Ref):
    seat: str | None = Field(description="the kind of seat (voting executive director, ...)")
    voting_executive: bool = Field(
        description="an executive director with a vote (non-executive directors are counted "
        "as their own kind of seat)"
    )


class EquitySeatKind(Ref):
    seat: str | None


class FastestRoute(Model):
    years: float
    basis: str = Field(description="'source' when every step's years has a source, else 'estimate'")
    years_unknown_on: list[str] = Field(
        description="progressions with no typical years (the ranking policy's unknownYears counted)"
    )
    at_least: bool = Field(description="a step's years are a minimum")
    seat: EquitySeatKind = Field(description="the seat the route reaches")
    roles: list[Ref]


class RetrainingRoute(Model):
    progression: str
    from_: Ref = Field(alias="from")
    to: Ref
    retrains_as: Ref
    opens_seats: list[str] = Field(
        description="board seats this retraining reaches that the profession's own routes do not"
    )


class PositiveActionCoverage(Model):
    steps: int = Field(description="the profession's steps (retraining steps not counted)")
    covered: int = Field(description="steps a positive-action programme applies to")
    share: float | None
    programmes: list[str]
    steps_band_unknown: int = Field(description="steps from a role whose band is not known")


class EquityRow(Model):
    profession: ProfessionRef
    entry_role: Ref | None = Field(description="pp:entryRole, where the routes start")
    roles_open: int
    tiers: list[str]
    board_seats: list[EquitySeat]
    voting_seats: int
    fastest_years: float | None
    fastest_basis: str | None = Field(description="'source' or 'estimate'")
    fastest_route: FastestRoute | None
    fastest_voting_years: float | None = Field(
        description="the fewest typical years to a voting executive seat"
    )
    fastest_voting_basis: str | None = Field(description="'source' or 'estimate'")
    fastest_voting_route: FastestRoute | None
    routes: int = Field(description="distinct routes to a board seat, shown up to 9,999")
    routes_more: bool = Field(description="there are more routes than `routes` says")
    bottlenecks: list[Ref] = Field(
        description="leadership roles that every route to board passes through"
    )
    national_roles: list[Ref]
    retraining_routes: list[RetrainingRoute]
    positive_action: PositiveActionCoverage
    barriers: list[str] = Field(description="the structural barriers the figures show, in words")


class RecommendationRef(Model):
    number: int
    label: str


class EquityMeasure(Model):
    field: str = Field(description="the field of each row that holds this figure")
    id: str
    label: str
    definition: str
    recommendations: list[RecommendationRef]


class Equity(Model):
    basis: str
    measures: list[EquityMeasure]
    professions: list[EquityRow]
    single_role_dependence: list[str] = Field(
        description="professions whose every route to board passes through one role"
    )
    no_voting_seat: list[str] = Field(description="professions with no route to a voting seat")


class Route(Model):
    total_years: float | None
    years_estimated: int = Field(description="steps whose years are estimates")
    years_unknown_on: list[str]
    cost: float
    end_penalty: dict[str, Any] | None
    step_count: int
    steps: list[dict[str, Any]] = Field(
        description="from, to, kind, years, competency gaps and programmes for each step"
    )


class ExcludedMore(Model):
    closed: int = Field(description="seats not open to the person beyond those listed")
    unreached: int = Field(description="seat titles no modelled route reaches beyond those listed")
    opened_by: list[str] = Field(
        description="registrations (codes) that would open some of the seats not listed"
    )


class Roadmap(Model):
    start: Start
    profession: Ref
    target: dict[str, str]
    prefer: Ref | None
    registrations: list[dict[str, str]]
    routes: list[Route]
    seats: list[dict[str, Any]]
    excluded: list[dict[str, Any]]
    excluded_more: ExcludedMore = Field(
        description="how many more seats were left out than `excluded` lists: it lists at most "
        "10 of each reason (a graph of many organisations' seats would list thousands)"
    )
    note: str


class ComparedRole(Model):
    id: str
    label: str
    tier: str
    bands: str
    professions: list[str]
    requires_registration: list[str]
    requirements: dict[str, str] = Field(description="competency -> level needed")
    leads_to: list[str] = Field(description="the roles a progression leads to from this one")
    programmes: list[str]


class Comparison(Model):
    roles: list[ComparedRole]


class NamedQuery(Model):
    name: str
    purpose: str
    parameters: dict[str, str]


class QueryAnswer(Model):
    query: str
    columns: list[str]
    rows: list[dict[str, Any]]
