"""The roadmap index kept for byte-identical inputs (careers/index_store.py): a one-shot
`pathways roadmap` answers from it exactly as from the graph, and any changed byte, or a
damaged file, builds the index again."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, run_cli
from pathways.careers import index_store
from pathways.careers.index import build_index, index_of
from pathways.careers.roadmap import RoadmapError, RoadmapRequest, build_roadmap
from pathways.graph.loader import LoadedGraph, default_sources, discover


def _files(extra=()):
    return discover(default_sources(list(extra)))


def test_every_roadmap_from_a_recalled_index_is_the_roadmap_from_the_graph(shipped, tmp_path):
    key = index_store.index_key(_files())
    index_store.remember_index(tmp_path, key, build_index(shipped))
    recalled = index_store.recall_index(tmp_path, key)
    assert recalled is not None
    graph = index_store.indexed_graph(_files(), recalled)
    compared = 0
    for role in index_of(shipped).roles.values():
        for profession in sorted(role.professions) or [None]:
            request = RoadmapRequest(start=role.iri, profession=profession, k=3)
            try:
                expected = build_roadmap(shipped, request).as_dict()
            except RoadmapError as error:
                with pytest.raises(RoadmapError, match=error.message[:30]):
                    build_roadmap(graph, request)
                continue
            assert build_roadmap(graph, request).as_dict() == expected, role.label
            compared += 1
    assert compared > 200


def test_a_changed_byte_or_query_changes_the_key(tmp_path):
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    files = discover([folder])
    before = index_store.index_key(files)
    assert index_store.index_key(files) == before
    roles = folder / "roles.ttl"
    roles.write_bytes(roles.read_bytes() + b"\n")
    assert index_store.index_key(files) != before


def test_a_damaged_or_foreign_file_is_ignored(shipped, tmp_path):
    key = index_store.index_key(_files())
    (tmp_path / f"{key}{index_store.SUFFIX}").write_bytes(b"not a pickle")
    assert index_store.recall_index(tmp_path, key) is None
    import pickle

    (tmp_path / f"{key}{index_store.SUFFIX}").write_bytes(pickle.dumps({"an": "index?"}))
    assert index_store.recall_index(tmp_path, key) is None
    assert index_store.recall_index(tmp_path / "nowhere", key) is None


def test_a_recalled_graph_refuses_to_be_queried_rather_than_answer_empty(shipped):
    graph = index_store.indexed_graph(_files(), index_of(shipped))
    with pytest.raises(RuntimeError, match="roadmap index only"):
        graph.store.query("ASK {}")


def test_the_second_pathways_roadmap_does_not_load_the_graph(tmp_path, monkeypatch):
    monkeypatch.setenv("PATHWAYS_VERDICT_CACHE", str(tmp_path / "cache"))
    first = run_cli("roadmap", "role-pwp", "--format", "json")
    assert first.exit_code == 0, first.output
    assert list((tmp_path / "cache").glob(f"*{index_store.SUFFIX}"))

    import pathways.cli.commands as commands

    def no_loading(*_args, **_kwargs):
        raise AssertionError("the graph was loaded although its index was kept")

    monkeypatch.setattr(commands, "load", no_loading)
    second = run_cli("roadmap", "role-pwp", "--format", "json")
    assert second.exit_code == 0, second.output
    assert json.loads(second.output) == json.loads(first.output)


def test_an_unreadable_extension_is_still_reported_as_before(tmp_path, monkeypatch, data_dir):
    monkeypatch.setenv("PATHWAYS_VERDICT_CACHE", str(tmp_path / "cache"))
    for _ in range(2):
        result = run_cli("roadmap", "role-pwp", "--extend", str(data_dir / "syntax-error.ttl"))
        assert result.exit_code == 2
        assert "syntax-error.ttl" in result.output
    missing = run_cli("roadmap", "role-pwp", "--extend", "no/such/folder")
    assert missing.exit_code == 2
    assert not list((tmp_path / "cache").glob(f"*{index_store.SUFFIX}"))


def test_no_cache_folder_means_no_index_kept(monkeypatch):
    monkeypatch.setenv("PATHWAYS_VERDICT_CACHE", "")

    def refuse(*_args, **_kwargs):
        raise AssertionError("an index was kept with the cache turned off")

    monkeypatch.setattr(index_store, "remember_index", refuse)
    monkeypatch.setattr(index_store, "recall_index", refuse)
    assert run_cli("roadmap", "role-pwp", "--format", "json").exit_code == 0


def test_a_server_restart_reads_back_the_index_of_the_graph_it_serves(
    shipped, tmp_path, monkeypatch
):
    """Regression (issue 15): the server built the roadmap index of its graph at every start
    (0.06 s of 0.7 s here, 7 to 10 s at a hundred times the graph). It is kept under a key of
    its own, since the served graph carries the inferences: the same files, another index."""
    from pathways.careers import index as index_module
    from pathways.graph.inference import materialise

    built = index_store.served_index(materialise(shipped), tmp_path)
    kept = list(tmp_path.glob(f"*{index_store.SUFFIX}"))
    assert [p.name for p in kept] == [
        f"{index_store.index_key(shipped.files, inferred=True)}{index_store.SUFFIX}"
    ]
    assert index_store.index_key(shipped.files) != index_store.index_key(
        shipped.files, inferred=True
    )

    def no_building(_loaded):
        raise AssertionError("the index was built again for the same files")

    monkeypatch.setattr(index_module, "build_index", no_building)
    again = materialise(shipped)
    recalled = index_store.served_index(again, tmp_path)
    assert index_of(again) is recalled
    assert recalled.roles.keys() == built.roles.keys()
    for start in ("role-pwp", "role-clinical-psychologist", "role-counsellor"):
        request = RoadmapRequest(start=start, k=3)
        fresh = LoadedGraph(store=shipped.store, files=shipped.files)
        fresh.cache["index"] = built
        assert build_roadmap(again, request).as_dict() == build_roadmap(fresh, request).as_dict()


def test_a_server_without_a_cache_folder_builds_its_index_and_keeps_nothing(shipped, tmp_path):
    from pathways.graph.inference import materialise

    served = materialise(shipped)
    assert index_store.served_index(served, None) is index_of(served)
    assert not list(tmp_path.glob("*"))
