"""Decide, before anything runs, whether a SPARQL request may be evaluated here.

The endpoint is read-only and never reaches out: updates (including LOAD), SERVICE and FROM /
FROM NAMED are refused on the parsed query, so no evaluation (and no outbound request) happens.
rdflib's parser is used only to read the query's structure; Oxigraph evaluates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib.plugins.sparql.parser import parseQuery, parseUpdate


class QueryRefused(Exception):
    """A request the endpoint will not evaluate: ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"


_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def _walk(node: Any) -> Any:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def check_query(text: str) -> CheckedQuery:
    try:
        parsed = parseQuery(text)
    except Exception as query_error:  # pyparsing raises ParseException and friends
        try:
            parseUpdate(text)
        except Exception:
            raise QueryRefused(
                400, "malformed_query", f"the query does not parse: {query_error}"
            ) from query_error
        raise QueryRefused(
            403,
            "update_refused",
            "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is "
            "refused; the graph is changed by adding Turtle files and restarting",
        ) from None
    query = parsed[1]
    form = _FORMS.get(getattr(query, "name", ""), "")
    if not form:
        raise QueryRefused(400, "malformed_query", "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    # rdflib's CompValue.get answers a missing key with the key's name, so test membership.
    if "datasetClause" in query:
        raise QueryRefused(
            403,
            "dataset_refused",
            "FROM and FROM NAMED are refused: this endpoint answers over its own graph only",
        )
    for node in _walk(query):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise QueryRefused(
                403,
                "service_refused",
                "SERVICE is refused: this endpoint never sends requests to other endpoints",
            )
    return CheckedQuery(text=text, form=form)
