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
    version: str
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
