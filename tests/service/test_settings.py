from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from pathways.service.settings import Settings


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        variable = f"PATHWAYS_{name.upper()}"
        assert f"| `{variable}` |" in readme, f"{variable} is not in the README's settings table"


def test_every_setting_has_help_text():
    for name, field in Settings.model_fields.items():
        assert field.description, name


def test_extend_defaults_to_nothing(monkeypatch):
    monkeypatch.delenv("PATHWAYS_EXTEND", raising=False)
    assert Settings().extend == []


def test_extend_splits_on_the_path_separator(monkeypatch):
    monkeypatch.setenv("PATHWAYS_EXTEND", "a/one.ttl:b/two::")
    assert Settings().extend == [Path("a/one.ttl"), Path("b/two")]
