"""`pathways diff` (careers/diff.py): an extension that opens a role to a profession, and a graph
folder that loses a route, each told as the change a policy team would report."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from pathways.careers.diff import Side, graph_diff
from pathways.graph.loader import load

EXAMPLE = ROOT / "docs" / "examples" / "equity-extension"
VERDICT = {"conforms": True, "violations": 0, "shapes": 1, "violation_queries": 1}


def _diff(base, new, **options):
    return graph_diff(Side(base, "base"), Side(new, "new"), verdict=VERDICT, **options)


def test_an_extension_that_opens_a_role_changes_that_profession_and_its_roadmaps(shipped, data_dir):
    opened = load([data_dir / "equity-open-role"])
    diff = _diff(
        shipped, opened, roles=("role-research-clinician",), profession="forensic psychologist"
    )
    assert diff["triples"]["added"] == 1 and diff["triples"]["removed"] == 0
    assert diff["classes"] == []  # a statement about an existing individual: no new ones
    assert [c["profession"]["label"] for c in diff["professions"]] == ["Forensic psychologist"]
    assert diff["professions"][0]["figures"] == {"roles_open": {"before": 31, "after": 32}}
    [role] = diff["roles"]
    assert role["changed"]
    assert not any("specialist field" in r for r in role["before"]["routes"])
    assert any(
        "Lead for psychological provision in a specialist field" in r
        for r in role["after"]["routes"]
    )


def test_a_new_progression_removes_a_bottleneck_and_adds_routes(shipped):
    diff = _diff(shipped, load([EXAMPLE]))
    [klass] = diff["classes"]
    assert klass["class"] == "pp:Progression"
    assert klass["added"] == ["ppid:progression-pwp-senior-to-team-manager"]
    assert klass["after"] == klass["before"] + 1
    [pwp] = diff["professions"]
    assert pwp["profession"]["label"] == "Psychological wellbeing practitioner"
    assert pwp["figures"] == {"routes": {"before": 20, "after": 30}}
    assert pwp["lost"] == {"bottlenecks": ["PWP lead"]}
    assert pwp["gained"] == {}
    assert pwp["bottlenecks_now"] == ["Clinical services manager"]
    assert diff["steps"] == {
        "added": [
            {
                "id": "progression-pwp-senior-to-team-manager",
                "step": "Senior PWP → Team manager",
                "years": 2.0,
                "basis": "estimate",
            }
        ],
        "removed": [],
    }


def test_a_graph_folder_that_loses_a_route_says_so(shipped, tmp_path):
    """An extension cannot delete: a route closed is a base folder that has it and a graph that
    does not (here the base is ontology/ with the example's progression added)."""
    base = tmp_path / "base"
    shutil.copytree(ROOT / "ontology", base)
    shutil.copy(EXAMPLE / "senior-pwp-to-team-manager.ttl", base / "extra.ttl")
    diff = _diff(load([base], include_ontology=False), shipped, roles=("role-pwp-senior",))
    assert diff["classes"][0]["removed"] == ["ppid:progression-pwp-senior-to-team-manager"]
    [pwp] = diff["professions"]
    assert pwp["figures"] == {"routes": {"before": 30, "after": 20}}
    assert pwp["gained"] == {"bottlenecks": ["PWP lead"]}
    assert [step["step"] for step in diff["steps"]["removed"]] == ["Senior PWP → Team manager"]
    [role] = diff["roles"]
    assert role["changed"]
    assert any(r.startswith("Senior PWP → Team manager") for r in role["before"]["routes"])
    assert all(r.endswith(" years, estimate)") for r in role["before"]["routes"])
    assert not any(r.startswith("Senior PWP → Team manager") for r in role["after"]["routes"])


def test_the_same_graph_changes_nothing(shipped):
    diff = _diff(shipped, load())
    assert diff["triples"]["added"] == diff["triples"]["removed"] == 0
    assert diff["classes"] == [] and diff["professions"] == []


@pytest.mark.parametrize("fmt", ["markdown"])
def test_the_markdown_report_says_what_changed(shipped, fmt):
    from pathways.careers.policy_render import diff_markdown

    text = diff_markdown(_diff(shipped, load([EXAMPLE]), roles=("role-pwp-senior",)))
    assert "| Progression (`pp:Progression`) | 168 | 169 |" in text
    assert "- **Psychological wellbeing practitioner**" in text
    assert "  - routes: 20 → 30" in text
    assert "  - bottlenecks lost: PWP lead" in text
    assert "  - bottlenecks now: Clinical services manager" in text
    assert "## Career steps added\n\n- Senior PWP → Team manager (2 years, estimate)" in text
    assert "- **role-pwp-senior**: changed" in text


def test_a_new_profession_is_told_as_its_whole_row(shipped, tmp_path):
    from pathways.careers.policy_render import profession_change_lines

    folder = tmp_path / "new-profession"
    folder.mkdir()
    (folder / "profession.ttl").write_text(
        """@prefix pp: <https://w3id.org/pp-pathways/def#> .
@prefix ppid: <https://w3id.org/pp-pathways/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
ppid:profession-test a pp:Profession ;
    rdfs:label "Test profession"@en ;
    skos:definition "A profession made up for a test."@en ;
    pp:entryRole ppid:role-pwp-trainee ;
    dcterms:source "test fixture" .
ppid:role-pwp-trainee pp:openTo ppid:profession-test .
""",
        encoding="utf-8",
    )
    diff = _diff(shipped, load([folder]))
    [added] = [c for c in diff["professions"] if c["status"] == "added"]
    assert added["profession"]["label"] == "Test profession"
    assert added["figures"]["roles_open"] == {"before": None, "after": 1}
    lines = profession_change_lines(added)
    assert lines[0] == "profession added"
    assert "roles open: none → 1" in lines
