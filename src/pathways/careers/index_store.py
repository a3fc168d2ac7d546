"""The roadmap index kept on disk for byte-identical inputs.

A one-shot `pathways roadmap` spent most of its time parsing the Turtle and building the index
(0.12 s of 0.20 s on the shipped graph; 11 s at a hundred times its size) to answer one request
from a few milliseconds of work. The index depends on nothing but the Turtle files, the named
queries that read them and the code that builds it, so it is kept under the SHA-256 of exactly
those (and the versions of this package and of Python, whose pickles it is), in the folder of
the ``verdict_cache`` setting, beside the remembered verdicts. Change any byte of any of them
and the key changes. A file that cannot be read, or is not an index, is ignored: the index is
built again. The folder is the user's own cache (files readable by the user only); what is in
it is trusted as the user's own files are.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

from pathways import __version__
from pathways.careers import index as index_module
from pathways.careers.index import GraphIndex, index_of
from pathways.graph.loader import LoadedGraph
from pathways.graph.resources import queries_dir
from pathways.graph.verdicts import keep

SUFFIX = ".index.pickle"


def index_key(files: Sequence[Path], *, inferred: bool = False) -> str:
    """The SHA-256 of everything the index of ``files`` is built from; ``inferred``: of the
    graph the server serves, the files with the inferences graph/inference.py adds."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("pathways", __version__.encode())
    add("python", sys.version.encode())
    add("index.py", Path(index_module.__file__).read_bytes())
    for path in files:
        add(f"file {path}", path.read_bytes())
    for path in sorted(queries_dir().glob("*.rq")):
        add(f"query {path.name}", path.read_bytes())
    if inferred:
        from pathways.graph import inference

        add("inference.py", Path(inference.__file__).read_bytes())
    return digest.hexdigest()


def recall_index(folder: Path, key: str) -> GraphIndex | None:
    try:
        with (folder / f"{key}{SUFFIX}").open("rb") as kept:
            index = pickle.load(kept)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    except (TypeError, ValueError, IndexError, KeyError):  # a damaged or foreign file
        return None
    return index if isinstance(index, GraphIndex) else None


def remember_index(folder: Path, key: str, index: GraphIndex) -> None:
    """Keep ``index`` (as built: before any roadmap fills its memo) under ``key``."""
    keep(
        folder,
        f"{key}{SUFFIX}",
        pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL),
        "*" + SUFFIX,
    )


class _IndexOnly:
    """The store of a graph recalled as its index only. The roadmap engine reads nothing but the
    index; anything that asks this store instead fails loudly, never silently empty."""

    def _refuse(self, *_args: object, **_kwargs: object) -> None:
        raise RuntimeError(
            "this graph was recalled as its roadmap index only: load the graph to query it"
        )

    query = quads_for_pattern = dump = _refuse

    def __len__(self) -> int:
        self._refuse()
        return 0


def indexed_graph(files: Sequence[Path], index: GraphIndex) -> LoadedGraph:
    """A graph that answers roadmaps from a recalled ``index`` without its store."""
    loaded = LoadedGraph(store=_IndexOnly(), files=list(files))
    loaded.cache["index"] = index
    return loaded


def served_index(served: LoadedGraph, folder: Path | None) -> GraphIndex:
    """The roadmap index of the graph a server serves (its files and their inferences): the
    one kept for the same bytes, else built and kept. The server built it at every start,
    0.06 s of 0.7 s on the shipped graph and 7 to 10 s at a hundred times its size; a restart
    on the same files now reads it back. Without a folder (PATHWAYS_VERDICT_CACHE empty) it is
    built, and nothing is kept."""
    if "index" in served.cache:
        index: GraphIndex = served.cache["index"]
        return index
    key = None
    if folder is not None and served.files:
        try:
            key = index_key(served.files, inferred=True)
        except OSError:  # a file gone since it was loaded: build from what was loaded
            key = None
    recalled = recall_index(folder, key) if folder is not None and key else None
    if recalled is not None:
        served.cache["index"] = recalled
        return recalled
    index = index_of(served)
    if folder is not None and key:
        remember_index(folder, key, index)
    return index
