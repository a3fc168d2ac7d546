"""The README is executed: its commands and its SPARQL example must work as written."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import ROOT, run_cli
from pathways.graph.reasoning import java_available

README = (ROOT / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def pathways_commands() -> list[tuple[list[str], int]]:
    commands = []
    for block in blocks("bash"):
        for line in block.splitlines():
            if not line.startswith("pathways "):
                continue
            command, _, comment = line.partition("#")
            expected = re.search(r"exits (\d)", comment)
            commands.append((shlex.split(command)[1:], int(expected.group(1)) if expected else 0))
    return commands


def test_readme_has_the_two_commands_and_ci_runs_the_test_command():
    install_run, install_test = blocks("bash")[:2]
    assert "pip install ." in install_run and "pathways serve" in install_run
    test_command = install_test.strip()
    assert "pytest" in test_command
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_command in ci.splitlines()


@pytest.mark.parametrize(("args", "exit_code"), pathways_commands(), ids=lambda v: str(v))
def test_readme_command_runs(monkeypatch, tmp_path, args, exit_code):
    monkeypatch.chdir(ROOT)
    # Files the README writes with --out go to a temporary folder, not into the checkout; so
    # does `pathways site`, which would otherwise rebuild the committed site/ as a side effect
    # (and hide a stale site/ from tests/test_pages.py).
    args = [str(tmp_path / a) if i and args[i - 1] == "--out" else a for i, a in enumerate(args)]
    if args and args[0] == "site" and "--out" not in args:
        args += ["--out", str(tmp_path / "site")]
    if args and args[0] == "reason" and not java_available():
        pytest.skip("Java is not installed")
    result = run_cli(*args)
    assert result.exit_code == exit_code, result.output + result.stderr


def test_readme_lists_some_commands():
    assert len(pathways_commands()) >= 6


@pytest.mark.parametrize("query", blocks("sparql"))
def test_readme_sparql_example_runs(shipped, query):
    rows = list(shipped.store.query(query))
    assert len(rows) == 9
    found = {
        r["programme"].value: (
            r["pitchedAt"].value if r["pitchedAt"] else None,
            r["preparesFor"].value if r["preparesFor"] else None,
            r["bands"].value if r["bands"] else None,
        )
        for r in rows
    }
    assert found["Edward Jenner programme"] == ("1", "3", None)
    assert found["Nye Bevan programme"] == ("3", "5", None)
    assert found["Stepping Up programme"] == (None, None, "5 to 7")
    assert found["Ready Now programme"] == (None, None, "8a to VSM")


def test_readme_sample_output_matches_a_real_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run_cli("validate", "tests/data/unknown-class.ttl")
    sample = re.search(r"```\n(tests/data/unknown-class.ttl:9\n.*?)```", README, flags=re.S)
    assert sample is not None
    assert sample.group(1).strip() in result.output


def test_readme_has_a_sparql_example():
    assert blocks("sparql"), "the README should carry at least one SPARQL example"


def store_commands(host: str) -> list[list[str]]:
    """The README's `pathways push` and `pathways serve --store` lines for the engine it shows at
    ``host`` (they need a running engine, so they are in plain blocks and run by the tests of
    that engine, with the port replaced)."""
    commands = []
    for language, block in re.findall(r"^```(\w*)\n(.*?)^```$", README, flags=re.S | re.M):
        if language:
            continue
        for line in block.splitlines():
            if line.startswith(("pathways push ", "pathways serve --store ")) and host in line:
                commands.append(shlex.split(line)[1:])
    return commands


def test_readme_equity_table_is_the_shipped_graphs():
    table = run_cli("equity", "--format", "markdown").output
    written = [line for line in README.splitlines() if line.startswith("| Adult psychotherapist")]
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert len(rows) == 13
    assert written and written[0] in rows
    for row in rows:
        assert row in README, row


def test_readme_diff_report_is_what_the_command_prints():
    report = run_cli(
        "diff", "--extend", "docs/examples/equity-extension", "--format", "markdown"
    ).output
    indented = "\n".join("    " + line if line else "" for line in report.splitlines())
    assert indented in README
