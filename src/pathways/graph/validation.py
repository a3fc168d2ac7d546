"""Validate a loaded graph: SHACL shapes (pyshacl) plus the ``*-violation.rq`` queries.

The report names, for each finding, the focus node (label and IRI), the property, the message
and the file (and line) that defined the node, because the people who read it are editing
Turtle files, not debugging Python.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from pathways.graph import queries as named_queries
from pathways.graph.loader import GraphStore, LoadedGraph, collector_paused
from pathways.graph.resources import PP, PPID, shapes_dir

if TYPE_CHECKING:
    from rdflib import Graph

# pyshacl and rdflib are imported where SHACL runs, not with this module: a command whose
# graph's verdict is remembered (graph/verdicts.py) never needs them (0.13 s of a start).
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_OWL = "http://www.w3.org/2002/07/owl#"
_DECLARATION_TYPES = {
    f"{_OWL}Class",
    f"{_OWL}ObjectProperty",
    f"{_OWL}DatatypeProperty",
    f"{_OWL}AnnotationProperty",
}
_PREFIXES = {
    PP: "pp:",
    PPID: "ppid:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
}


class ValidationSetupError(Exception):
    """Validation could not meaningfully run (no shapes, no violation queries, bad shapes)."""


@dataclass
class Finding:
    check: str  # "shacl" or the name of the violation query
    severity: str  # "violation" or "warning"
    focus: str
    focus_label: str | None
    property: str | None
    value: str | None
    message: str
    file: str | None = None
    line: int | None = None
    suggestion: str | None = None


@dataclass
class Report:
    conforms: bool
    findings: list[Finding]
    files: list[str]
    shapes: int
    violation_queries: list[str]
    triples: int
    seconds: float
    warnings: int = field(default=0)
    # True when this is the verdict remembered for byte-identical inputs (graph/verdicts.py).
    remembered: bool = field(default=False)

    @property
    def violations(self) -> int:
        return sum(1 for f in self.findings if f.severity == "violation")

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["violations"] = self.violations
        return data


def compact(iri: str | None) -> str | None:
    if iri is None:
        return None
    for namespace, prefix in _PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def compact_text(text: str) -> str:
    # Only IRIs with a local name: a bare namespace in a hint ("declare @prefix ppid: <...>")
    # must stay written out in full.
    text = re.sub(re.escape(PPID) + r"(?=[\w-])", "ppid:", text)
    return re.sub(re.escape(PP) + r"(?=[\w-])", "pp:", text)


def _unique(findings: list[Finding]) -> list[Finding]:
    # One constraint can fail in several ways at once (a word where a number should be breaks
    # both sh:datatype and sh:minInclusive); the reader needs to hear about it once.
    seen: set[tuple[str, str, str | None, str]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.check, finding.focus, finding.property, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def load_shapes(directory: Path | None = None) -> tuple[Graph, int]:
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    folder = directory or shapes_dir()
    files = sorted(folder.glob("*.ttl"))
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as err:  # rdflib raises many parser exception types
            raise ValidationSetupError(f"{path}: the shapes file cannot be parsed: {err}") from err
    count = len(set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(SH.path, None)))
    if count == 0:
        raise ValidationSetupError(
            f"no SHACL shapes found in {folder}: validation would check nothing. "
            "Reinstall the package or restore shapes/*.ttl."
        )
    return graph, count


def _labels(store: GraphStore) -> dict[str, str]:
    labels: dict[str, str] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(_LABEL), None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            labels.setdefault(quad.subject.value, quad.object.value)
    return labels


def _declared_terms(store: GraphStore) -> set[str]:
    terms: set[str] = set()
    rdf_type = ox.NamedNode(RDF_TYPE)
    for kind in _DECLARATION_TYPES:
        for quad in store.quads_for_pattern(None, rdf_type, ox.NamedNode(kind)):
            if isinstance(quad.subject, ox.NamedNode):
                terms.add(quad.subject.value)
    return terms


def _typed_individuals(store: GraphStore) -> set[str]:
    rdf_type = ox.NamedNode(RDF_TYPE)
    return {
        q.subject.value
        for q in store.quads_for_pattern(None, rdf_type, None)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(PPID)
    }


def suggest(value: str | None, declared: set[str], individuals: set[str]) -> str | None:
    """'Did you mean' for a pp: term the ontology lacks or a ppid: individual nobody defines."""
    if value is None:
        return None
    if value.startswith(PP) and value not in declared:
        namespace, pool = PP, sorted(t for t in declared if t.startswith(PP))
    elif value.startswith(PPID) and value not in individuals:
        namespace, pool = PPID, sorted(individuals)
    else:
        return None
    # Compare local names only: the shared namespace would make every candidate look close.
    by_local = {term[len(namespace) :].lower(): term for term in pool}
    wanted = value[len(namespace) :].lower()
    close = difflib.get_close_matches(wanted, list(by_local), n=1, cutoff=0.75)
    return f"did you mean {compact(by_local[close[0]])}?" if close else None


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def as_rdflib_graph(store: GraphStore) -> Graph:
    """Copy the store's default graph into an rdflib Graph, term by term: a third faster than
    writing N-Triples and parsing them (1.2 s against 0.8 s at ten times the shipped graph),
    since each distinct term is converted once (a graph repeats its IRIs many times)."""
    from rdflib import BNode, Graph, Literal, URIRef

    graph = Graph()
    converted: dict[Any, Any] = {}

    def term(value: Any) -> Any:
        found = converted.get(value)
        if found is None:
            if isinstance(value, ox.NamedNode):
                found = URIRef(value.value)
            elif isinstance(value, ox.BlankNode):
                found = BNode(value.value)
            elif value.language:
                found = Literal(value.value, lang=value.language)
            else:
                datatype = value.datatype.value
                found = Literal(
                    value.value, datatype=None if datatype == XSD_STRING else URIRef(datatype)
                )
            converted[value] = found
        return found

    graph.addN(
        (term(q.subject), term(q.predicate), term(q.object), graph)
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    )
    return graph


def _shacl_findings(loaded: LoadedGraph, shapes: Graph) -> list[Finding]:
    import pyshacl
    from rdflib.namespace import RDF, SH

    # pyshacl is given an rdflib copy, not the pyoxigraph Store: on the shipped graph (about 6,000
    # triples) pyshacl 0.40 took 23 s over a Store and 0.5 s over an rdflib Graph, because it
    # issues many tiny lookups and each crosses into Oxigraph. benchmarks/validate_shipped.py
    # measures both side by side.
    conforms, results, _text = pyshacl.validate(
        data_graph=as_rdflib_graph(loaded.store),
        shacl_graph=shapes,
        inference="none",
        # The copy is ours alone: without inplace, pyshacl copies it again (0.6 s at ten
        # times the shipped graph, and its memory).
        inplace=True,
        advanced=True,
        allow_warnings=True,
    )
    findings: list[Finding] = []
    if conforms:
        return findings
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        findings.append(
            Finding(
                check="shacl",
                severity="warning" if severity in (SH.Warning, SH.Info) else "violation",
                focus=str(focus),
                focus_label=None,
                property=str(path) if path is not None else None,
                value=str(value) if value is not None else None,
                message=str(message) if message is not None else "does not conform to its shape",
            )
        )
    return findings


def _query_findings(
    loaded: LoadedGraph, violation_queries: Sequence[named_queries.NamedQuery]
) -> list[Finding]:
    findings: list[Finding] = []
    for query in violation_queries:
        for row in named_queries.select(loaded.store, query):
            findings.append(
                Finding(
                    check=query.name,
                    severity="violation",
                    focus=named_queries.term_value(row.get("focus")) or "",
                    focus_label=None,
                    property=named_queries.term_value(row.get("property")),
                    value=named_queries.term_value(row.get("value")),
                    message=named_queries.term_value(row.get("message")) or query.purpose,
                )
            )
    return findings


def validate(
    loaded: LoadedGraph,
    *,
    shapes_directory: Path | None = None,
    queries_directory: Path | None = None,
) -> Report:
    started = time.perf_counter()
    shapes, shape_count = load_shapes(shapes_directory)
    violation_queries = named_queries.violation_queries(queries_directory)
    if not violation_queries:
        raise ValidationSetupError(
            "no *-violation.rq queries found: validation would skip every rule SHACL cannot "
            "express. Reinstall the package or restore queries/."
        )
    if not loaded.files:
        raise ValidationSetupError("no Turtle files were loaded: there is nothing to validate")

    # The collector paused (loader.collector_paused): pyshacl builds and drops millions of
    # small objects, and each collection walked them all (15 to 20% of validation at 20x).
    with collector_paused():
        shacl = _shacl_findings(loaded, shapes)
    findings = shacl + _query_findings(loaded, violation_queries)
    labels = _labels(loaded.store)
    declared = _declared_terms(loaded.store)
    individuals = _typed_individuals(loaded.store)
    for finding in findings:
        finding.focus_label = labels.get(finding.focus)
        location = loaded.location_of(finding.focus, finding.property)
        if location is not None:
            finding.file, finding.line = str(location.file), location.line
        finding.message = compact_text(finding.message)
        finding.suggestion = suggest(finding.property, declared, individuals) or suggest(
            finding.value, declared, individuals
        )
    findings = _unique(findings)
    findings.sort(key=lambda f: (f.file or "", f.line or 0, f.focus, f.property or "", f.message))
    violations = sum(1 for f in findings if f.severity == "violation")
    return Report(
        conforms=violations == 0,
        findings=findings,
        files=[str(p) for p in loaded.files],
        shapes=shape_count,
        violation_queries=[q.name for q in violation_queries],
        triples=loaded.triple_count,
        seconds=time.perf_counter() - started,
        warnings=len(findings) - violations,
    )
