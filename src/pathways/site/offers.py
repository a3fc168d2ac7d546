"""A page per training programme and support offer: who it is for, its bands, length, award,
provider, cost, the steps the paper pairs it with, notes and sources. Role pages link to these
from every mention of a programme or support offer.

The facts come from the offers' own triples (``describe``, as /id serves them), so a fact added
to the Turtle shows here without a query of its own."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from pathways.careers.index import GraphIndex, Offer, short_id
from pathways.graph.describe import describe
from pathways.graph.loader import LoadedGraph
from pathways.graph.resources import PP

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SOURCE = "http://purl.org/dc/terms/source"
MODIFIED = "http://purl.org/dc/terms/modified"
ONTOLOGY = "https://w3id.org/pp-pathways/def"


def offer_path(iri: str) -> str:
    return f"programmes/{short_id(iri)}.html"


def _facts(triples: list[ox.Triple]) -> dict[str, dict[str, list[Any]]]:
    facts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for triple in triples:
        if isinstance(triple.subject, ox.NamedNode):
            facts[triple.subject.value][triple.predicate.value].append(triple.object)
    return facts


def _text(values: list[Any]) -> list[str]:
    return sorted(v.value for v in values if isinstance(v, ox.Literal))


def offer_contexts(loaded: LoadedGraph, index: GraphIndex) -> list[dict[str, Any]]:
    """What each offer's page shows, as text and links (relative to the site's root)."""
    offers = sorted(index.offers.values(), key=lambda o: (o.kind, o.label))
    facts = _facts(describe(loaded.store, [o.iri for o in offers] + [ONTOLOGY]))
    referenced = {
        value.value
        for offer in offers
        for predicate, values in facts[offer.iri].items()
        if predicate != SOURCE
        for value in values
        if isinstance(value, ox.NamedNode)
    }
    labels = {
        iri: _text(values.get(RDFS_LABEL, []))[0]
        for iri, values in _facts(describe(loaded.store, sorted(referenced))).items()
        if values.get(RDFS_LABEL)
    }
    modified = _text(facts[ONTOLOGY].get(MODIFIED, []))
    paired: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for edge in index.edges.values():
        step = index.step_facts.get(edge.progression)
        if step:
            for programme in step.programmes:
                paired[programme].append((edge.source, edge.target))
    return [
        _context(offer, facts[offer.iri], labels, index, paired[offer.iri], modified)
        for offer in offers
    ]


def _context(
    offer: Offer,
    own: dict[str, list[Any]],
    labels: dict[str, str],
    index: GraphIndex,
    paired: list[tuple[str, str]],
    modified: list[str],
) -> dict[str, Any]:
    def named(predicate: str) -> list[str]:
        return sorted(
            labels.get(v.value, short_id(v.value))
            for v in own.get(PP + predicate, [])
            if isinstance(v, ox.NamedNode)
        )

    low, high = named("minBand"), named("maxBand")
    bands = "-".join(dict.fromkeys(low + high)) if low or high else ""
    facts = [
        ("Pitched at", ", ".join(named("suitsTier"))),
        ("Prepares for", ", ".join(named("preparesForTier") + named("preparesForRole"))),
        ("Bands", bands),
        ("Positive action for", ", ".join(named("positiveActionFor"))),
        ("Length", "; ".join(_text(own.get(PP + "durationDescription", [])))),
        ("Award", "; ".join(_text(own.get(PP + "award", [])))),
        ("Provider", ", ".join(named("provider"))),
        (
            "Cost",
            "; ".join(_text(own.get(PP + "costDescription", []))) or "not stated in the sources",
        ),
        ("Develops", ", ".join(sorted(index.competencies.get(c, c) for c in offer.develops))),
        ("Accreditation", ", ".join(named("accreditation"))),
    ]
    steps = sorted(
        (index.roles[s].label, index.roles[t].label, s, t)
        for s, t in paired
        if s in index.roles and t in index.roles
    )
    return {
        "iri": offer.iri,
        "path": offer_path(offer.iri),
        "label": offer.label,
        "kind": "Training programme" if offer.kind == "programme" else "Support offer",
        "definition": " ".join(_text(own.get(SKOS + "definition", []))),
        "facts": [(name, value) for name, value in facts if value],
        "steps": [
            {"from": a, "to": b, "from_id": short_id(s), "to_id": short_id(t)}
            for a, b, s, t in dict.fromkeys(steps)
        ],
        "notes": _text(own.get(SKOS + "note", [])),
        "sources": sorted(
            {
                (v.value, isinstance(v, ox.NamedNode))
                for v in own.get(SOURCE, [])
                if isinstance(v, ox.NamedNode | ox.Literal)
            }
        ),
        # The date this offer's own facts were checked against their sources (required by
        # shapes/programmes.ttl); the graph's last change where an extension gives none.
        "checked": (_text(own.get(PP + "factsCheckedOn", [])) or [""])[0],
        "recorded": modified[0] if modified else "",
    }
