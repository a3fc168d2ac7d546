"""HermiT consistency checking (needs Java) and export of the merged graph.

The reasoner tests skip with a reason where Java is absent, unless PATHWAYS_REQUIRE_JAVA=1 (as in
CI), which turns the absence into a failure.
"""

from __future__ import annotations

import json
import os

import pyoxigraph as ox
import pytest

from conftest import run_cli
from pathways.graph.loader import load
from pathways.graph.reasoning import check_consistency, java_available
from pathways.graph.void import describe_dataset


@pytest.fixture(scope="module", autouse=False)
def java():
    if not java_available():
        if os.environ.get("PATHWAYS_REQUIRE_JAVA") == "1":
            pytest.fail("reasoner tests are required here but Java is not installed")
        pytest.skip("Java is not installed (apt-get install default-jre-headless)")


def test_shipped_graph_is_consistent(java, shipped):
    report = check_consistency(shipped)
    assert report.consistent
    assert report.unsatisfiable_classes == []


@pytest.mark.parametrize(
    ("fixture", "check", "focus", "axiom", "line"),
    [
        (
            "inconsistent-disjoint.ttl",
            "inconsistency-disjoint-classes",
            "programme-both-kinds",
            "https://w3id.org/pp-pathways/def#TrainingProgramme owl:disjointWith",
            10,
        ),
        (
            "inconsistent-two-tiers.ttl",
            "inconsistency-functional-property",
            "role-two-tiers",
            "https://w3id.org/pp-pathways/def#tier a owl:FunctionalProperty",
            9,
        ),
    ],
)
def test_inconsistency_names_the_axioms_file_and_line(
    java, data_dir, fixture, check, focus, axiom, line
):
    report = check_consistency(load([data_dir / fixture]))
    assert not report.consistent
    explanation = next(e for e in report.explanations if e.check == check)
    assert explanation.focus.endswith(focus)
    assert explanation.axioms[0].startswith(axiom)
    assert explanation.file.endswith(fixture) and explanation.line == line


def test_reason_command(java, data_dir):
    assert run_cli("reason").exit_code == 0
    result = run_cli("reason", str(data_dir / "inconsistent-disjoint.ttl"))
    assert result.exit_code == 1
    assert "INCONSISTENT" in result.output and "inconsistent-disjoint.ttl:10" in result.output
    assert "pp:TrainingProgramme owl:disjointWith pp:SupportOffer" in result.output
    data = json.loads(run_cli("reason", "--format", "json").output)
    assert data["consistent"] is True


def test_reason_without_java_says_what_to_install(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    result = run_cli("reason")
    assert result.exit_code == 2
    assert "needs Java" in result.stderr and "default-jre-headless" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "rdf"),
    [
        ("ttl", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("rdfxml", ox.RdfFormat.RDF_XML),
    ],
)
def test_export_formats(shipped, tmp_path, fmt, rdf):
    out = tmp_path / f"graph.{fmt}"
    result = run_cli("export", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0
    # The graph, and its VoID description (graph/void.py).
    expected = shipped.triple_count + len(describe_dataset(shipped))
    assert len(list(ox.parse(out.read_bytes(), format=rdf))) == expected


def test_export_inferred_and_to_standard_output(shipped):
    plain = run_cli("export", "--format", "nt").output
    inferred = run_cli("export", "--format", "nt", "--inferred").output
    assert len(plain.splitlines()) == shipped.triple_count + len(describe_dataset(shipped))
    assert len(inferred.splitlines()) > len(plain.splitlines())
    assert "> <https://w3id.org/pp-pathways/def#progressesTo> <" in inferred
    assert "> <https://w3id.org/pp-pathways/def#progressesTo> <" not in plain


def test_export_refuses_a_failing_extension(data_dir):
    result = run_cli("export", "--extend", str(data_dir / "missing-label.ttl"))
    assert result.exit_code == 1 and "not exported" in result.stderr


def test_the_reasoner_does_not_follow_owl_imports(java, tmp_path):
    """Regression: owlready2 fetched owl:imports targets from the network; an extension that
    imports a (loopback) address must cause no connection."""
    from helpers import Listener

    listener = Listener()
    try:
        extension = tmp_path / "imports.ttl"
        extension.write_text(
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            "<https://w3id.org/pp-pathways/def/imports-test> a owl:Ontology ;\n"
            f"    owl:imports <http://127.0.0.1:{listener.port}/ontology.owl> .\n"
        )
        report = check_consistency(load([extension]))
        assert report.consistent
    finally:
        assert listener.close() == 0
