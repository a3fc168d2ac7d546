"""Linked data: every individual's IRI resolves under /id/..., the schema under /def, and the
whole graph downloads as Turtle, N-Triples or JSON-LD. Content negotiation picks the format."""

from __future__ import annotations

import difflib
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import RedirectResponse

from pathways import __version__
from pathways.graph.describe import describe
from pathways.graph.loader import LoadedGraph
from pathways.graph.resources import PP, PPID
from pathways.graph.void import describe_dataset, graph_version
from pathways.service.errors import ApiError, error_responses
from pathways.service.openapi import media_responses
from pathways.service.sparql_results import (
    CONTENT_TYPES,
    GRAPH_PREFERENCE,
    GRAPH_TYPES,
    NotAcceptable,
    best_media_type,
    negotiate,
    write_triples,
)

router = APIRouter(tags=["linked data"])
_DOWNLOADS = {"ttl": "turtle", "nt": "ntriples", "jsonld": "jsonld", "rdf": "rdfxml"}
# The media types a graph is sent in (text/plain is accepted in Accept, answered as N-Triples).
_GRAPH_MEDIA = [CONTENT_TYPES[kind] for kind in dict.fromkeys(GRAPH_TYPES.values())]


def _graph_response(triples: list[ox.Triple], kind: str, filename: str | None = None) -> Response:
    headers = {"Vary": "Accept"}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(write_triples(kind, triples), media_type=CONTENT_TYPES[kind], headers=headers)


def _kind(request: Request) -> str:
    try:
        return negotiate(request.headers.get("accept"), "CONSTRUCT")
    except NotAcceptable as error:
        raise ApiError(
            406,
            "not_acceptable",
            "this resource is available as Turtle, N-Triples, JSON-LD or RDF/XML",
            suggestions=error.offered,
        ) from None


def _wants_html(accept: str | None) -> bool:
    """True when the client ranks an HTML type above every RDF type (a browser does); on a
    tie, RDF wins, so ``*/*`` gets Turtle."""
    if not accept or not accept.strip():
        return False
    chosen = best_media_type(accept, [*GRAPH_PREFERENCE, "text/html", "application/xhtml+xml"])
    return chosen in {"text/html", "application/xhtml+xml"}


@router.get(
    "/id/{local:path}",
    summary="An individual, by content negotiation",
    response_class=Response,
    responses={
        **media_responses(_GRAPH_MEDIA, "The triples about the individual"),
        303: {
            "description": "A browser (HTML ranked above RDF) is sent to the role's or "
            "profession's page",
            "headers": {"Location": {"schema": {"type": "string"}}},
        },
        **error_responses(404, 406),
    },
)
def resolve_individual(
    request: Request,
    local: Annotated[str, Path(description="the IRI after /id/", examples=["role-pwp"])],
) -> Response:
    loaded: LoadedGraph = request.app.state.graph
    iri = PPID + local
    if _wants_html(request.headers.get("accept")):
        folder = (
            "roles"
            if local.startswith("role-")
            else ("professions" if local.startswith("profession-") else "")
        )
        if folder and iri in loaded.locations:
            return RedirectResponse(f"/site/{folder}/{local}.html", status_code=303)
    try:
        triples = describe(loaded.store, [iri])
    except ValueError:
        # Not an IRI at all (a space, a bracket): nothing can be called that (it answered 500).
        triples = []
    if not triples:
        known = [s for s in loaded.locations if s.startswith(PPID)]
        close = difflib.get_close_matches(iri, known, n=5, cutoff=0.6)
        raise ApiError(
            404,
            "not_found",
            f"nothing is called {iri}",
            suggestions=[c.removeprefix(PPID) for c in close],
        )
    return _graph_response(triples, _kind(request))


@router.get(
    "/def",
    summary="The schema (classes and properties), by content negotiation",
    response_class=Response,
    responses={
        **media_responses(_GRAPH_MEDIA, "The classes and properties of the ontology"),
        **error_responses(406),
    },
)
def resolve_schema(request: Request) -> Response:
    loaded: LoadedGraph = request.app.state.graph
    schema = [s for s in loaded.locations if s.startswith(PP) or s == PP.rstrip("#")]
    triples = describe(loaded.store, schema)
    return _graph_response(triples, _kind(request))


@router.get(
    "/.well-known/void",
    summary="A VoID description of the dataset: size, licence, version, endpoint and dumps",
    response_class=Response,
    responses={
        **media_responses(_GRAPH_MEDIA, "The dataset's VoID description"),
        **error_responses(406),
    },
)
def dataset_description(request: Request) -> Response:
    loaded: LoadedGraph = request.app.state.graph
    base = str(request.base_url)
    return _graph_response(describe_dataset(loaded, base), _kind(request))


@router.get(
    "/download/graph.{extension}",
    summary="The whole served graph: graph.ttl, graph.nt, graph.jsonld or graph.rdf",
    response_class=Response,
    responses={
        **media_responses(
            [CONTENT_TYPES[kind] for kind in _DOWNLOADS.values()], "The graph, as an attachment"
        ),
        **error_responses(404),
    },
)
def download(
    request: Request,
    extension: Annotated[str, Path(description="ttl, nt, jsonld or rdf", examples=["ttl"])],
) -> Response:
    if extension not in _DOWNLOADS:
        raise ApiError(
            404,
            "not_found",
            f"no download graph.{extension}",
            suggestions=[f"graph.{e}" for e in _DOWNLOADS],
        )
    loaded: LoadedGraph = request.app.state.graph
    triples = [
        q.triple for q in loaded.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    ]
    # The file's name says the release it holds, as its ontology header does.
    name = f"pp-pathways-{graph_version(loaded) or __version__}.{extension}"
    return _graph_response(triples, _DOWNLOADS[extension], name)


assert set(_DOWNLOADS.values()) <= set(GRAPH_TYPES.values())
