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


def test_roadmap_table_names_routes_and_programmes():
    result = run_cli("roadmap", "psychological wellbeing practitioner")
    assert result.exit_code == 0, result.output + result.stderr
    assert (
        "From PWP (Psychological wellbeing practitioner), band 5, to Provider Board Level"
        in result.output
    )
    assert "Route 1:" in result.output and "Route 3:" in result.output
    assert "Edward Jenner" in result.output and "programme*" in result.output
    assert "Medical director: requires registration" in result.output


def test_roadmap_json_has_the_documented_shape():
    result = run_cli("roadmap", "role-pwp", "--format", "json", "-k", "2")
    data = json.loads(result.output)
    assert set(data) == {
        "start",
        "profession",
        "target",
        "prefer",
        "registrations",
        "routes",
        "seats",
        "excluded",
        "excluded_more",
        "note",
    }
    # Every seat left out is listed in the shipped graph: nothing is counted instead.
    assert data["excluded_more"] == {"closed": 0, "unreached": 0, "opened_by": []}
    assert data["start"] == {
        "id": "role-pwp",
        "label": "PWP",
        "tier": "Psychological Professional",
        "bands": "5",
        "bands_basis": "source",
        "pre_entry": False,
        "called": None,
    }
    assert len(data["routes"]) == 2
    route = data["routes"][0]
    assert set(route) == {
        "total_years",
        "years_estimated",
        "years_unknown_on",
        "cost",
        "end_penalty",
        "step_count",
        "steps",
    }
    step = route["steps"][0]
    assert set(step) == {
        "from",
        "to",
        "progression",
        "kind",
        "years",
        "years_basis",
        "years_minimum",
        "years_source",
        "profession",
        "retraining",
        "cost",
        "penalties",
        "gaps",
        "strengths",
        "programmes",
        "positive_action",
        "positive_action_note",
        "support",
        "conditions",
    }
    assert set(step["to"]) == {"id", "label", "tier", "bands", "bands_basis"}
    assert set(step["gaps"][0]) >= {"competency", "needed", "held", "size", "priority"}
    assert {"id", "label", "reason", "legal_basis", "opened_by"} == set(data["excluded"][0])
    assert set(data["seats"][0]) == {"id", "label", "tier", "bands", "seat", "route"}


def test_roadmap_markdown():
    result = run_cli("roadmap", "role-pwp", "--format", "markdown", "-k", "1")
    assert result.output.startswith("# From PWP")
    assert "## Route 1:" in result.output
    assert "- Programmes: Edward Jenner programme*" in result.output  # the paper's pairing
    assert "after ≈2 years (estimate)" in result.output  # estimates are marked
    assert "programmes marked * are its own pairing for the step (its Table 2)" in result.output
    assert '"The paper" is the paper on leadership and management' in result.output


def test_roadmap_with_self_assessment_file(tmp_path):
    answers = tmp_path / "me.json"
    answers.write_text(json.dumps({"Leading with care": "exemplary"}))
    result = run_cli(
        "roadmap", "role-pwp", "--self-assessment", str(answers), "--format", "json", "-k", "1"
    )
    gaps = json.loads(result.output)["routes"][0]["steps"][0]["gaps"]
    assert "Leading with care" not in [g["competency"]["label"] for g in gaps]


def test_roadmap_bad_self_assessment_file(tmp_path):
    broken = tmp_path / "me.json"
    broken.write_text("{not json")
    result = run_cli("roadmap", "role-pwp", "--self-assessment", str(broken))
    assert result.exit_code == 2
    assert "me.json" in result.stderr and "JSON object" in result.stderr


def test_roadmap_unknown_role_exits_2_with_suggestions():
    result = run_cli("roadmap", "clinical psycholgist")
    assert result.exit_code == 2
    assert "did you mean 'Clinical psychologist'" in result.stderr
    result = run_cli("roadmap", "clinical psycholgist", "--format", "json")
    assert json.loads(result.output)["error"]["suggestions"][0] == "Clinical psychologist"


def test_roadmap_positive_action_choice_is_checked():
    result = run_cli("roadmap", "role-pwp", "--positive-action", "martians")
    assert result.exit_code == 2
    assert "minority-ethnic" in result.stderr


def test_compare_two_roles():
    result = run_cli("compare", "PWP lead", "team manager", "--format", "json")
    assert result.exit_code == 0
    roles = json.loads(result.output)["roles"]
    assert [r["id"] for r in roles] == ["role-pwp-lead", "role-team-manager"]
    assert roles[1]["requirements"]["People management"] == "Strong"
    assert "Mary Seacole programme" in roles[1]["programmes"]
    table = run_cli("compare", "PWP lead", "team manager")
    assert "People management" in table.output


def test_compare_needs_two_or_three_roles():
    assert run_cli("compare", "team manager").exit_code == 2


def test_query_named_with_a_parameter_as_csv():
    result = run_cli(
        "query", "role-requirements", "--param", "role=ppid:role-team-manager", "--format", "csv"
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("role,competency")
    assert len(lines) == 16


def test_query_json_and_table():
    data = json.loads(run_cli("query", "professions", "--format", "json").output)
    assert len(data["rows"]) == 12 and data["columns"] == ["x", "label"]
    assert "12 rows" in run_cli("query", "professions").output


def test_query_a_file(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text(
        "SELECT ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        'FILTER(?label = "PWP"@en) }'
    )
    data = json.loads(run_cli("query", str(path), "--format", "json").output)
    assert data["rows"] == [{"label": "PWP"}]


def test_query_errors_exit_2(tmp_path):
    assert run_cli("query", "no-such-query").exit_code == 2
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT WHERE {")
    result = run_cli("query", str(bad))
    assert result.exit_code == 2 and "does not parse" in result.stderr
    result = run_cli("query", "role-requirements", "--param", "rol=ppid:role-pwp")
    assert result.exit_code == 2 and "no parameter rol" in result.stderr


def test_query_list():
    result = run_cli("query", "all", "--list")
    assert "roadmap-edges  (?start)" in result.output
    assert "role-requirements  (?role)" in result.output


def test_hostile_query_parameter_is_a_value():
    result = run_cli(
        "query", "role-requirements", "--param", "role=} UNION { ?s ?p ?o } #", "--format", "json"
    )
    assert result.exit_code == 0
    assert json.loads(result.output)["rows"] == []


@pytest.mark.parametrize(
    ("option", "value", "accepted"),
    [
        ("--prefer", "managerial", "clinical, operational, professional"),
        ("--registration", "hcpc", "gdc, gmc, nmc"),
    ],
)
def test_unknown_prefer_or_registration_exits_2_with_the_accepted_values(option, value, accepted):
    result = run_cli("roadmap", "role-pwp", option, value)
    assert result.exit_code == 2
    assert accepted in result.stderr


def test_unreachable_target_is_explained_not_a_crash():
    """Regression: a target no route reaches raised networkx's NodeNotFound (exit 1)."""
    for target, words in [
        ("role-health-psychologist", "is not open to counsellors"),
        ("role-medical-director", "requires registration on the GDC register"),
    ]:
        result = run_cli("roadmap", "role-counsellor", "--to", target, "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["routes"] == [] and words in data["note"]


def test_a_turtle_file_over_the_size_cap_exits_2_before_reading(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text("# padding\n" * 30_000)  # 300,000 bytes; the largest shipped file is 143 KB
    result = run_cli("validate", str(big), env={"PATHWAYS_MAX_TURTLE_BYTES": "200000"})
    assert result.exit_code == 2
    assert "big.ttl" in result.stderr
    assert "300,000 bytes, over the limit of 200,000 bytes" in result.stderr
    assert "PATHWAYS_MAX_TURTLE_BYTES" in result.stderr
    assert run_cli("validate", str(big)).exit_code == 0  # a comment-only file is valid


def test_shared_options_are_defined_once():
    """Regression: --extend and --format were written out in nine commands, with three helps
    and two destinations for --extend. Each is now one definition, used by every command."""
    import inspect

    from pathways.cli import commands, main

    source = inspect.getsource(commands)
    assert source.count('"--extend"') == 1 and source.count('"--format"') == 1
    extends = {}
    for name, command in main.commands.items():
        for param in command.params:
            if "--extend" in getattr(param, "opts", []):
                extends[name] = (param.name, param.help)
            if "--format" in getattr(param, "opts", []):
                assert param.name == "fmt" and param.default == param.type.choices[0], name
    assert set(extends) == set(main.commands)  # every command loads the graph
    assert len(set(extends.values())) == 1


def test_export_carries_its_void_description(tmp_path):
    out = tmp_path / "graph.ttl"
    result = run_cli("export", "--format", "ttl", "--out", str(out))
    assert result.exit_code == 0
    assert "of its VoID description" in result.stderr
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TURTLE)
    datasets = list(
        store.quads_for_pattern(
            None,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://rdfs.org/ns/void#Dataset"),
        )
    )
    assert [q.subject.value for q in datasets] == ["https://w3id.org/pp-pathways/id/dataset"]
    # A file has no endpoint: the exported description names none.
    endpoint = ox.NamedNode("http://rdfs.org/ns/void#sparqlEndpoint")
    assert list(store.quads_for_pattern(None, endpoint, None)) == []


@pytest.mark.parametrize(
    ("fmt", "drawn"),
    [("json", []), ("markdown", []), ("table", ["rich"])],
)
def test_a_one_shot_roadmap_imports_only_what_it_uses(fmt, drawn):
    """Regression (issue 15): `pathways roadmap` spent most of its time importing what it does
    not use: pyshacl and rdflib (validation), networkx (the route graph), rich (tables), httpx
    (pushing). A fresh interpreter answers a roadmap without any of them but what draws it.
    The table, the default, imported networkx and the validator for the types of other
    tables (0.25 s against 0.14 s)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from pathways.cli import main\n"
        f"result = CliRunner().invoke(main, ['roadmap', 'pwp', '--format', '{fmt}'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'Executive director' in result.output, result.output\n"
        "heavy = ['pyshacl', 'rdflib', 'networkx', 'rich', 'httpx', 'pyvis', 'fastapi',\n"
        "         'pathways.graph.validation', 'jinja2']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == ",".join(drawn)


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "csv"])
def test_equity_in_every_format_has_a_row_per_profession(fmt):
    result = run_cli("equity", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "json":
        report = json.loads(out)
        assert len(report["professions"]) == 12
        assert report["single_role_dependence"][-1] == "Psychological wellbeing practitioner"
    elif fmt == "csv":
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 12
        pwp = next(r for r in rows if r["profession"] == "Psychological wellbeing practitioner")
        # Figures a spreadsheet can sort, each caveat in a column of its own.
        assert pwp["entry_role"] == "Trainee PWP"
        assert pwp["routes"] == "20" and pwp["routes_more"] == "no"
        assert float(pwp["fastest_years"]) == 15 and pwp["fastest_basis"] == "estimate"
        assert pwp["fastest_seat"] == "Board clinical strategy lead (non-voting)"
        assert pwp["positive_action_covered"] == "32" and pwp["positive_action_steps"] == "36"
        assert pwp["positive_action_band_unknown"] == "3"
    elif fmt == "markdown":
        assert out.count("\n| ") == 13  # the header and 12 rows
        assert "## Structural barriers" in out
        assert "`routes`: Distinct routes to board (recommendation 4)." in out
    else:
        assert "Routes to board level, by profession" in out
        assert "passes through the same leadership role" in out


def test_diff_of_an_extension_reports_the_changed_routes():
    result = run_cli(
        "diff",
        "--extend",
        "docs/examples/equity-extension",
        "--role",
        "role-pwp-senior",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    diff = json.loads(result.output)
    assert diff["validation"]["conforms"] is True
    assert diff["new"] == "ontology/ + docs/examples/equity-extension"
    assert diff["professions"][0]["figures"]["routes"] == {"before": 20, "after": 30}
    assert diff["roles"][0]["changed"] is True


def test_diff_of_an_extension_that_fails_validation_exits_1_with_the_report(data_dir):
    result = run_cli("diff", "--extend", str(data_dir / "seat-kind-missing.ttl"))
    assert result.exit_code == 1
    assert "fails validation; nothing is compared" in result.stderr
    assert "FAILED: 1 violations" in result.stdout
    assert "seat-kind-missing.ttl:8" in result.stdout
    as_json = run_cli(
        "diff", "--extend", str(data_dir / "seat-kind-missing.ttl"), "--format", "json"
    )
    assert as_json.exit_code == 1
    assert json.loads(as_json.output)["validation"]["violations"] == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "nothing to compare"),
        (("--base", "no/such/folder"), "is not a folder"),
        (("--extend", "no/such/extension"), "no/such/extension"),
    ],
)
def test_diff_without_two_readable_graphs_exits_2_saying_what_to_do(args, words):
    result = run_cli("diff", *args)
    assert result.exit_code == 2
    assert words in result.output


def test_diff_base_folder_names_it_as_asked(tmp_path):
    import shutil

    from conftest import ROOT

    base = tmp_path / "previous"
    shutil.copytree(ROOT / "ontology", base)
    result = run_cli(
        "diff", "--base", str(base), "--base-name", "release 0.1.0", "--format", "markdown"
    )
    assert result.exit_code == 0, result.output
    assert "- Compared ontology/ with release 0.1.0." in result.output
    assert "Routes: no profession's equity row changes." in result.output
