"""A VoID description of the dataset: what it is, its size, licence and version, and where to
query it, so that a crawler or a catalogue can describe the graph without reading it.

The same description is served at /.well-known/void (with the SPARQL endpoint and the dumps of
the server that answers) and added to `pathways export` (without them: a file has no endpoint).
Every term it uses from VoID and Dublin Core is declared in it, so the export stays in the OWL 2
DL profile.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from pathways import __version__
from pathways.graph.loader import LoadedGraph
from pathways.graph.resources import PP, PPID

VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DATASET = ox.NamedNode(PPID + "dataset")
ONTOLOGY = ox.NamedNode("https://w3id.org/pp-pathways/def")
LICENCE = ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")

# The classes whose members are counted (void:classPartition), in the order people ask about.
COUNTED = [
    "Profession",
    "Role",
    "Progression",
    "TrainingProgramme",
    "SupportOffer",
    "Competency",
    "PayBand",
    "LeadershipTier",
]

_DECLARATIONS = {
    VOID + "Dataset": OWL + "Class",
    VOID + "triples": OWL + "DatatypeProperty",
    VOID + "entities": OWL + "DatatypeProperty",
    VOID + "uriSpace": OWL + "DatatypeProperty",
    VOID + "class": OWL + "ObjectProperty",
    VOID + "classPartition": OWL + "ObjectProperty",
    VOID + "vocabulary": OWL + "ObjectProperty",
    VOID + "sparqlEndpoint": OWL + "ObjectProperty",
    VOID + "dataDump": OWL + "ObjectProperty",
    VOID + "rootResource": OWL + "ObjectProperty",
}


def _members(loaded: LoadedGraph) -> dict[str, int]:
    """How many individuals each class has, in one query."""
    solutions = loaded.store.query(
        "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class"
    )
    return {s["class"].value: int(s["n"].value) for s in solutions}


def describe_dataset(loaded: LoadedGraph, base: str | None = None) -> list[ox.Triple]:
    """The dataset's VoID description; with ``base`` (the server's URL), also its SPARQL
    endpoint and dumps there."""
    return list(_triples(loaded, base))


def _triples(loaded: LoadedGraph, base: str | None) -> Iterator[ox.Triple]:
    def node(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=node("http://www.w3.org/2001/XMLSchema#integer"))

    for term, kind in _DECLARATIONS.items():
        yield ox.Triple(node(term), RDF_TYPE, node(kind))
    yield ox.Triple(DATASET, RDF_TYPE, node(VOID + "Dataset"))
    yield ox.Triple(
        DATASET,
        node(DCTERMS + "title"),
        ox.Literal("Psychological professions leadership pathways", language="en"),
    )
    yield ox.Triple(
        DATASET,
        node(DCTERMS + "description"),
        ox.Literal(
            "Roles, pay bands, leadership tiers, competencies, training programmes and the "
            "progression routes to board level in the 12 NHS psychological professions, each "
            "fact with its source.",
            language="en",
        ),
    )
    yield ox.Triple(DATASET, node(DCTERMS + "license"), LICENCE)
    yield ox.Triple(DATASET, node(OWL + "versionInfo"), ox.Literal(__version__))
    yield ox.Triple(DATASET, node(VOID + "vocabulary"), ONTOLOGY)
    yield ox.Triple(DATASET, node(VOID + "uriSpace"), ox.Literal(PPID))
    yield ox.Triple(DATASET, node(VOID + "triples"), integer(loaded.triple_count))
    yield ox.Triple(DATASET, node(VOID + "rootResource"), node(PPID + "role-pwp"))
    members = _members(loaded)
    for name in COUNTED:
        partition = ox.BlankNode()
        yield ox.Triple(DATASET, node(VOID + "classPartition"), partition)
        yield ox.Triple(partition, node(VOID + "class"), node(PP + name))
        yield ox.Triple(partition, node(VOID + "entities"), integer(members.get(PP + name, 0)))
    if base is not None:
        root = base.rstrip("/")
        yield ox.Triple(DATASET, node(VOID + "sparqlEndpoint"), node(root + "/sparql"))
        for extension in ("ttl", "nt", "jsonld", "rdf"):
            yield ox.Triple(
                DATASET, node(VOID + "dataDump"), node(f"{root}/download/graph.{extension}")
            )


def graph_version(loaded: LoadedGraph) -> str | None:
    """The ontology's owl:versionInfo as the graph states it: the release of the graph, which
    tests/test_releases.py holds equal to the package version."""
    if "graph_version" not in loaded.cache:
        version_info = ox.NamedNode(OWL + "versionInfo")
        found = loaded.store.quads_for_pattern(ONTOLOGY, version_info, None, None)
        loaded.cache["graph_version"] = next((str(q.object.value) for q in found), None)
    version: str | None = loaded.cache["graph_version"]
    return version
