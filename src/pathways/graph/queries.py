"""Named SPARQL queries: ``queries/*.rq`` files loaded by name, run on the store with bindings.

Each file starts with a comment header::

    # Purpose: what the query answers, in one or more lines.
    # Parameters:
    #   ?role  the IRI of the start role
    # (or "# Parameters: none")

Parameters are passed to pyoxigraph as ``substitutions`` (bound before evaluation), never
spliced into the text, so a value cannot change the query. pyoxigraph binds only variables that
the SELECT clause projects, so a parameter must appear there (``SELECT ?role ...``); an aggregate
query projects it and groups by it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pathways.graph.loader import GraphStore
from pathways.graph.resources import queries_dir

_PARAM_RE = re.compile(r"^\?([A-Za-z_]\w*)\s*(.*)$")


class QueryDefinitionError(Exception):
    """A ``.rq`` file without the header every named query must have."""


class UnknownQueryError(KeyError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"no query named {name!r}; known: {', '.join(known)}")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    purpose: str
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def is_violation(self) -> bool:
        return self.name.endswith("-violation")


def parse_header(path: Path, text: str) -> tuple[str, dict[str, str]]:
    purpose: list[str] = []
    parameters: dict[str, str] = {}
    section = ""
    saw_parameters = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped.lstrip("#").strip()
        lowered = body.lower()
        if lowered.startswith("purpose:"):
            section = "purpose"
            body = body[len("purpose:") :].strip()
        elif lowered.startswith("parameters:"):
            section = "parameters"
            saw_parameters = True
            body = body[len("parameters:") :].strip()
            if body.lower() in {"none", "none."}:
                continue
        if not body:
            continue
        if section == "purpose":
            purpose.append(body)
        elif section == "parameters":
            match = _PARAM_RE.match(body)
            if match:
                parameters[match.group(1)] = match.group(2).strip()
            elif parameters:
                last = next(reversed(parameters))
                parameters[last] = f"{parameters[last]} {body}".strip()
    if not purpose or not saw_parameters:
        raise QueryDefinitionError(
            f"{path}: the header must have a '# Purpose:' line and a '# Parameters:' line "
            "(write 'none' when there are none)"
        )
    return " ".join(purpose), parameters


def load_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    purpose, parameters = parse_header(path, text)
    return NamedQuery(name=path.stem, path=path, text=text, purpose=purpose, parameters=parameters)


_CACHE: dict[tuple[Path, int], dict[str, NamedQuery]] = {}


def load_all(directory: Path | None = None) -> dict[str, NamedQuery]:
    folder = directory or queries_dir()
    # Parsing every header on each call cost more than a roadmap's own query. The folder's
    # modification time changes when a query file is added, removed or replaced (as editors
    # and checkouts do), which is when the named queries can change.
    key = (folder, folder.stat().st_mtime_ns)
    if key not in _CACHE:
        _CACHE[key] = {path.stem: load_query(path) for path in sorted(folder.glob("*.rq"))}
    return _CACHE[key]


def get(name: str, directory: Path | None = None) -> NamedQuery:
    queries = load_all(directory)
    try:
        return queries[name]
    except KeyError:
        raise UnknownQueryError(name, sorted(queries)) from None


def violation_queries(directory: Path | None = None) -> list[NamedQuery]:
    return [q for q in load_all(directory).values() if q.is_violation]


def term_value(term: Any) -> str | None:
    if term is None:
        return None
    return str(term.value)


def _solutions(
    store: GraphStore, query: NamedQuery, bindings: Mapping[str, ox.NamedNode | ox.Literal]
) -> ox.QuerySolutions:
    """Evaluate a SELECT with its parameters bound; every failure names the query file."""
    unknown = set(bindings) - set(query.parameters)
    if unknown:
        raise ValueError(
            f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}; "
            f"its parameters are: {', '.join(query.parameters) or 'none'}"
        )
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(k): v for k, v in bindings.items()
    }
    try:
        solutions = store.query(query.text, substitutions=substitutions)
    except SyntaxError as err:
        raise QueryDefinitionError(f"{query.path}: the query does not parse: {err}") from err
    except RuntimeError as err:
        if "SELECT projection" in str(err):
            raise QueryDefinitionError(
                f"{query.path}: a parameter is missing from the SELECT clause ({err}); "
                "project every parameter so that it can be bound"
            ) from err
        raise QueryDefinitionError(f"{query.path}: {err}") from err
    if not isinstance(solutions, ox.QuerySolutions):
        raise ValueError(f"query {query.name!r} is not a SELECT query; only SELECT can be shown")
    return solutions


def select(
    store: GraphStore,
    query: NamedQuery,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
) -> list[dict[str, Any]]:
    """Run a SELECT query; rows map variable names to pyoxigraph terms (absent when unbound)."""
    solutions = _solutions(store, query, bindings or {})
    names = [v.value for v in solutions.variables]
    # A solution iterates its values in the order of the variables: zipping them avoids a
    # lookup by name per cell (57% of the index's build time on a large graph).
    return [
        {name: value for name, value in zip(names, solution, strict=True) if value is not None}
        for solution in solutions
    ]


def is_true(term: Any) -> bool:
    """A boolean column's value. SPARQL answers ``"true"``; Virtuoso, which has no boolean type
    of its own, answers a boolean expression (``EXISTS``, ``BIND(true ...)``) as the integer 1
    and a stored ``xsd:boolean`` as ``"1"``, which are the same value."""
    return term is not None and term.value in {"true", "1"}


_CURIES = {
    "pp:": "https://w3id.org/pp-pathways/def#",
    "ppid:": "https://w3id.org/pp-pathways/id/",
}
_LANG_LITERAL = re.compile(r'^"(.*)"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)$', re.S)


def parse_term(value: str) -> ox.NamedNode | ox.Literal:
    """A parameter value from the command line: <iri>, http(s)/urn IRI, pp:/ppid: CURIE,
    "text"@lang, or else a plain string literal. It is bound, never spliced."""
    text = value.strip()
    iri = None
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif text.startswith(("http://", "https://", "urn:")):
        iri = text
    else:
        for curie, namespace in _CURIES.items():
            if text.startswith(curie):
                iri = namespace + text[len(curie) :]
    if iri is not None:
        try:
            return ox.NamedNode(iri)
        except ValueError as err:
            raise ValueError(f"{value!r} is not a valid IRI ({err})") from None
    match = _LANG_LITERAL.match(text)
    if match:
        return ox.Literal(match.group(1), language=match.group(2))
    return ox.Literal(value)


def resolve(name_or_path: str, directory: Path | None = None) -> NamedQuery:
    """A named query, or a ``.rq`` file given by path (a file needs no header: it is the user's)."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.is_file():
        text = path.read_text(encoding="utf-8")
        try:
            purpose, parameters = parse_header(path, text)
        except QueryDefinitionError:
            purpose, parameters = f"query from {path}", {}
        return NamedQuery(path.stem, path, text, purpose, parameters)
    return get(name_or_path, directory)


def run_with_text_params(
    store: GraphStore, query: NamedQuery, params: Mapping[str, str]
) -> tuple[list[str], list[dict[str, str | None]]]:
    """Run ``query`` with parameters given as text; return column names and rows as strings."""
    unknown = set(params) - set(query.parameters)
    if unknown and query.parameters:
        raise ValueError(
            f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}; "
            f"its parameters are: {', '.join(query.parameters)}"
        )
    bindings = {name: parse_term(value) for name, value in params.items()}
    if not query.parameters:
        # An ad-hoc file declares no parameters; accept what the user binds.
        query = NamedQuery(
            query.name, query.path, query.text, query.purpose, {name: "" for name in bindings}
        )
    solutions = _solutions(store, query, bindings)
    columns = [v.value for v in solutions.variables]
    rows = [{c: term_value(solution[c]) for c in columns} for solution in solutions]
    return columns, rows
