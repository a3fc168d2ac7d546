"""The inferences added to the served graph: each rule, and that nothing stated is lost."""

from __future__ import annotations

import pytest

from pathways.graph.inference import materialise
from pathways.graph.validation import validate

PP = "https://w3id.org/pp-pathways/def#"
PPID = "https://w3id.org/pp-pathways/id/"


@pytest.fixture(scope="module")
def inferred(shipped):
    return materialise(shipped)


def ask(graph, text: str) -> bool:
    return bool(graph.store.query(text))


def test_the_stated_graph_is_not_changed(shipped, inferred):
    assert inferred.triple_count > shipped.triple_count == len(shipped.store)
    assert all(q in inferred.store for q in shipped.store)


def test_progresses_to_is_derived_from_every_progression(inferred):
    rows = list(inferred.store.query(f"SELECT ?a ?b WHERE {{ ?a <{PP}progressesTo> ?b }}"))
    assert len(rows) == 155
    assert ask(inferred, f"ASK {{ <{PPID}role-pwp> <{PP}progressesTo> <{PPID}role-pwp-senior> }}")


def test_board_level_roles_are_classified(inferred):
    rows = {
        r["r"].value
        for r in inferred.store.query(f"SELECT ?r WHERE {{ ?r a <{PP}BoardLevelRole> }}")
    }
    assert PPID + "role-trust-chief-executive" in rows and len(rows) == 9
    assert PPID + "role-team-manager" not in rows


def test_types_from_subclasses_and_inverse_properties(inferred):
    assert ask(inferred, f"ASK {{ <{PPID}role-pwp> a <http://www.w3.org/ns/org#Role> }}")
    assert ask(inferred, f"ASK {{ <{PPID}hlm-leading-with-care> a <{PP}Competency> }}")
    assert ask(
        inferred,
        f"ASK {{ <{PPID}role-pwp> <{PP}hasProgression> <{PPID}progression-pwp-to-pwp-senior> }}",
    )


def test_inferred_graph_still_validates(inferred):
    assert validate(inferred).conforms


def test_materialise_reaches_a_fixpoint(inferred):
    again = materialise(inferred)
    assert again.triple_count == inferred.triple_count
