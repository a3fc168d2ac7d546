"""The wheel carries ontology/, shapes/ and queries/, and works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("*.whl")
    return built


def test_wheel_contains_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "shapes", "queries"):
        for path in (ROOT / folder).iterdir():
            assert f"pathways/data/{folder}/{path.name}" in names, path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed into its own folder, as `pip install .` would put it."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return target


def run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The installed copy must win over the editable checkout on sys.path.
    program = (
        f"import sys; sys.path.insert(0, {str(target)!r}); "
        "import pathways.graph.resources as r; print(r.data_root(), file=sys.stderr); "
        "from pathways.cli import main; main()"
    )
    env = {k: v for k, v in os.environ.items() if k != "PATHWAYS_EXTEND"}
    return subprocess.run(
        [sys.executable, "-c", program, *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_installed_wheel_validates_from_another_directory(installed, tmp_path):
    result = run_installed(installed, tmp_path, "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == str(installed / "pathways" / "data")
    assert result.stdout.startswith("OK: the graph conforms")


def test_installed_wheel_prints_a_roadmap(installed, tmp_path):
    result = run_installed(
        installed,
        tmp_path,
        "roadmap",
        "psychological wellbeing practitioner",
        "--format",
        "json",
        "-k",
        "1",
    )
    assert result.returncode == 0, result.stderr
    assert '"label": "PWP"' in result.stdout and "programme-edward-jenner" in result.stdout


def test_wheel_contains_the_vendored_docs_viewers(wheel):
    # /docs and /redoc load these from the server itself (docs_ui.py), so the wheel must carry them.
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in [
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "redoc.standalone.js",
        "LICENSE.swagger-ui",
        "LICENSE.redoc",
        "README.md",
    ]:
        assert f"pathways/service/static/docs/{name}" in names, name


def test_wheel_metadata_states_both_licences_and_where_to_look(wheel):
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    assert "pathways/py.typed" in names
    assert "pathways/__main__.py" in names
    (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    metadata = archive.read(metadata_name).decode()
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata
    assert "Project-URL: Homepage, https://w3id.org/pp-pathways/" in metadata
    assert "Classifier: Typing :: Typed" in metadata
    (licence_name,) = [n for n in names if n.endswith("licenses/LICENSE")]
    licence = archive.read(licence_name).decode()
    assert "MIT License" in licence and "CC BY 4.0" in licence


def test_python_dash_m_runs_the_command(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PATHWAYS_EXTEND"}
    env["PYTHONPATH"] = str(installed)
    result = subprocess.run(
        [sys.executable, "-m", "pathways", "stats", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert '"triples"' in result.stdout


def test_sdist_carries_the_docs_and_the_licence(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    (sdist,) = tmp_path.glob("*.tar.gz")
    import tarfile

    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert "LICENSE" in names and "docs/architecture.md" in names
    assert {"docs/extending.md", "docs/extension-template.ttl"} <= names
