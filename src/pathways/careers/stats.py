"""Counts per class of the loaded graph, from the named query ``class-counts``."""

from __future__ import annotations

from dataclasses import dataclass

from pathways.graph import queries as named_queries
from pathways.graph.loader import LoadedGraph
from pathways.graph.validation import compact


@dataclass(frozen=True)
class ClassCount:
    iri: str
    curie: str
    label: str
    count: int


def class_counts(loaded: LoadedGraph) -> list[ClassCount]:
    rows = named_queries.select(loaded.store, named_queries.get("class-counts"))
    counts = [
        ClassCount(
            iri=row["class"].value,
            curie=compact(row["class"].value) or row["class"].value,
            label=str(row["label"].value),
            count=int(row["count"].value),
        )
        for row in rows
    ]
    return sorted(counts, key=lambda c: c.curie)
