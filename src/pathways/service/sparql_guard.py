r"""Decide, before anything runs, whether a SPARQL request may be evaluated here.

The endpoint is read-only and never reaches out: updates (including LOAD), SERVICE and functions
outside SPARQL's own and the XML Schema casts are refused on the parsed query, so no evaluation
(and no outbound request) happens. FROM and FROM NAMED are accepted: they select graphs already
in the store (Oxigraph never fetches a graph it does not hold). rdflib's parser is used only to
read the query's structure; Oxigraph evaluates it. A query whose text plainly can hold neither
SERVICE nor a function named by an IRI (:func:`plainly_safe`, a conservative reading of the
characters, not a parse) skips rdflib: the engine's own parse is then the only one.

Two parsers must read the same characters, or one can be made to see a string where the other
sees a SERVICE call. SPARQL processes ``\uXXXX`` and ``\UXXXXXXXX`` escapes before parsing
(SPARQL 1.1 §19.2); rdflib does, Oxigraph does not. So the check expands them once, refuses a
text in which that leaves another escape (an escape written with escapes, which a second pass
would expand again), and hands Oxigraph the expanded text it checked. The workers that evaluate
queries also run without a network (sparql_workers.py), so a query that got past this check
still could not reach anything.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any


@functools.cache
def parser() -> Any:
    """rdflib's SPARQL grammar, imported on first use and corrected once. The server's own
    process never parses a query (its SPARQL workers do, and load it as they start), so it does
    not pay for importing rdflib before it can answer."""
    from rdflib import Literal
    from rdflib.plugins.sparql import parser as grammar

    def negative(tokens: Any) -> Literal:
        # rdflib negates a number through its Python value, which fails for xsd:decimal
        # ("Not a number"), so `VALUES ?x { -1.0 }` did not parse although it is valid SPARQL.
        # The sign goes on the lexical form instead, which is exact for every numeric type.
        number = tokens[0]
        return Literal("-" + str(number), datatype=number.datatype)

    for element in (grammar.INTEGER_NEGATIVE, grammar.DECIMAL_NEGATIVE, grammar.DOUBLE_NEGATIVE):
        element.set_parse_action(negative)
    return grammar


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


_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}")


def expand_escapes(text: str) -> str:
    """The query with its codepoint escapes expanded, as both parsers will then read it."""
    try:
        expanded: str = parser().expandUnicodeEscapes(text)
    except ValueError as error:
        raise QueryRefused(400, "malformed_query", f"the query does not parse: {error}") from None
    try:
        expanded.encode("utf-8")
    except UnicodeEncodeError:
        # \uD800 and its kin name surrogates, which are not characters (SPARQL 1.1 §19.2).
        raise QueryRefused(
            400, "malformed_query", "the query escapes a surrogate code point, not a character"
        ) from None
    if _ESCAPE.search(expanded):
        raise QueryRefused(
            400,
            "malformed_query",
            "the query writes a \\u or \\U escape with escapes; write the character itself",
        )
    return expanded


BASE = "BASE <https://w3id.org/pp-pathways/id/> "


def prepare(text: str) -> str:
    """The text the engine runs: escapes expanded, and a base IRI put first. Relative IRIs
    resolve against the individuals' namespace (<role-pwp> is a role), for any engine; the
    BASE goes on the first line, so the line numbers in a parser's message stay the user's."""
    return BASE + expand_escapes(text)


# The characters that may stand before a "(" that cannot end a function's name: a prefixed
# name never ends in one of them unescaped, an IRI ends in ">".
_SAFE_BEFORE = frozenset("(){},;!=<*/+|&")
# The characters that may stand before a keyword or a variable's name (FILTER(, ?x (), not
# before a prefixed name's local part (":", ".", "-", "%", "\\", letters beyond ASCII).
_WORD_BEFORE = frozenset(" \t\r\n(){}?$!,;|&=<*/+")


# Most brackets a query may hold and still go straight to the engine (typical queries have
# under 50; the deepest nesting it allows is then far below what the engine's parser takes).
PLAIN_BRACKETS = 256


def plainly_safe(prepared: str) -> bool:
    """True when the text, as the engine reads it, can hold neither SERVICE nor a call to a
    function named by an IRI, whatever its structure; False when unsure.

    It runs on the prepared text (what the engine runs), without parsing: "service" appears
    nowhere in it, in any case, and no "(" follows an IRI or a prefixed name, looked at
    conservatively (a "(" after a line that holds "#", which might end in a comment, or after
    an escaped character, counts as unsure). A True lets the engine parse and evaluate the
    query directly (half a millisecond to several saved per query); anything unsure takes
    the full check (:func:`check_query`), which parses the query's structure.
    """
    if "service" in prepared.lower():
        return False
    if sum(prepared.count(bracket) for bracket in "({[") > PLAIN_BRACKETS:
        # Deep nesting can exhaust the engine's own parser (a crash of the worker): a query
        # with many brackets takes the full check, which refuses nesting too deep (400).
        return False
    position = prepared.find("(")
    while position != -1:
        if not _plain_before(prepared, position):
            return False
        position = prepared.find("(", position + 1)
    return True


def _plain_before(text: str, position: int) -> bool:
    i = position - 1
    crossed_line = False
    while i >= 0 and text[i] in " \t\r\n":
        crossed_line = crossed_line or text[i] in "\r\n"  # a comment ends at either
        i -= 1
    if i < 0:
        return True
    line_start = max(text.rfind("\n", 0, i), text.rfind("\r", 0, i)) + 1
    if crossed_line and "#" in text[line_start : i + 1]:
        return False  # the line before may end in a comment that hides what precedes "("
    if i > 0 and text[i - 1] == "\\":
        return False  # an escaped character ends a prefixed name
    if text[i] in _SAFE_BEFORE:
        return True
    j = i
    while j >= 0 and text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
        j -= 1
    if j == i:
        return False
    return j < 0 or (text[j] in _WORD_BEFORE and not (j > 0 and text[j - 1] == "\\"))


def check_query(text: str) -> CheckedQuery:
    text = prepare(text)
    try:
        parsed = parser().parseQuery(text)
    except Exception as query_error:  # pyparsing raises ParseException and friends
        if isinstance(query_error, RecursionError) or "recursion" in str(query_error):
            raise QueryRefused(
                400, "malformed_query", "the query nests too deeply to be checked; flatten it"
            ) from None
        try:
            update = parser().parseUpdate(text)
        except Exception:
            raise QueryRefused(
                400, "malformed_query", f"the query does not parse: {query_error}"
            ) from query_error
        if "request" not in update:
            # Nothing but a prologue (or nothing at all) parses as an empty update.
            raise QueryRefused(
                400,
                "malformed_query",
                "the query is empty: write a SELECT, ASK, CONSTRUCT or DESCRIBE query",
            ) from None
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
    prefixes = _prefixes(parsed[0])
    for node in _walk(query):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            raise QueryRefused(
                403,
                "service_refused",
                "SERVICE is refused: this endpoint never sends requests to other endpoints",
            )
        if name == "Function":
            iri = _function_iri(node.get("iri"), prefixes)
            if iri is None or not iri.startswith(ALLOWED_FUNCTIONS):
                raise QueryRefused(
                    403,
                    "function_refused",
                    f"the function {iri or 'with an undeclared prefix'} is refused: only SPARQL's "
                    "own functions and the XML Schema casts (xsd:integer(...)) are answered, "
                    "because an engine may run others (bif:, sql:) against the outside world",
                )
    return CheckedQuery(text=text, form=form)


# Function IRIs a query may call: the XML Schema casts. SPARQL's own functions are keywords,
# not IRIs; any other IRI is an extension some engine might execute (Virtuoso's bif:http_get).
ALLOWED_FUNCTIONS = ("http://www.w3.org/2001/XMLSchema#",)


def _prefixes(prologue: Any) -> dict[str, str]:
    found = {}
    for declaration in prologue or []:
        if getattr(declaration, "name", None) == "PrefixDecl":
            found[str(declaration.get("prefix") or "")] = str(declaration.get("iri"))
    return found


def _function_iri(iri: Any, prefixes: dict[str, str]) -> str | None:
    """A function's IRI, with a prefixed name resolved against the query's prologue."""
    if getattr(iri, "name", None) == "pname":
        prefix = str(iri.get("prefix") or "")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + str(iri.get("localname") or "")
    return str(iri)
