"""The REST API: JSON over the same service layer as the CLI."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field, StringConstraints

from pathways.careers import catalogue, equity
from pathways.careers.compare import compare_roles
from pathways.careers.roadmap import RoadmapRequest, roadmap_as_json
from pathways.graph import queries as named_queries
from pathways.graph.loader import LoadedGraph
from pathways.graph.querying import QueryFailed
from pathways.service import models
from pathways.service.admission import Admission
from pathways.service.errors import ApiError, error_responses

router = APIRouter(prefix="/api", tags=["api"])

# A role named in the path; the example gives readers (and schemathesis) a name that exists.
RolePath = Annotated[
    str, Path(description="a role id, name or abbreviation", examples=["role-pwp"])
]


def graph(request: Request) -> LoadedGraph:
    loaded: LoadedGraph = request.app.state.graph
    return loaded


class RoadmapBody(BaseModel):
    target: str = Field("board", description="'board', 'national', or a role id or name")
    profession: str | None = Field(None, description="profession id, name or abbreviation")
    positive_action: list[str] = Field(
        default_factory=list,
        description="groups: 'minority-ethnic', 'women', 'lgbt-plus', 'disabled'",
    )
    self_assessment: dict[str, str] | None = Field(
        None, description="competency (id or name) -> level (essential ... exemplary)"
    )
    k: int = Field(3, ge=1, le=20, description="number of routes")
    prefer: str | None = Field(
        None, description="leadership function to rank first: professional, clinical, operational"
    )
    registration: list[str] = Field(
        default_factory=list,
        description="registrations held besides the profession's: nmc, gmc, gdc",
    )


@router.get("/professions", summary="The 12 professions", response_model=list[models.Profession])
def list_professions(request: Request) -> list[dict[str, Any]]:
    return catalogue.professions(graph(request))


@router.get(
    "/roles",
    summary="Roles, filtered by profession, tier or band",
    response_model=list[models.RoleSummary],
    responses=error_responses(413, 422),
)
def list_roles(
    request: Request,
    profession: Annotated[str | None, Query(max_length=200)] = None,
    tier: Annotated[str | None, Query(max_length=200)] = None,
    band: Annotated[str | None, Query(max_length=20)] = None,
) -> list[dict[str, Any]]:
    return catalogue.roles(graph(request), profession=profession, tier=tier, band=band)


@router.get(
    "/roles/{role}",
    summary="One role: tier, bands, requirements, next steps",
    response_model=models.Role,
    responses=error_responses(404, 422),
)
def get_role(request: Request, role: RolePath) -> dict[str, Any]:
    return catalogue.role(graph(request), role)


@router.get(
    "/competencies",
    summary="Competencies and proficiency levels",
    response_model=list[models.Competency],
    # `rank` belongs to proficiency levels only: the others are sent without it.
    response_model_exclude_unset=True,
)
def list_competencies(request: Request) -> list[dict[str, Any]]:
    return catalogue.competencies(graph(request))


@router.get(
    "/programmes",
    summary="Training programmes and support offers",
    response_model=list[models.Programme],
)
def list_programmes(request: Request) -> list[dict[str, Any]]:
    return catalogue.programmes(graph(request))


@router.get(
    "/recommendations",
    summary="The paper's 18 recommendations",
    response_model=list[models.Recommendation],
)
def list_recommendations(request: Request) -> list[dict[str, Any]]:
    return catalogue.recommendations(graph(request))


@router.get(
    "/equity",
    summary="How the professions compare on their routes to board level",
    response_model=models.Equity,
    # by_alias: a retraining route's "from" is a Python keyword in the model.
    response_model_by_alias=True,
)
def get_equity(request: Request) -> dict[str, Any]:
    """One row per profession, from its entry role: roles open, board seats reached (voting
    seats apart), the fastest route in years with its basis, distinct routes, single-role
    bottlenecks, national roles, retraining routes and positive-action coverage; and the
    paper's recommendations each figure speaks to. The same figures as `pathways equity`."""
    return equity.equity_of(graph(request))


@router.get(
    "/roadmap/{role}",
    summary="Ranked routes from a role to board level",
    # The roadmap is serialised once and cached as bytes, so the model documents the answer
    # without re-validating it (FastAPI does not validate a Response it is handed).
    response_model=models.Roadmap,
    responses=error_responses(404, 413, 422),
)
def get_roadmap(
    request: Request,
    role: RolePath,
    to: Annotated[str, Query(max_length=200)] = "board",
    profession: Annotated[str | None, Query(max_length=200)] = None,
    positive_action: Annotated[list[str], Query(max_length=40)] = [],  # noqa: B006
    k: Annotated[int, Query(ge=1, le=20)] = 3,
    prefer: Annotated[
        str | None,
        Query(max_length=40, description="professional, clinical or operational"),
    ] = None,
    registration: Annotated[
        list[str], Query(max_length=10, description="nmc, gmc or gdc (repeatable)")
    ] = [],  # noqa: B006
) -> Response:
    options = RoadmapRequest(
        start=role,
        target=to,
        profession=profession,
        positive_action=tuple(positive_action),
        k=k,
        prefer=prefer,
        registrations=tuple(registration),
    )
    return Response(roadmap_as_json(graph(request), options), media_type="application/json")


@router.post(
    "/roadmap/{role}",
    summary="Ranked routes, personalised by a self-assessment",
    response_model=models.Roadmap,
    # 400: a body FastAPI cannot read at all (not UTF-8), before validation.
    responses=error_responses(400, 404, 413, 422),
)
def post_roadmap(request: Request, role: RolePath, body: RoadmapBody) -> Response:
    options = RoadmapRequest(
        start=role,
        target=body.target,
        profession=body.profession,
        positive_action=tuple(body.positive_action),
        self_assessment=body.self_assessment,
        k=body.k,
        prefer=body.prefer,
        registrations=tuple(body.registration),
    )
    return Response(roadmap_as_json(graph(request), options), media_type="application/json")


@router.get(
    "/compare",
    summary="Two or three roles side by side",
    response_model=models.Comparison,
    responses=error_responses(404, 413, 422),
)
def compare(
    request: Request,
    # Two or three names, each at most 200 characters. The bound of 200 was on the number of
    # names (a list's max_length), so the schema allowed 200 names that compare refuses.
    role: Annotated[
        list[Annotated[str, StringConstraints(max_length=200)]],
        Query(
            min_length=2,
            max_length=3,
            description="a role id or name (give 2 or 3)",
            examples=[["role-pwp", "role-team-manager"]],
        ),
    ],
) -> dict[str, Any]:
    return compare_roles(graph(request), role)


@router.get(
    "/queries",
    summary="The named queries and their parameters",
    response_model=list[models.NamedQuery],
)
def list_queries() -> list[dict[str, Any]]:
    return [
        {"name": q.name, "purpose": q.purpose, "parameters": q.parameters}
        for q in named_queries.load_all().values()
    ]


@router.get(
    "/queries/{name}",
    summary="Run a named query; parameters as query-string values",
    response_model=models.QueryAnswer,
    responses=error_responses(404, 413, 422, 429, 500, 503),
)
async def run_query(
    request: Request,
    name: Annotated[str, Path(description="see GET /api/queries", examples=["professions"])],
) -> dict[str, Any]:
    try:
        query = named_queries.get(name)
    except named_queries.UnknownQueryError as error:
        raise ApiError(
            404, "unknown_query", str(error), field="name", suggestions=error.known
        ) from None
    params = dict(request.query_params)
    unknown = set(params) - set(query.parameters)
    if unknown:
        raise ApiError(
            422,
            "invalid_parameter",
            f"query {name!r} has no parameter {', '.join(sorted(unknown))}",
            field=sorted(unknown)[0],
            suggestions=list(query.parameters),
        )
    admission: Admission = request.app.state.admission
    runner = request.app.state.sparql
    client = request.client.host if request.client else "unknown"
    timeout = request.app.state.settings.query_timeout
    try:
        if hasattr(runner, "run_named"):
            # In a worker, under the deadline and the backpressure /sparql has: a named query
            # over a large extension once took 45 s in the server process.
            bindings = {key: named_queries.parse_term(value) for key, value in params.items()}
            columns, rows = await admission.run(
                client, runner.run_named, query.text, bindings, timeout
            )
        else:  # an external store: the engine is another server, with its own limits
            columns, rows = await admission.run(
                client, named_queries.run_with_text_params, graph(request).store, query, params
            )
    except (ValueError, named_queries.QueryDefinitionError) as error:
        raise ApiError(422, "invalid_parameter", str(error)) from None
    except QueryFailed as error:
        raise ApiError(500, "internal_error", f"query {name!r} failed: {error}") from None
    return {"query": name, "columns": columns, "rows": rows}
