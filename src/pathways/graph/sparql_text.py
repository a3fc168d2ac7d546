r"""SPARQL query text read without a parser, for sending to an external engine: the query's form
(it decides which result format to ask for) and its parameters bound into the text.

Parameters are bound as a ``FILTER`` placed at the end of the query's WHERE group, not as a
trailing ``VALUES`` block. Both mean the same for a variable the pattern binds, but Virtuoso 7.2
evaluates a trailing ``VALUES`` after the pattern, so a property path that starts at the parameter
(``?start (^pp:fromRole/pp:toRole)* ?from``) has no start: it refused one query and silently
answered another over every role. An IRI is bound with ``?v = <iri>``, which for IRIs is term
identity and which Virtuoso's optimiser turns into the path's start (it does not see through
``sameTerm``, nor through ``=`` joined to anything else with ``&&``); a literal is bound with
``sameTerm``, because ``=`` would let ``"1"^^xsd:integer`` match ``"1.0"^^xsd:decimal``.

Terms are written in their pyoxigraph N-Triples form, which escapes every character that could
end a term, so a parameter's text can never become part of the query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

# What may come before a query's form keyword (SPARQL 1.1 grammar [4]-[6]): whitespace, comments,
# BASE <iri> and PREFIX name: <iri>. An IRIREF cannot hold '>' nor a prefix name ':' or a space,
# so this reads the prologue exactly.
_PROLOGUE = re.compile(
    r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*", re.IGNORECASE
)
_FORM = re.compile(r"SELECT|ASK|CONSTRUCT|DESCRIBE", re.IGNORECASE)

# The tokens that can hold a brace without opening or closing a group (strings, IRIs, comments),
# and the braces themselves. Everything between matches is skipped. An IRIREF cannot contain
# a brace, a space or a quote, so `?a < ?b` is never taken for an IRI.
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
    r"|[{}]"
)


def query_form(text: str) -> str:
    """The form of a query: "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE" ("" when unknown)."""
    prologue = _PROLOGUE.match(text)  # always matches, if only the empty string
    form = _FORM.match(text, prologue.end() if prologue else 0)
    return form.group(0).upper() if form else ""


def _where_end(text: str) -> int:
    """The offset of the brace that closes the query's WHERE group: the last one that closes a
    top-level group (ORDER BY, GROUP BY and LIMIT have none)."""
    depth, end = 0, -1
    for token in _TOKENS.finditer(text):
        if token.group() == "{":
            depth += 1
        elif token.group() == "}":
            depth -= 1
            if depth == 0:
                end = token.start()
    if end < 0 or depth != 0:
        raise ValueError("the query has no WHERE group to bind parameters in")
    return end


def bind(text: str, substitutions: Mapping[ox.Variable, Any]) -> str:
    """The query with each variable of ``substitutions`` bound to its term."""
    if not substitutions:
        return text
    filters = []
    for variable, term in substitutions.items():
        if isinstance(term, ox.BlankNode):
            # A blank node cannot be named in a query (nor would another response label it alike).
            raise ValueError(f"?{variable.value} cannot be bound to a blank node in a query")
        if isinstance(term, ox.NamedNode):
            filters.append(f"FILTER(?{variable.value} = {term})")
        else:
            filters.append(f"FILTER(sameTerm(?{variable.value}, {term}))")
    end = _where_end(text)
    return text[:end] + "\n  " + "\n  ".join(filters) + "\n" + text[end:]
