"""SPARQL results: content negotiation, and writers that stop at the row cap.

pyoxigraph's own writers serialise a whole result; a capped response needs to stop early and say
so, so SELECT results are written here (JSON, XML, CSV, TSV per the W3C result formats) and graph
results go through pyoxigraph's RDF writers after the cap.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

import mimeparse  # type: ignore[import-untyped]
import pyoxigraph as ox

SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """How much one SPARQL response may carry: rows (or triples), and bytes of term text."""

    rows: int
    bytes: int


def _term_size(term: Any) -> int:
    if term is None:
        return 0
    value = getattr(term, "value", None)
    # A quoted triple (RDF-star) has no .value; its text is a fair measure of its size.
    return len(value if isinstance(value, str) else str(term)) + 16


def row_size(row: Sequence[Any]) -> int:
    return sum(_term_size(term) for term in row)


def triple_size(triple: Any) -> int:
    return _term_size(triple.subject) + _term_size(triple.predicate) + _term_size(triple.object)


def take(items: Iterable[T], limits: Limits, size: Any) -> tuple[list[T], bool]:
    """The first items that fit within ``limits`` and whether any were left out. Items are
    counted as they are read, so a result of one huge value (a string doubled 24 times) stops
    before it is held twice, and a long one before it is read whole."""
    taken: list[T] = []
    total = 0
    for item in items:
        if len(taken) >= limits.rows:
            return taken, True
        total += size(item)
        if total > limits.bytes:
            return taken, True
        taken.append(item)
    return taken, False


class NotAcceptable(Exception):
    def __init__(self, offered: Sequence[str], form: str = "") -> None:
        self.offered = list(offered)
        self.form = form
        super().__init__("none of the accepted media types can be produced")


# Most preferred first: on a tie (``*/*``, ``text/*``) the earlier one is chosen.
SOLUTION_PREFERENCE = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
]
GRAPH_PREFERENCE = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "text/plain",
]


def best_media_type(accept: str | None, offered: Sequence[str]) -> str | None:
    """The media type of ``offered`` (most preferred first) that ``accept`` ranks highest, by
    RFC 9110's rules (q-values, ``q=0`` as "not this", the most specific range deciding) as
    python-mimeparse implements them; None when nothing offered is acceptable. An absent or
    empty header accepts anything; unparseable parts of it are ignored, as RFC 9110 allows."""
    if not accept or not accept.strip():
        return offered[0]
    parts = []
    for part in accept.split(","):
        try:
            mimeparse.parse_media_range(part)
        except (mimeparse.MimeTypeParseException, ValueError):
            continue
        parts.append(part)
    if not parts:
        return offered[0]
    # best_match prefers the last of equals, so offer the most preferred last.
    chosen = mimeparse.best_match(list(reversed(offered)), ",".join(parts))
    return chosen or None


def negotiate(accept: str | None, form: str) -> str:
    """The writer for the best media type in ``accept`` that ``form`` can produce."""
    graph = form in {"CONSTRUCT", "DESCRIBE"}
    table = GRAPH_TYPES if graph else SOLUTION_TYPES
    chosen = best_media_type(accept, GRAPH_PREFERENCE if graph else SOLUTION_PREFERENCE)
    if chosen is None:
        raise NotAcceptable(sorted(table))
    return table[chosen]


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def write_solutions(kind: str, variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    if kind == "json":
        bindings = [
            {
                name: _json_term(term)
                for name, term in zip(variables, row, strict=True)
                if term is not None
            }
            for row in rows
        ]
        return json.dumps(
            {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        ).encode()
    if kind == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = []
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                for name, term in zip(variables, row, strict=True)
                if term is not None
            )
            body.append(f"<result>{cells}</result>")
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{''.join(body)}</results></sparql>\n"
        ).encode()
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else t.value for t in row])
        return buffer.getvalue().encode()
    if kind == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(kind)


def write_boolean(kind: str, value: bool) -> bytes:
    if kind == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if kind == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    if kind == "csv":
        return f"_askResult\r\n{'true' if value else 'false'}\r\n".encode()
    return f"?_askResult\n{'true' if value else 'false'}\n".encode()


def write_triples(kind: str, triples: Sequence[ox.Triple]) -> bytes:
    fmt = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }[kind]
    data = ox.serialize(triples, format=fmt)
    return data if isinstance(data, bytes) else b""
