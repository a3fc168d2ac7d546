"""The SPARQL worker processes: what they load, and what they leave out."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Run as a script, as the `pathways` console script is: its main module has no spec, so a
# spawned child would run it again, importing the whole CLI.
SCRIPT = """
import sys
from pathlib import Path

from pathways.cli import main  # what the console script imports: FastAPI, pydantic, ...
from pathways.sparql_workers import WorkerPool

if __name__ == "__main__":
    dump = Path(sys.argv[1])
    dump.write_text("")
    pool = WorkerPool(dump, 1)
    (worker,) = pool._all
    maps = Path(f"/proc/{worker.process.pid}/maps").read_text()
    print("pydantic_core" in maps, "pyoxigraph" in maps)
    pool.close()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_do_not_import_the_cli(tmp_path):
    """Regression: each worker re-ran the console script and imported the whole CLI (33% of
    `serve` start, +43 MiB per worker). pydantic_core, a compiled module FastAPI loads and a
    worker never needs, shows in a process's memory map if it was imported."""
    script = tmp_path / "serve_like.py"
    script.write_text(SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "graph.nq")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
