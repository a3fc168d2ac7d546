from __future__ import annotations

import shutil

import pytest

from pathways.graph import queries as named_queries
from pathways.graph.loader import load
from pathways.graph.resources import PP, PPID, queries_dir, shapes_dir
from pathways.graph.validation import ValidationSetupError, suggest, validate

# fixture file -> (check that must fire, focus, property, words in the message, suggestion)
BROKEN = {
    "missing-label.ttl": (
        "shacl",
        "profession-nameless",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "needs exactly one rdfs:label",
        None,
    ),
    "band-range-inverted.ttl": (
        "band-range-inverted-violation",
        "role-upside-down",
        PP + "minBand",
        "minimum 8c (rank 10) is above maximum 7",
        None,
    ),
    "dangling-reference.ttl": (
        "dangling-reference-violation",
        "role-dangling",
        PP + "maxBand",
        "ppid:band-afc-8e, which is not defined anywhere",
        "did you mean ppid:band-afc-8d?",
    ),
    "unknown-class.ttl": (
        "undeclared-class-violation",
        "profession-misspelt",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "pp:Proffesion, a class the ontology does not declare",
        "did you mean pp:Profession?",
    ),
    "unknown-property.ttl": (
        "undeclared-property-violation",
        "role-typo-property",
        PP + "opento",
        "pp:opento, a property the ontology does not declare",
        "did you mean pp:openTo?",
    ),
    "wrong-datatype.ttl": ("shacl", "band-test-wrong-datatype", PP + "rank", "whole number", None),
    # Issue 14: an offer page shows the day its facts were checked; a date as words is refused.
    "checked-on-not-a-date.ttl": (
        "shacl",
        "support-test-undated",
        PP + "factsCheckedOn",
        "at most one xsd:date",
        None,
    ),
    "duplicate-rank.ttl": (
        "duplicate-rank-violation",
        "tier-duplicate",
        PP + "rank",
        "shares rank 3 with ppid:tier-leader-manager",
        None,
    ),
    "programme-tier-gap.ttl": (
        "programme-tier-gap-violation",
        "programme-gappy",
        PP + "suitsTier",
        "but not ppid:tier-senior-psychological-professional",
        None,
    ),
    "progression-downward.ttl": (
        "progression-downward-violation",
        "progression-test-downward",
        PP + "toRole",
        "goes down in tier, from rank 3 to rank 1",
        None,
    ),
    "progression-cycle.ttl": (
        "progression-cycle-violation",
        "role-test-loop-a",
        PP + "progressesTo",
        "lies on a cycle",
        None,
    ),
    "role-without-route.ttl": (
        "role-without-route-to-board-violation",
        "role-test-dead-end",
        PP + "progressesTo",
        "has no route to a board-level role",
        None,
    ),
    "profession-without-route.ttl": (
        "profession-without-route-to-board-violation",
        "profession-test-isolated",
        PP + "entryRole",
        "reaches no board-level role",
        None,
    ),
    "programme-step-fit.ttl": (
        "programme-step-fit-violation",
        "progression-test-wrong-programme",
        PP + "recommendedProgramme",
        "does not fit this step (it is not pitched at the Psychological Professional tier)",
        None,
    ),
    "step-kind-wrong.ttl": (
        "step-kind-violation",
        "progression-test-sideways",
        PP + "stepKind",
        "is stated as step-promotion; from its roles' tiers and bands it is step-lateral: "
        "write pp:stepKind ppid:step-lateral",
        None,
    ),
    "source-not-iri-or-string.ttl": (
        "source-kind-violation",
        "role-test-tagged-source",
        "http://purl.org/dc/terms/source",
        "dcterms:source must be an IRI or a plain string",
        None,
    ),
    "seat-kind-missing.ttl": (
        "seat-kind-missing-violation",
        "role-test-board-seat",
        PP + "seatKind",
        "is a board-level or national role with no pp:seatKind",
        None,
    ),
    "recommendation-untraced.ttl": (
        "recommendation-untraced-violation",
        "recommendation-test-untraced",
        PP + "realisedBy",
        "is traced to nothing",
        None,
    ),
    "progression-profession-mismatch.ttl": (
        "progression-profession-mismatch-violation",
        "progression-test-mismatch",
        PP + "toRole",
        "open to none of the professions",
        None,
    ),
    "outside-namespace.ttl": (
        "outside-namespace-violation",
        "http://example.org/role-new-lead",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "outside the project's namespace; name it ppid:role-new-lead",
        None,
    ),
    "namespace-typo.ttl": (
        "namespace-typo-violation",
        "role-wrong-prefix",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://w3id.org/pp-pathway/def#Role is not in the project's",
        None,
    ),
    "duplicate-label.ttl": (
        "duplicate-label-violation",
        "role-team-manager-again",
        "http://www.w3.org/2000/01/rdf-schema#label",
        'same label as ppid:role-team-manager ("Team manager")',
        None,
    ),
    "band-below-entry.ttl": (
        "band-below-entry-violation",
        "role-pwp-assistant",
        PP + "minBand",
        "starts at band 2, below band 4 where psychological wellbeing practitioners enter",
        None,
    ),
}


def test_shipped_graph_conforms(shipped_report):
    assert shipped_report.conforms, [f.message for f in shipped_report.findings]
    assert shipped_report.violations == 0
    assert shipped_report.shapes >= 20
    assert len(shipped_report.violation_queries) >= 6


@pytest.mark.parametrize("query", named_queries.violation_queries(), ids=lambda q: q.name)
def test_each_violation_query_returns_nothing_on_shipped_data(shipped, query):
    assert named_queries.select(shipped.store, query) == []


def test_every_violation_query_has_a_fixture_that_triggers_it():
    triggered = {check for check, *_ in BROKEN.values()}
    names = {q.name for q in named_queries.violation_queries()}
    assert names <= triggered, f"violation queries with no failing fixture: {names - triggered}"


@pytest.mark.parametrize("fixture", sorted(BROKEN))
def test_broken_fixture_fails_with_the_intended_message(data_dir, fixture):
    check, focus, prop, words, hint = BROKEN[fixture]
    report = validate(load([data_dir / fixture]))
    assert not report.conforms
    focus_iri = focus if "://" in focus else PPID + focus
    matching = [f for f in report.findings if f.check == check and f.focus == focus_iri]
    assert matching, [(f.check, f.focus, f.message) for f in report.findings]
    finding = matching[0]
    assert finding.property == prop
    assert words in finding.message
    assert finding.file is not None and finding.file.endswith(fixture)
    source_lines = (data_dir / fixture).read_text().splitlines()
    assert finding.line is not None
    written = f"<{focus}>" if "://" in focus else f"ppid:{focus}"
    assert source_lines[finding.line - 1].startswith(written)
    assert finding.suggestion == hint
    # Findings are only about the fixture's own nodes or the nodes it collides with.
    assert all(f.focus.startswith(PPID) or f.focus == focus_iri for f in report.findings)


def test_focus_label_is_reported(data_dir):
    report = validate(load([data_dir / "band-range-inverted.ttl"]))
    assert report.findings[0].focus_label == "Upside-down role"


def test_valid_extension_conforms_and_adds_triples(shipped, data_dir):
    loaded = load([data_dir / "valid-extension"])
    report = validate(loaded)
    assert report.conforms
    assert loaded.triple_count > shipped.triple_count


def test_one_failure_reported_once_even_when_two_constraints_break(data_dir):
    report = validate(load([data_dir / "wrong-datatype.ttl"]))
    assert report.violations == 1


def test_zero_shapes_is_an_error(shipped, tmp_path):
    with pytest.raises(ValidationSetupError, match="no SHACL shapes"):
        validate(shipped, shapes_directory=tmp_path)


def test_zero_violation_queries_is_an_error(shipped, tmp_path):
    with pytest.raises(ValidationSetupError, match=r"no \*-violation\.rq"):
        validate(shipped, queries_directory=tmp_path)


def test_shapes_that_do_not_parse_are_an_error(shipped, tmp_path):
    shutil.copytree(shapes_dir(), tmp_path / "shapes")
    (tmp_path / "shapes" / "zz-broken.ttl").write_text("this is not turtle .")
    with pytest.raises(ValidationSetupError, match=r"zz-broken\.ttl"):
        validate(shipped, shapes_directory=tmp_path / "shapes")


def test_a_new_violation_query_is_picked_up_by_name(shipped, tmp_path):
    folder = tmp_path / "queries"
    shutil.copytree(queries_dir(), folder)
    (folder / "every-profession-violation.rq").write_text(
        "# Purpose: flags every profession (a test of discovery by file name).\n"
        "# Parameters: none\n"
        "PREFIX pp: <https://w3id.org/pp-pathways/def#>\n"
        'SELECT ?focus ?message WHERE { ?focus a pp:Profession BIND("flagged" AS ?message) }\n'
    )
    report = validate(shipped, queries_directory=folder)
    assert report.violations == 12
    assert {f.check for f in report.findings} == {"every-profession-violation"}


def test_suggest_only_for_unknown_terms():
    declared = {PP + "openTo", PP + "Profession"}
    individuals = {PPID + "band-afc-8d"}
    assert suggest(PP + "opento", declared, individuals) == "did you mean pp:openTo?"
    assert suggest(PP + "openTo", declared, individuals) is None
    assert suggest(PPID + "band-afc-8e", declared, individuals) == "did you mean ppid:band-afc-8d?"
    assert suggest(PPID + "zzzzzzzz", declared, individuals) is None
    assert suggest("http://example.org/x", declared, individuals) is None


def test_the_rdflib_copy_is_the_graph_as_n_triples_would_give_it(shipped):
    """Issue 15: the copy pyshacl reads is made term by term, not by writing and parsing
    N-Triples; it must be the same graph (typed and language-tagged literals, blank nodes)."""
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from pathways.graph.validation import as_rdflib_graph

    copied = as_rdflib_graph(shipped.store)
    parsed = Graph().parse(
        data=shipped.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
        format="nt",
    )
    assert len(copied) == len(parsed) == len(shipped.store) > 5000
    assert isomorphic(copied, parsed)
    kinds = {type(o).__name__ for o in copied.objects()}
    assert kinds == {"URIRef", "BNode", "Literal"}
    literals = [o for o in copied.objects() if type(o).__name__ == "Literal"]
    assert any(o.language == "en" for o in literals)  # language-tagged
    assert any(o.datatype is not None for o in literals)  # typed (decimals, dates)
    assert any(o.datatype is None and o.language is None for o in literals)  # plain strings
