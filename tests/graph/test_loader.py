from __future__ import annotations

from pathlib import Path

import pytest

from pathways.graph.loader import GraphLoadError, discover, load, subject_lines
from pathways.graph.resources import PPID, ontology_dir


def test_loads_every_ontology_file(shipped):
    names = {p.name for p in shipped.files}
    assert {
        "core.ttl",
        "professions.ttl",
        "bands.ttl",
        "tiers.ttl",
        "competencies.ttl",
        "programmes.ttl",
        "organisations.ttl",
    } <= names
    assert len(shipped.files) == len(list(ontology_dir().glob("*.ttl")))
    assert shipped.triple_count == len(shipped.store) > 1000


def test_syntax_error_reports_file_line_and_column(data_dir):
    with pytest.raises(GraphLoadError) as caught:
        load([data_dir / "syntax-error.ttl"])
    error = caught.value
    assert error.file == data_dir / "syntax-error.ttl"
    assert error.line == 11
    assert error.column is not None
    assert "syntax error" in error.message.lower()
    assert "syntax-error.ttl:11:" in error.describe()


def test_a_syntax_error_in_any_file_means_no_graph(tmp_path, data_dir):
    good = tmp_path / "a-good.ttl"
    good.write_text((data_dir / "valid-extension" / "programme.ttl").read_text())
    bad = tmp_path / "b-bad.ttl"
    bad.write_text((data_dir / "syntax-error.ttl").read_text())
    with pytest.raises(GraphLoadError) as caught:
        load([tmp_path])
    assert caught.value.file == bad


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(GraphLoadError, match="no such file"):
        load([tmp_path / "nowhere.ttl"])


def test_zero_files_is_an_error(tmp_path):
    with pytest.raises(GraphLoadError, match="no Turtle files"):
        load([tmp_path], include_ontology=False)


def test_non_turtle_file_is_refused(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(GraphLoadError, match="not a Turtle file"):
        load([other])


def test_directories_are_searched_recursively_and_files_deduplicated(tmp_path, data_dir):
    nested = tmp_path / "one" / "two"
    nested.mkdir(parents=True)
    target = nested / "programme.ttl"
    target.write_text((data_dir / "valid-extension" / "programme.ttl").read_text())
    assert discover([tmp_path, target]) == [target]


def test_locations_name_file_and_line(shipped):
    place = shipped.location_of(PPID + "profession-clinical-psychologist")
    assert place is not None
    assert place.file.name == "professions.ttl"
    text = place.file.read_text().splitlines()
    assert text[place.line - 1].startswith("ppid:profession-clinical-psychologist")


def test_location_prefers_the_file_that_states_the_property(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix ppid: <https://w3id.org/pp-pathways/id/> .\n\n"
        'ppid:profession-pwp skos:note "added by an extension"@en .\n'
    )
    loaded = load([extra])
    iri = PPID + "profession-pwp"
    note = "http://www.w3.org/2004/02/skos/core#note"
    assert loaded.location_of(iri).file.name == "professions.ttl"
    assert loaded.location_of(iri, note).file.name in {"professions.ttl", "extra.ttl"}
    assert loaded.location_of(iri, "http://www.w3.org/2000/01/rdf-schema#label").file.name == (
        "professions.ttl"
    )


def test_subject_lines_reads_prefixed_and_full_iris(tmp_path):
    path = tmp_path / "x.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:a ex:p 1 .\n"
        '<http://example.org/b> ex:p """long\n'
        "ex:notasubject in a long string\n"
        '""" .\n'
        "ex:c ex:p 2 .\n"
    )
    lines = subject_lines(path)
    assert lines == {
        "http://example.org/a": 2,
        "http://example.org/b": 3,
        "http://example.org/c": 6,
    }


def test_regression_same_blank_node_label_in_two_files_merged_nodes(tmp_path):
    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text("@prefix ex: <http://example.org/> .\n_:x ex:p ex:o .\n")
    loaded = load([tmp_path], include_ontology=False)
    assert loaded.triple_count == 2


def test_loading_is_repeatable(shipped):
    again = load()
    assert again.triple_count == shipped.triple_count
    assert isinstance(again.files[0], Path)


def test_the_garbage_collector_is_paused_while_loading_and_resumed_after(data_dir):
    """Issue 15: loading and indexing pause the cyclic collector (it walked every object, again
    and again, as millions were built); it must be running again afterwards, error or not."""
    import gc

    import pytest

    from pathways.careers.index import build_index
    from pathways.graph.loader import GraphLoadError, collector_paused, load

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    build_index(load())
    assert gc.isenabled()
    with pytest.raises(GraphLoadError):
        load([data_dir / "syntax-error.ttl"])
    assert gc.isenabled()
    gc.disable()  # a caller that had it off keeps it off
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
