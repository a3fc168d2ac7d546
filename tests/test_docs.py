"""docs/extending.md is executed: its files are written and its commands run exactly as given,
and the extension it builds appears in the roadmap, the API and the pages."""

from __future__ import annotations

import re
import shlex

import pytest
from fastapi.testclient import TestClient

from conftest import ROOT, run_cli
from pathways.graph.loader import load
from pathways.graph.reasoning import java_available
from pathways.service.api import create_app
from pathways.service.settings import Settings

GUIDE = (ROOT / "docs" / "extending.md").read_text(encoding="utf-8")
FILES = re.findall(r"Save this as `([^`]+)`:\n\n```turtle\n(.*?)```", GUIDE, re.S)
COMMANDS = [
    line.strip()
    for block in re.findall(r"```bash\n(.*?)```", GUIDE, re.S)
    for line in block.splitlines()
    if line.strip().startswith("pathways ")
]


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guide")
    for relative, text in FILES:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder


def test_the_guide_has_files_and_commands():
    assert [path for path, _ in FILES] == [
        "extensions/arts/profession.ttl",
        "extensions/arts/roles.ttl",
        "extensions/arts/progressions.ttl",
    ]
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_in_the_guide_runs(walkthrough, monkeypatch, command):
    if command.startswith("pathways reason") and not java_available():
        import os

        if os.environ.get("PATHWAYS_REQUIRE_JAVA") == "1":
            pytest.fail("the guide's reason step needs Java, which is required here")
        pytest.skip("Java is not installed")
    monkeypatch.chdir(walkthrough)
    result = run_cli(*shlex.split(command)[1:])
    assert result.exit_code == 0, result.output + result.stderr
    if command.startswith("pathways validate"):
        assert result.output.startswith("OK: the graph conforms")
    if command.startswith("pathways roadmap"):
        assert "Apprentice arts therapist" in result.output
        assert "Board Level" in result.output or "Executive director" in result.output
    if command.startswith("pathways site"):
        assert (
            walkthrough / "extensions" / "site" / "roles" / "role-arts-therapist-apprentice.html"
        ).is_file()


def test_the_extension_reaches_board_in_the_api(walkthrough):
    extension = walkthrough / "extensions" / "arts"
    app = create_app(Settings(workers=1), load([extension]), extra=[extension])
    with TestClient(app) as client:
        professions = {p["abbreviation"] for p in client.get("/api/professions").json()}
        assert "AT" in professions
        roadmap = client.get("/api/roadmap/role-arts-therapist-apprentice").json()
        last = roadmap["routes"][0]["steps"][-1]["to"]
        assert last["tier"] == "Provider Board Level"
        first = roadmap["routes"][0]["steps"][0]
        assert first["programmes"][0]["id"] == "programme-arts-therapist-apprenticeship"
        # The apprentice's band is not known, and the roadmap says so rather than guessing.
        role = client.get("/api/roles/role-arts-therapist-apprentice").json()
        assert role["bands"] == "not known"
        page = client.get("/site/roles/role-arts-therapist-apprentice.html")
        assert page.status_code == 200 and "Route 1:" in page.text


def test_the_template_validates_as_shipped():
    result = run_cli("validate", "--extend", str(ROOT / "docs" / "extension-template.ttl"))
    assert result.exit_code == 0, result.output


def test_a_failing_extension_changes_nothing_served(shipped, data_dir):
    result = run_cli("serve", "--port", "1", "--extend", str(data_dir / "duplicate-label.ttl"))
    assert result.exit_code == 1
    assert "duplicate-label.ttl:8" in result.stderr and "not served" in result.stderr
