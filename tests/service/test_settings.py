from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from pathways.service.settings import Settings, SettingsError

FIELDS = dataclasses.fields(Settings)


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert len(FIELDS) >= 16
    for setting in FIELDS:
        variable = f"PATHWAYS_{setting.name.upper()}"
        assert f"| `{variable}` |" in readme, f"{variable} is not in the README's settings table"


def test_every_setting_has_help_text():
    for setting in FIELDS:
        assert setting.metadata["description"], setting.name


def test_extend_defaults_to_nothing(monkeypatch):
    monkeypatch.delenv("PATHWAYS_EXTEND", raising=False)
    assert Settings.from_environment().extend == []


def test_extend_splits_on_the_path_separator(monkeypatch):
    monkeypatch.setenv("PATHWAYS_EXTEND", "a/one.ttl:b/two::")
    assert Settings.from_environment().extend == [Path("a/one.ttl"), Path("b/two")]


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("PATHWAYS_PORT", "abc", "must be a whole number at least 1 and at most 65535"),
        ("PATHWAYS_PORT", "70000", "at most 65535"),
        ("PATHWAYS_WORKERS", "0", "at least 1"),
        ("PATHWAYS_QUERY_TIMEOUT", "0", "more than 0"),
        ("PATHWAYS_QUERY_TIMEOUT", "soon", "must be a number"),
        ("PATHWAYS_MAX_TURTLE_BYTES", "12", "at least 1024"),
    ],
)
def test_a_setting_it_cannot_take_is_refused_by_name_and_every_command_exits_2(
    variable, value, words
):
    """A bad PATHWAYS_* value used to end every command in a pydantic traceback."""
    with pytest.raises(SettingsError, match=words):
        Settings.from_environment({variable: value})
    result = run_cli("validate", env={variable: value})
    assert result.exit_code == 2
    assert f"error: {variable}={value} is not a value it can take" in result.stderr
    assert "settings table" in result.stderr
    assert "Traceback" not in result.output


def test_settings_made_in_code_are_checked_as_the_environment_is():
    assert Settings(workers=3, query_timeout=5).query_timeout == 5.0
    with pytest.raises(SettingsError, match="PATHWAYS_WORKERS"):
        Settings(workers=0)
    with pytest.raises(SettingsError, match="PATHWAYS_PORT"):
        Settings().replace(port=0)
    assert Settings().replace(port=9000).port == 9000


def test_variables_no_setting_reads_are_ignored():
    assert Settings.from_environment({"PATHWAYS_REQUIRE_BROWSER": "1"}) == Settings()
