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
    assert len(rows) == 168
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


def test_every_concept_is_in_its_class_scheme(shipped):
    """Regression: nine classes were skos:Concept subclasses with no concept scheme. Each has
    one (ontology/schemes.ttl), and every member is in it once inferences are drawn."""
    from pathways.graph.inference import materialise

    served = materialise(shipped)
    query = """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?class (COUNT(DISTINCT ?x) AS ?members) (COUNT(DISTINCT ?in) AS ?schemed) WHERE {
          ?class rdfs:subClassOf skos:Concept .
          FILTER(STRSTARTS(STR(?class), "https://w3id.org/pp-pathways/def#"))
          ?x a ?class .
          OPTIONAL { ?x skos:inScheme ?scheme . ?scheme a skos:ConceptScheme . BIND(?x AS ?in) }
        } GROUP BY ?class
    """
    rows = {r["class"].value.split("#")[1]: (r["members"].value, r["schemed"].value)
            for r in served.store.query(query)}  # fmt: skip
    assert len(rows) == 9
    assert all(members == schemed for members, schemed in rows.values()), rows
    assert rows["LeadershipTier"] == ("6", "6")
