"""Load every Turtle file of the knowledge base into one ``pyoxigraph.Store``.

All files are parsed before anything is added to the store, so a syntax error in any file means
no graph at all: a partial graph is never used. The loader also remembers, for each subject, the
file and line where it was first written, so that every report can say where to look.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from pathways.graph.resources import ontology_dir

_PREFIX_RE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
# A subject written at the start of a line: <iri> or prefix:local (Turtle's usual layout).
_SUBJECT_RE = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,]*|:[^\s;,]*)")


class GraphStore(Protocol):
    """What the service layer asks of a store: the embedded pyoxigraph Store, or a
    :class:`pathways.remote.RemoteStore` answering over the SPARQL 1.1 Protocol."""

    def query(self, query: str, *, substitutions: Any = ...) -> Any: ...

    def quads_for_pattern(
        self, subject: Any, predicate: Any, object: Any, graph_name: Any = ...
    ) -> Any: ...

    def dump(self, output: Any = ..., format: Any = ..., *, from_graph: Any = ...) -> Any: ...

    def __len__(self) -> int: ...


class GraphLoadError(Exception):
    """Input that cannot be read: a missing path, no Turtle files, or a syntax error."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str = "",
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.hint = hint
        super().__init__(self.describe())

    def describe(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.message}"
        return f"{text}\n  what to do: {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.file) if self.file else None,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Location:
    file: Path
    line: int | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)


@dataclass
class LoadedGraph:
    """The merged graph and where each subject came from."""

    store: GraphStore
    files: list[Path]
    locations: dict[str, list[Location]] = field(default_factory=dict)
    statement_files: dict[tuple[str, str], Path] = field(default_factory=dict)
    triple_count: int = 0
    # Derived views (the roadmap index) built on first use; the graph itself never changes.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def location_of(self, iri: str, prop: str | None = None) -> Location | None:
        """Where ``iri`` was written; with ``prop``, the file that states that property of it.

        An extension may add statements to an individual defined elsewhere, so the file that
        holds the offending statement is the one to name, when there is one.
        """
        places = self.locations.get(iri, [])
        if prop is not None:
            file = self.statement_files.get((iri, prop))
            for place in places:
                if place.file == file:
                    return place
        return places[0] if places else None


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to their ``.ttl`` files (sorted, recursive); keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.ttl") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise GraphLoadError(
                "no such file or directory",
                file=path,
                hint="check the path; give a .ttl file or a directory of them",
            )
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


# The default cap on one Turtle file: the largest shipped file is 143 KB, and a graph 100
# times the shipped one is about 15 MB per file. A file past the cap is refused before it
# is read, so a mistaken path (a dump, a log) cannot fill the memory of the server.
MAX_FILE_BYTES = 64 * 1024 * 1024


def _parse_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> list[ox.Quad]:
    if path.suffix.lower() != ".ttl":
        raise GraphLoadError(
            "not a Turtle file",
            file=path,
            hint="knowledge-base files must end in .ttl",
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise GraphLoadError(
            f"the file is {size:,} bytes, over the limit of {max_bytes:,} bytes",
            file=path,
            hint="split it into smaller .ttl files, or raise PATHWAYS_MAX_TURTLE_BYTES",
        )
    try:
        quads = list(
            ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        )
    except SyntaxError as err:
        return _raise_syntax(path, err)
    except (UnicodeDecodeError, ValueError) as err:
        raise GraphLoadError(
            f"cannot read the file: {err}",
            file=path,
            hint="save it as UTF-8 Turtle",
        ) from err
    return _fresh_blank_nodes(quads)


def _fresh_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Give each file's blank nodes identities of their own.

    pyoxigraph keeps the labels written in the file, so ``_:x`` in two files would otherwise
    become one node in the store and merge two unrelated descriptions.
    """
    fresh: dict[str, ox.BlankNode] = {}

    def rename(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode())
        return term

    return [ox.Quad(rename(q.subject), q.predicate, rename(q.object), q.graph_name) for q in quads]


def _raise_syntax(path: Path, err: SyntaxError) -> list[ox.Quad]:
    message = err.msg or str(err)
    raise GraphLoadError(
        f"Turtle syntax error: {message}",
        file=path,
        line=err.lineno,
        column=err.offset,
        hint="fix the Turtle at that line (a missing '.', ';' or closing quote is the usual cause)",
    ) from err


def subject_lines(path: Path) -> dict[str, int]:
    """First line on which each subject IRI starts a statement, by reading the file's layout.

    Parsers do not report positions of parsed triples, so this reads the text: it covers
    Turtle written one subject per block, which is how every file here and every template is
    written. A subject it cannot place is reported with its file only.
    """
    prefixes: dict[str, str] = {}
    lines: dict[str, int] = {}
    in_long_string = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        was_in_long_string = in_long_string
        if raw.count('"""') % 2 == 1:
            in_long_string = not in_long_string
        if was_in_long_string:
            continue
        match = _PREFIX_RE.match(raw)
        if match:
            prefixes[match.group(1) or ""] = match.group(2)
            continue
        token_match = _SUBJECT_RE.match(raw)
        if not token_match:
            continue
        token = token_match.group(1)
        if token.startswith("<"):
            iri = token[1:-1]
        else:
            prefix, _, local = token.partition(":")
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + local
        lines.setdefault(iri, number)
    return lines


def default_sources(extra: Sequence[Path] = ()) -> list[Path]:
    return [ontology_dir(), *extra]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large, acyclic structure is built. Each
    collection walks every object alive, and building millions of them triggers thousands:
    the index took 6.9 s with it at a hundred times the shipped graph and 4.5 s without, and
    16 times longer at ten times that size (issue 15). Reference counting still frees what is
    dropped; the collector resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load(
    extra: Sequence[Path] = (),
    *,
    include_ontology: bool = True,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> LoadedGraph:
    """Parse ``ontology/`` plus any extra files or directories into a fresh store.

    Raises :class:`GraphLoadError` before touching the store if any input is unreadable or
    larger than ``max_file_bytes``.
    """
    sources = default_sources(extra) if include_ontology else list(extra)
    files = discover(sources)
    if not files:
        raise GraphLoadError(
            "no Turtle files found in " + ", ".join(str(s) for s in sources),
            hint="give a directory that holds .ttl files",
        )
    with collector_paused():
        return _load_files(files, max_file_bytes)


def _load_files(files: list[Path], max_file_bytes: int) -> LoadedGraph:
    parsed = [(path, _parse_file(path, max_file_bytes)) for path in files]

    store = ox.Store()
    locations: dict[str, list[Location]] = {}
    statement_files: dict[tuple[str, str], Path] = {}
    for path, quads in parsed:
        store.extend(quads)
        lines = subject_lines(path)
        for quad in quads:
            subject = quad.subject
            if not isinstance(subject, ox.NamedNode):
                continue
            statement_files.setdefault((subject.value, quad.predicate.value), path)
            places = locations.setdefault(subject.value, [])
            if not places or places[-1].file != path:
                places.append(Location(path, lines.get(subject.value)))
    return LoadedGraph(
        store=store,
        files=files,
        locations=locations,
        statement_files=statement_files,
        triple_count=len(store),
    )
