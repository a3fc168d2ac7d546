"""Consistency checking with HermiT (through owlready2), and the axioms behind an inconsistency.

owlready2 cannot read Turtle, so the graph goes to it as RDF/XML written by rdflib, as it is: the
ontology is in the OWL 2 DL profile (tests/graph/test_owl_profile.py), so nothing needs rewriting
for HermiT. HermiT says whether the ontology is consistent but not why, so
when it is not, the ``inconsistency-*.rq`` queries name the axioms and statements involved, with
the file and line of each statement.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import OWL, Graph

from pathways.graph import queries as named_queries
from pathways.graph.loader import LoadedGraph
from pathways.graph.validation import compact


class ReasonerUnavailable(RuntimeError):
    """Java (which HermiT needs) or owlready2 is missing."""


@dataclass
class Explanation:
    check: str
    focus: str
    message: str
    axioms: list[str]
    file: str | None = None
    line: int | None = None


@dataclass
class ReasoningReport:
    consistent: bool
    seconds: float
    unsatisfiable_classes: list[str] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    reasoner_message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def java_available() -> bool:
    return shutil.which("java") is not None


def _explain(loaded: LoadedGraph) -> list[Explanation]:
    found = []
    for query in named_queries.load_all().values():
        if not query.name.startswith("inconsistency-"):
            continue
        for row in named_queries.select(loaded.store, query):
            focus = row["focus"].value
            location = loaded.location_of(focus)
            found.append(
                Explanation(
                    check=query.name,
                    focus=focus,
                    message=str(row["message"].value),
                    axioms=[str(row["axiom"].value)] if "axiom" in row else [],
                    file=str(location.file) if location else None,
                    line=location.line if location else None,
                )
            )
    return found


def check_consistency(loaded: LoadedGraph) -> ReasoningReport:
    """Run HermiT over the graph; on inconsistency, say which axioms and statements clash."""
    if not java_available():
        raise ReasonerUnavailable(
            "HermiT needs Java, which is not installed: install a Java runtime (on Debian, "
            "apt-get install default-jre-headless) and run again"
        )
    try:
        import owlready2
    except ImportError as err:  # a dependency, so only a broken install gets here
        raise ReasonerUnavailable("owlready2 is not installed: pip install owlready2") from err

    data = loaded.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    rdf = Graph()
    rdf.parse(data=data, format="nt")
    # owlready2 fetches every owl:imports target from the web when it loads an ontology. The
    # graph here is already everything that is reasoned over, so imports are dropped: an
    # extension that imports an address can make no request.
    rdf.remove((None, OWL.imports, None))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pathways-reason-") as folder:
        path = Path(folder) / "graph.owl"
        rdf.serialize(path, format="xml")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            return ReasoningReport(
                consistent=False,
                seconds=time.perf_counter() - started,
                explanations=_explain(loaded),
                reasoner_message=str(error).strip(),
            )
        except owlready2.OwlReadyJavaError as error:
            raise ReasonerUnavailable(f"HermiT failed: {str(error).strip()[:500]}") from error
        unsatisfiable = sorted(
            compact(c.iri) or c.iri
            for c in world.inconsistent_classes()
            if c.iri != "http://www.w3.org/2002/07/owl#Nothing"
        )
    return ReasoningReport(
        consistent=not unsatisfiable,
        seconds=time.perf_counter() - started,
        unsatisfiable_classes=unsatisfiable,
    )
