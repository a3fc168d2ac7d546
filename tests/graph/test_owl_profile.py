"""The ontology is in the OWL 2 DL profile, as the OWL API's own profile checker says.

The exported RDF/XML (what Protégé users open) is checked with OWL2DLProfile from the OWL API
(Debian's libowlapi-java, installed by .ci/run; no download at run time), driven through JPype
in a separate process so that no JVM lives in the test process. Where the OWL API or JPype is
missing the tests skip with the reason, except under PATHWAYS_REQUIRE_JAVA=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, run_cli

JARS = Path("/usr/share/java")
NEEDED = [
    "owlapi-distribution.jar", "guava.jar", "caffeine.jar", "commons-rdf-api.jar",
    "commons-io.jar", "commons-codec.jar", "jsr305.jar", "atinject-jsr330-api.jar",
    "slf4j-api.jar", "slf4j-nop.jar", "hppcrt.jar", "xz.jar", "jackson-core.jar",
    "jackson-databind.jar", "jackson-annotations.jar", "jsonld-java.jar", "httpclient.jar",
    "httpcore.jar", "commons-logging.jar", "rdf4j-model.jar", "rdf4j-model-api.jar",
    "rdf4j-model-vocabulary.jar", "rdf4j-rio-api.jar", "rdf4j-util.jar",
]  # fmt: skip

CHECK = """
import collections, json, sys
import jpype
import jpype.imports
jpype.startJVM(classpath=sys.argv[2].split(":"))
from org.semanticweb.owlapi.apibinding import OWLManager
from org.semanticweb.owlapi.profiles import OWL2DLProfile
from java.io import File
ontology = OWLManager.createOWLOntologyManager().loadOntologyFromOntologyDocument(File(sys.argv[1]))
report = OWL2DLProfile().checkOntology(ontology)
kinds = collections.Counter(str(v.getClass().getSimpleName()) for v in report.getViolations())
print(json.dumps({"in_profile": bool(report.isInProfile()), "violations": dict(kinds)}))
"""


def owl_api_missing() -> str | None:
    try:
        import jpype  # noqa: F401
    except ImportError:
        return "JPype1 is not installed (pip install -e '.[test]')"
    absent = [jar for jar in NEEDED if not (JARS / jar).exists()]
    if absent:
        return f"the OWL API is not installed (apt-get install libowlapi-java): no {absent[0]}"
    return None


@pytest.fixture(scope="module")
def profile_of():
    reason = owl_api_missing()
    if reason:
        if os.environ.get("PATHWAYS_REQUIRE_JAVA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    classpath = ":".join(str(JARS / jar) for jar in NEEDED if (JARS / jar).exists())

    def check(path: Path) -> dict[str, object]:
        result = subprocess.run(
            [sys.executable, "-c", CHECK, str(path), classpath],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    return check


@pytest.mark.parametrize("inferred", [False, True], ids=["asserted", "inferred"])
def test_the_exported_ontology_is_in_owl2_dl(profile_of, tmp_path, inferred):
    """Regression: 2,545 violations (2,500 undeclared annotation properties, 15 undeclared
    classes, 21 from xsd:duration literals, 9 illegal punnings of pp:award)."""
    out = tmp_path / "merged.owl"
    args = ["export", "--format", "rdfxml", "--out", str(out)]
    result = run_cli(*args, *(["--inferred"] if inferred else []))
    assert result.exit_code == 0, result.output
    report = profile_of(out)
    assert report == {"in_profile": True, "violations": {}}


def test_the_profile_check_finds_violations(profile_of, tmp_path):
    """The check cannot pass by reading nothing: the exported ontology with the statements of
    tests/data/outside-owl-dl.ttl added (an xsd:duration literal, an undeclared annotation
    property; validation refuses the first, so they are added to the export here) is reported."""
    from rdflib import Graph

    exported = tmp_path / "merged.owl"
    assert run_cli("export", "--format", "rdfxml", "--out", str(exported)).exit_code == 0
    graph = Graph().parse(exported, format="xml")
    graph.parse(DATA / "outside-owl-dl.ttl", format="turtle")
    outside = tmp_path / "outside.owl"
    graph.serialize(outside, format="xml")
    report = profile_of(outside)
    assert report["in_profile"] is False
    violations = report["violations"]
    assert violations.get("UseOfUndeclaredDatatype", 0) >= 1  # xsd:duration
    assert violations.get("UseOfUndeclaredAnnotationProperty", 0) >= 1  # ex:remark


def test_hermit_reasons_over_the_exported_file_as_it_is(tmp_path):
    """What a Protégé user does: open the exported RDF/XML and run HermiT. It used to fail on
    xsd:duration unless the file was rewritten first; it is now read as it is."""
    import shutil

    if shutil.which("java") is None:
        if os.environ.get("PATHWAYS_REQUIRE_JAVA") == "1":
            pytest.fail("HermiT needs Java, which is not installed")
        pytest.skip("HermiT needs Java, which is not installed")
    import owlready2

    exported = tmp_path / "merged.owl"
    assert run_cli("export", "--format", "rdfxml", "--out", str(exported)).exit_code == 0
    world = owlready2.World()
    world.get_ontology(exported.as_uri()).load()
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    unsatisfiable = [c for c in world.inconsistent_classes() if c.name != "Nothing"]
    assert unsatisfiable == []
    assert len(list(world.classes())) > 30
    # Regression: no individual was declared owl:NamedIndividual, so owlready2 saw none.
    assert len(list(world.individuals())) > 450
