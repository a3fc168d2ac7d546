"""Remembered validation verdicts (issue 15): byte-identical inputs are not validated twice,
and any changed byte, or a failing graph, is validated afresh."""

from __future__ import annotations

import shutil

from conftest import DATA, run_cli
from pathways.graph import verdicts
from pathways.graph.loader import load


def _count_validations(monkeypatch) -> list[int]:
    from pathways.graph import validation

    calls: list[int] = []
    real = validation.validate

    def counting(loaded, **options):
        calls.append(1)
        return real(loaded, **options)

    monkeypatch.setattr(validation, "validate", counting)
    return calls


def test_the_same_bytes_are_validated_once(tmp_path, monkeypatch):
    calls = _count_validations(monkeypatch)
    folder = tmp_path / "verdicts"
    first = verdicts.validated(load(), folder)
    second = verdicts.validated(load(), folder)
    assert first.conforms and second.conforms
    assert len(calls) == 1
    assert not first.remembered and second.remembered
    assert second.triples == first.triples and second.files == first.files
    assert second.findings == first.findings  # the warnings are remembered with the verdict
    # fresh: validated again, whatever is remembered
    assert not verdicts.validated(load(), folder, fresh=True).remembered
    assert len(calls) == 2


def test_a_changed_byte_is_validated_again(tmp_path, monkeypatch):
    calls = _count_validations(monkeypatch)
    folder = tmp_path / "verdicts"
    extension = tmp_path / "ext.ttl"
    shutil.copy(DATA / "valid-extension" / "programme.ttl", extension)
    assert verdicts.validated(load([extension]), folder).conforms
    text = extension.read_text(encoding="utf-8")
    extension.write_text(text + "\n# a comment\n", encoding="utf-8")
    assert not verdicts.validated(load([extension]), folder).remembered
    assert len(calls) == 2


def test_a_failing_graph_is_never_remembered(tmp_path, monkeypatch):
    calls = _count_validations(monkeypatch)
    folder = tmp_path / "verdicts"
    for _ in range(2):
        report = verdicts.validated(load([DATA / "seat-kind-missing.ttl"]), folder)
        assert not report.conforms and not report.remembered
    assert len(calls) == 2
    assert not list(folder.glob("*.json"))


def test_a_damaged_or_foreign_verdict_is_ignored(tmp_path):
    folder = tmp_path / "verdicts"
    loaded = load()
    key = verdicts.fingerprint(loaded)
    folder.mkdir()
    (folder / f"{key}.json").write_text("{not json", encoding="utf-8")
    assert not verdicts.validated(loaded, folder).remembered  # validated, and rewritten
    assert verdicts.validated(loaded, folder).remembered
    # A verdict copied under another key is not taken for it.
    other = folder / ("0" * 64 + ".json")
    shutil.copy(folder / f"{key}.json", other)
    assert verdicts.recall(folder, "0" * 64) is None


def test_site_recalls_the_verdict_validate_does_not(tmp_path, monkeypatch):
    calls = _count_validations(monkeypatch)
    env = {"PATHWAYS_VERDICT_CACHE": str(tmp_path / "verdicts")}
    assert run_cli("validate", env=env).exit_code == 0
    assert list((tmp_path / "verdicts").glob("*.json"))
    again = run_cli("validate", "--format", "json", env=env)
    assert '"remembered": false' in again.output  # validate always validates
    assert len(calls) == 2
    assert run_cli("site", "--out", str(tmp_path / "site"), env=env).exit_code == 0
    assert len(calls) == 2  # the site's graph is the one validate judged, byte for byte


def test_off_when_the_setting_is_empty(tmp_path):
    env = {"PATHWAYS_VERDICT_CACHE": ""}
    assert run_cli("validate", env=env).exit_code == 0
    from pathways.service.settings import Settings

    assert Settings(verdict_cache="").verdict_folder is None


def test_validation_meanwhile_gives_the_report_the_error_or_the_remembered_verdict(tmp_path):
    """serve validates in a forked process while it builds the app: the report (or the error
    that stopped validation) comes back to the parent, and a conforming one is remembered."""
    import pyoxigraph as ox
    import pytest

    from pathways.graph.loader import LoadedGraph
    from pathways.graph.validation import ValidationSetupError

    folder = tmp_path / "verdicts"
    wait, validating = verdicts.validated_meanwhile(load(), folder)
    assert validating
    report = wait()
    assert report.conforms and not report.remembered and report.triples > 5000
    wait, validating = verdicts.validated_meanwhile(load(), folder)
    assert not validating and wait().remembered

    failing, validating = verdicts.validated_meanwhile(load([DATA / "missing-label.ttl"]), folder)
    assert validating
    assert not failing().conforms

    nothing = LoadedGraph(store=ox.Store(), files=[])
    stopped, _ = verdicts.validated_meanwhile(nothing, None)
    with pytest.raises(ValidationSetupError, match="no Turtle files"):
        stopped()
