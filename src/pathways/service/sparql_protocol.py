"""The SPARQL 1.1 Protocol endpoint at /sparql: query by GET, POST form or POST sparql-query.

Read-only and closed: every request is checked (sparql_guard) before evaluation, evaluated in a
worker process under a deadline (sparql_workers), and capped at the row limit with the cut
signalled in the ``X-Pathways-Truncated`` header. The dataset parameters (``default-graph-uri``,
``named-graph-uri``) select graphs already in the store; nothing is ever fetched.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from pathways.graph.querying import GraphSelection, QueryFailed
from pathways.service.admission import Admission
from pathways.service.errors import ApiError, error_responses
from pathways.service.openapi import media_responses
from pathways.service.settings import Settings
from pathways.service.sparql_guard import QueryRefused
from pathways.service.sparql_results import (
    CONTENT_TYPES,
    Limits,
    NotAcceptable,
    negotiate,
    write_triples,
)
from pathways.service.sparql_workers import QueryResult

router = APIRouter(tags=["sparql"])

# SPARQL Update's own dataset parameters: meaningless on a read-only endpoint.
_UPDATE_PARAMETERS = ("using-graph-uri", "using-named-graph-uri")


class QueryRunner(Protocol):
    def answer(
        self,
        text: str,
        accept: str | None,
        limits: Limits,
        timeout: float,
        graphs: GraphSelection | None = None,
    ) -> tuple[QueryResult, str, str]: ...


def _one(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name, [])
    if len(found) > 1:
        raise ApiError(
            400,
            "malformed_request",
            f"give exactly one '{name}' parameter, not {len(found)}",
            field=name,
        )
    return found[0] if found else None


def _graphs(values: dict[str, list[str]]) -> GraphSelection | None:
    """The graphs the dataset parameters select, or None when the request names none (the
    query's FROM, or the store's default graph, then apply)."""
    for name in _UPDATE_PARAMETERS:
        if name in values:
            raise ApiError(
                403,
                "update_refused",
                f"'{name}' belongs to SPARQL Update, and this endpoint is read-only; name "
                "graphs for a query with default-graph-uri and named-graph-uri",
                field=name,
            )
    default = values.get("default-graph-uri", [])
    named = values.get("named-graph-uri", [])
    for name, iris in (("default-graph-uri", default), ("named-graph-uri", named)):
        for iri in iris:
            try:
                ox.NamedNode(iri)
            except ValueError:
                raise ApiError(
                    400,
                    "malformed_request",
                    f"'{name}' must be an absolute IRI, not {iri[:100]!r}",
                    field=name,
                ) from None
    if not default and not named:
        return None
    return GraphSelection(tuple(default), tuple(named))


def _query_from_parameters(values: dict[str, list[str]]) -> str:
    if "update" in values:
        raise ApiError(
            403, "update_refused", "this endpoint is read-only: updates are refused", field="update"
        )
    query = _one(values, "query")
    if query is None:
        raise ApiError(
            400,
            "missing_query",
            "no 'query' parameter: send the SPARQL query as ?query=... or in a POST body",
            field="query",
        )
    return query


async def _read_query(request: Request) -> tuple[str, GraphSelection | None]:
    # Sizes are enforced before this runs, as the body streams in (body_limit.BodyLimit).
    raw_query_string = request.url.query
    url_values = parse_qs(raw_query_string, keep_blank_values=True)
    if request.method == "GET":
        return _query_from_parameters(url_values), _graphs(url_values)
    body = await request.body()
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "malformed_request", "the form body is not UTF-8") from None
        values = parse_qs(text, keep_blank_values=True)
        for key, more in url_values.items():
            values.setdefault(key, []).extend(more)
        return _query_from_parameters(values), _graphs(values)
    if media == "application/sparql-query":
        graphs = _graphs(url_values)
        try:
            return body.decode("utf-8"), graphs
        except UnicodeDecodeError:
            raise ApiError(400, "malformed_request", "the query is not UTF-8") from None
    if media == "application/sparql-update":
        raise ApiError(403, "update_refused", "this endpoint is read-only: updates are refused")
    raise ApiError(
        415,
        "unsupported_media_type",
        f"Content-Type {media or '(none)'!r} is not accepted; use "
        "application/sparql-query or application/x-www-form-urlencoded",
    )


async def _answer(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    text, graphs = await _read_query(request)
    accept = request.headers.get("accept")
    runner: QueryRunner = request.app.state.sparql
    # Checking (parsing), evaluating and writing all happen off the event loop; with the
    # embedded store, in a worker process under the deadline, in one exchange with it.
    try:
        admission: Admission = request.app.state.admission
        client = request.client.host if request.client else "unknown"
        limits = Limits(settings.max_rows, settings.max_response_bytes)
        timeout = settings.query_timeout
        answer_async = getattr(runner, "answer_async", None)
        if answer_async is not None:
            # The embedded pool talks to its workers on the event loop: no thread is taken.
            result, _form, kind = await admission.run_async(
                client, lambda: answer_async(text, accept, limits, timeout, graphs)
            )
        else:
            result, _form, kind = await admission.run(
                client, runner.answer, text, accept, limits, timeout, graphs
            )
    except QueryRefused as refused:
        raise ApiError(refused.status, refused.code, refused.message, field="query") from None
    except NotAcceptable as error:
        raise ApiError(
            406,
            "not_acceptable",
            f"cannot answer a {error.form} query in {accept!r}",
            suggestions=error.offered,
        ) from None
    except QueryFailed as error:
        raise ApiError(400, "query_failed", f"the query failed: {error}", field="query") from None
    return Response(
        content=result.body,
        media_type=CONTENT_TYPES[kind],
        headers={
            "X-Pathways-Truncated": "true" if result.truncated else "false",
            "X-Pathways-Rows": str(result.count),
            "Vary": "Accept",
        },
    )


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
]


def service_description(endpoint: str) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of this endpoint: what it answers and how. No
    sd:feature is claimed: SERVICE (federation) is refused, and there is no update."""
    service = ox.NamedNode(endpoint)
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    dataset, graph = ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, a, ox.NamedNode(SD + "Service")),
        ox.Triple(service, ox.NamedNode(SD + "endpoint"), service),
        ox.Triple(
            service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")
        ),
        ox.Triple(service, ox.NamedNode(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, a, ox.NamedNode(SD + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(SD + "defaultGraph"), graph),
        ox.Triple(graph, a, ox.NamedNode(SD + "Graph")),
    ]
    triples += [
        ox.Triple(service, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMATS + name))
        for name in _RESULT_FORMATS
    ]
    return triples


# --- OpenAPI declarations: the routes read their parameters from the raw request (repeated
# parameters, two body types), so FastAPI cannot infer them; they are declared here.

_QUERY_TEXT = {"type": "string", "description": "a SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE"}
_GRAPHS = {"type": "array", "items": {"type": "string", "format": "uri"}}
_DATASET = {
    "default-graph-uri": "a graph to query as the default graph (repeatable)",
    "named-graph-uri": "a graph to query as a named graph (repeatable)",
}
_DATASET_PARAMETERS_DOC = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": _GRAPHS,
        "style": "form",
        "explode": True,
    }
    for name, description in _DATASET.items()
]
_FORM = {
    "type": "object",
    "properties": {"query": _QUERY_TEXT, **{name: _GRAPHS for name in _DATASET}},
    "required": ["query"],
}
_ANSWERS = {
    **media_responses(
        CONTENT_TYPES.values(),
        "Solutions (SELECT, ASK) in a SPARQL results format, or a graph (CONSTRUCT, DESCRIBE) in "
        "an RDF format, chosen by the Accept header. X-Pathways-Truncated says whether the row "
        "cap cut the answer; X-Pathways-Rows how many rows (or triples) were sent.",
    ),
    **error_responses(400, 403, 406, 413, 429, 503),
}


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query by GET (?query=...); without one, a description",
    description="With no query string at all, the SPARQL 1.1 Service Description of this "
    "endpoint, in an RDF format chosen by the Accept header.",
    response_class=Response,
    responses=_ANSWERS,
    openapi_extra={
        "parameters": [
            {"name": "query", "in": "query", "required": False, "schema": _QUERY_TEXT},
            *_DATASET_PARAMETERS_DOC,
        ]
    },
)
async def sparql_get(request: Request) -> Response:
    if not request.url.query:
        # SPARQL 1.1 Service Description §2: a GET with no query describes the service.
        accept = request.headers.get("accept")
        try:
            kind = negotiate(accept, "DESCRIBE")
        except NotAcceptable as error:
            raise ApiError(
                406,
                "not_acceptable",
                f"the service description is RDF; cannot answer in {accept!r}",
                suggestions=error.offered,
            ) from None
        endpoint = str(request.url.replace(query="", fragment=""))
        return Response(
            write_triples(kind, service_description(endpoint)),
            media_type=CONTENT_TYPES[kind],
            headers={"Vary": "Accept"},
        )
    return await _answer(request)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query by POST (form or application/sparql-query)",
    response_class=Response,
    responses={**_ANSWERS, **error_responses(415)},
    openapi_extra={
        # With a sparql-query body the dataset comes in the query string.
        "parameters": _DATASET_PARAMETERS_DOC,
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": _FORM},
                "application/sparql-query": {"schema": _QUERY_TEXT},
            },
        },
    },
)
async def sparql_post(request: Request) -> Response:
    return await _answer(request)
