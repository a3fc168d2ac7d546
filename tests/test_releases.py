"""Releases of the graph: its version is the package's, stated in the ontology header, /health
and every download; the changelog's graph section is what `pathways diff --base` says."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import tarfile
import tomllib
from io import BytesIO

import pytest

from conftest import ROOT, run_cli
from pathways import __version__
from pathways.graph.void import graph_version

CHANGELOG = (ROOT / "CHANGELOG.md").read_text()
ONTOLOGY = "https://w3id.org/pp-pathways/def"


def test_the_graph_package_and_distribution_state_one_version(shipped):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == __version__ == graph_version(shipped)
    core = (ROOT / "ontology" / "core.ttl").read_text()
    assert f"owl:versionIRI <{ONTOLOGY}/{__version__}>" in core


def test_health_and_downloads_say_the_version(client):
    health = client.get("/health").json()
    assert health["version"] == health["graph_version"] == __version__
    for extension in ("ttl", "nt", "jsonld", "rdf"):
        response = client.get(f"/download/graph.{extension}")
        assert response.status_code == 200
        disposition = response.headers["content-disposition"]
        assert f'filename="pp-pathways-{__version__}.{extension}"' in disposition
    assert f'"{__version__}"' in client.get("/download/graph.ttl").text


def test_the_changelog_has_this_release_first():
    releases = re.findall(r"^## \[([^\]]+)\]", CHANGELOG, flags=re.M)
    assert releases[:2] == ["Unreleased", __version__]
    assert re.search(
        rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", CHANGELOG, re.M
    )


GRAPH_SECTION = re.compile(
    r'<!-- graph: ontology/ of commit (?P<commit>[0-9a-f]{7,40}), named "(?P<base>[^"]+)" -->\n'
    r"(?P<body>.*?)<!-- end graph -->",
    flags=re.S,
)


def test_the_changelog_graph_section_is_generated_by_diff_from_the_previous_release(tmp_path):
    found = GRAPH_SECTION.search(CHANGELOG)
    assert found, "CHANGELOG.md has no generated graph section"
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the previous release's ontology/ cannot be read")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", found["commit"], "ontology"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tmp_path, filter="data")
    result = run_cli(
        "diff",
        "--base",
        str(tmp_path / "ontology"),
        "--base-name",
        found["base"],
        "--format",
        "markdown",
    )
    assert result.exit_code == 0, result.output
    body = result.output.split("\n", 2)[2]  # without the report's title
    # Its headings sit two levels down, under the release's "### Graph".
    body = re.sub(r"^## ", "#### ", body, flags=re.M)
    assert found["body"].strip() == body.strip()


def test_a_roadmap_download_says_the_release_it_was_drawn_from(shipped):
    from pathways.careers.index import index_of
    from pathways.site.role_page import role_pages

    index = index_of(shipped)
    pages = role_pages(shipped, index, index.roles["https://w3id.org/pp-pathways/id/role-pwp"])
    [markdown] = [page for page in pages if page.path.endswith(".md")]
    assert markdown.text.endswith(f"From release {__version__} of the pp-pathways graph.\n")
    [table] = [page for page in pages if page.path.endswith(".csv")]
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert rows and {row["graph_release"] for row in rows} == {__version__}
