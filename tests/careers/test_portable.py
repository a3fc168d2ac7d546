"""The engine's tables for the pages' own engine (careers/portable.py). That the page's engine,
run on them, answers as this package's does is tests/site/test_personalise.py's parity test."""

from __future__ import annotations

import pytest

from pathways.careers import portable
from pathways.careers.index import index_of, short_id
from pathways.careers.scoring import step_cost


def test_tables_name_each_field_once_and_keep_the_engines_order(shipped):
    index = index_of(shipped)
    tables = portable.tables(index)
    roles = [dict(zip(tables["rolesFields"], row, strict=True)) for row in tables["roles"]]
    assert [r["id"] for r in roles] == [short_id(iri) for iri in index.roles]
    assert len(tables["edges"]) == sum(len(edges) for edges in index.outgoing.values())
    # Levels and importances by competency, in the engine's order (by label), as digits.
    assert tables["competencies"] == sorted(tables["competencies"], key=lambda c: c[1])
    pwp = next(r for r in roles if r["id"] == "role-pwp")
    assert len(pwp["need"]) == len(index.competencies) == 15
    assert set(pwp["need"]) <= set("01234")


def test_a_steps_fixed_cost_is_the_engines(shipped):
    """The fixed part of a step's cost is scoring.step_cost's for a profession on no ladder
    and no preference; the professions for whom the step leaves their ladder are listed."""
    index = index_of(shipped)
    tables = portable.tables(index)
    fields = tables["edgesFields"]
    edges = [dict(zip(fields, row, strict=True)) for row in tables["edges"]]
    ordered = [e for source in sorted(index.outgoing) for e in index.outgoing[source]]
    leaving = 0
    for edge, exported in zip(ordered, edges, strict=True):
        years, weight, penalties, leaves = exported["cost"]
        cost, expected = step_cost(index, edge, "", None)
        assert years * weight + sum(p[1] for p in penalties) == cost
        assert [[p.reason, p.years] for p in expected] == penalties
        leaving += bool(leaves)
    assert leaving > 0


def test_digits_only_where_each_value_is_one(shipped):
    assert portable._digits([1, 2, 0]) == "120"
    assert portable._digits([1.0, 2.0]) == "12"
    assert portable._digits([1.5, 2.0]) == [1.5, 2.0]
    assert portable._digits([12, 1]) == [12, 1]


def test_tables_refuse_a_graph_outside_the_namespace(shipped):
    """The page's engine orders routes by short id, as the Python one does by IRI: that holds
    only for IRIs in one namespace, so a graph with others is refused with their count."""
    index = index_of(shipped)
    other = "https://example.org/role-outside"
    index.roles[other] = index.roles[portable.PPID + "role-pwp"]
    try:
        with pytest.raises(portable.NotPortable, match="1 roles or professions"):
            portable.tables(index)
    finally:
        del index.roles[other]
