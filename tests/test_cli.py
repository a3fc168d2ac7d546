from __future__ import annotations

import json

import pytest

from conftest import run_cli
from pathways.cli import main


def test_validate_shipped_graph_exits_0():
    result = run_cli("validate")
    assert result.exit_code == 0
    assert result.output.startswith("OK: the graph conforms")


def test_validate_json_is_one_object_with_the_counts():
    result = run_cli("validate", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["conforms"] is True
    assert report["violations"] == 0
    assert report["shapes"] > 0 and report["triples"] > 1000
    assert "band-range-inverted-violation" in report["violation_queries"]


def test_violation_exits_1_with_file_line_and_node(data_dir):
    result = run_cli("validate", str(data_dir / "band-range-inverted.ttl"))
    assert result.exit_code == 1
    assert "FAILED: 1 violations" in result.output
    assert "band-range-inverted.ttl:9" in result.output
    assert 'ppid:role-upside-down "Upside-down role"' in result.output
    assert "property: pp:minBand" in result.output


def test_violation_as_json(data_dir):
    result = run_cli("validate", "--format", "json", str(data_dir / "unknown-class.ttl"))
    assert result.exit_code == 1
    finding = json.loads(result.output)["findings"][0]
    assert finding["line"] == 9
    assert finding["suggestion"] == "did you mean pp:Profession?"


def test_syntax_error_exits_2_with_file_line_column(data_dir):
    result = run_cli("validate", str(data_dir / "syntax-error.ttl"))
    assert result.exit_code == 2
    assert "syntax-error.ttl:11:" in result.stderr
    assert "what to do:" in result.stderr


def test_syntax_error_as_json(data_dir):
    result = run_cli("validate", "--format", "json", str(data_dir / "syntax-error.ttl"))
    assert result.exit_code == 2
    error = json.loads(result.output)["error"]
    assert error["file"].endswith("syntax-error.ttl") and error["line"] == 11


def test_missing_path_exits_2(tmp_path):
    result = run_cli("validate", str(tmp_path / "missing.ttl"))
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr


def test_extend_setting_is_loaded_by_every_command(data_dir):
    env = {"PATHWAYS_EXTEND": str(data_dir / "band-range-inverted.ttl")}
    assert run_cli("validate", env=env).exit_code == 1
    plain = json.loads(run_cli("stats", "--format", "json").output)
    stats = json.loads(run_cli("stats", "--format", "json", env=env).output)
    assert stats["classes"]["pp:Role"] == plain["classes"]["pp:Role"] + 1


def test_stats_table_and_json():
    table = run_cli("stats")
    assert table.exit_code == 0
    assert "pp:Profession" in table.output
    data = json.loads(run_cli("stats", "--format", "json").output)
    assert data["classes"]["pp:Profession"] == 12
    assert data["classes"]["pp:LeadershipDimension"] == 9
    assert data["triples"] > 1000


@pytest.mark.parametrize("command", [[], *([name] for name in main.commands)])
def test_every_command_has_help(command):
    result = run_cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
