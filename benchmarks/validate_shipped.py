"""Time loading and validating the shipped graph: prints the median of 5 runs of each step.

Run: .venv/bin/python benchmarks/validate_shipped.py [--runs N] [PATH ...]
Extra PATHs (Turtle files or directories) are loaded with ontology/, as the CLI does.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any, cast

import pyshacl

from pathways.careers.stats import class_counts
from pathways.graph.loader import load
from pathways.graph.validation import as_rdflib_graph, load_shapes, validate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per step (default 5)")
    parser.add_argument("paths", nargs="*", type=Path, help="extra Turtle files or directories")
    args = parser.parse_args()

    load_times, validate_times = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        loaded = load(args.paths)
        load_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        report = validate(loaded)
        validate_times.append(time.perf_counter() - started)

    load_median = statistics.median(load_times)
    validate_median = statistics.median(validate_times)
    print(f"files:               {len(loaded.files)}")
    print(f"triples:             {loaded.triple_count}")
    print(f"shapes:              {report.shapes}")
    print(f"violation queries:   {len(report.violation_queries)}")
    print(f"conforms:            {report.conforms} ({report.violations} violations)")
    print(f"load median:         {load_median * 1000:.1f} ms over {args.runs} runs")
    print(f"validate median:     {validate_median * 1000:.1f} ms over {args.runs} runs")
    print(f"validate / load:     {validate_median / load_median:.1f}x")
    # pyshacl's data graph: the rdflib copy the validator uses, against the pyoxigraph Store
    # itself, once each in the same run (the Store path is slow, so it is timed once).
    shapes, _count = load_shapes()
    started = time.perf_counter()
    pyshacl.validate(data_graph=as_rdflib_graph(loaded.store), shacl_graph=shapes, advanced=True)
    rdflib_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pyshacl.validate(data_graph=cast(Any, loaded.store), shacl_graph=shapes, advanced=True)
    store_seconds = time.perf_counter() - started
    print(f"pyshacl on rdflib copy: {rdflib_seconds * 1000:.0f} ms (copy included)")
    print(f"pyshacl on Store:       {store_seconds * 1000:.0f} ms")
    print(f"Store / rdflib copy:    {store_seconds / rdflib_seconds:.1f}x slower")
    print("individuals per class:")
    for count in class_counts(loaded):
        print(f"  {count.curie:<28} {count.count}")


if __name__ == "__main__":
    main()
