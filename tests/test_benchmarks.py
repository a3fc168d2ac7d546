"""The scale benchmark's smallest rows as a smoke test (issue 15): every stage completes at 1 and
10 times the shipped graph, and the larger graph validates. Times are printed by
benchmarks/scale_bench.py, never asserted here (machines are noisy)."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import scale_bench


def test_scale_benchmark_completes_at_1x_and_10x(capsys):
    assert scale_bench.main(["--sizes", "1", "10", "--sample", "20"]) == 0
    table = capsys.readouterr().out
    rows = [line for line in table.splitlines() if line.startswith(("| 1x", "| 10x"))]
    assert len(rows) == 2
    # Every stage has a figure in both rows (none timed out or was skipped).
    assert all("—" not in row for row in rows), rows
    assert "| growth exponent |" in table
