"""How each stage's cost grows with the graph (issue 15): load, validate, index, site, serve start,
roadmap latency and peak memory at 1x, 10x and 100x the shipped graph (1,000x where memory allows),
with the floor (parsing the same Turtle into a store and one query) beside them and each stage's
fitted growth exponent.

The larger graphs add renamed copies of every role and progression (as if N more trusts had the
same ladders), written as an extension file in a temporary folder, their labels made unique so
that they validate; the reference data (bands, tiers, competencies, programmes) is shared, so the
triples grow a little less than the factor. Exponents are fitted against the triple count: 1.0 is
linear. Each size runs in a child process, so that its peak memory is its own.

Columns: floor (a Python process that parses the same Turtle and answers one query: what the
commands' start-up is compared with), load, validate, index, equity (every profession's equity
row, `pathways equity`'s work after the index), roadmap p50/p95 (in process),
roadmap_cli (`pathways roadmap role-pwp --format json`, a process; _warm: again, with the roadmap
index kept by the first; _table: again, drawn as the terminal's tables, the default), site
(`pathways site`'s write_site), serve_cold (`pathways serve` to its first /health, validating)
and serve (the same after `validate` judged these bytes: the verdict is recalled,
graph/verdicts.py).

Beside the floor, at the first size: the start of the frameworks the commands are built on
(`pathways --version`, and importing FastAPI and uvicorn). Commands run as an installed package
runs, their compiled modules kept (PYTHONDONTWRITEBYTECODE is cleared for them).

Run: .venv/bin/python benchmarks/scale_bench.py [--sizes 1 10 100] [--skip serve site]
Machines are noisy: compare the figures of one run with each other, not across runs.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import math
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from roadmap_bench import COPIED, ENTRY_ROLE, percentile  # noqa: E402

ENTRY_ROLE_ID = "role-pwp"  # the role `pathways roadmap` is timed from

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PR_SET_PDEATHSIG = 1  # prctl(2)
STAGES = [
    "floor",
    "load",
    "validate",
    "index",
    "equity",
    "roadmap_p50",
    "roadmap_p95",
    "roadmap_cli",
    "roadmap_cli_warm",
    "roadmap_cli_table",
    "site",
    "serve_cold",
    "serve",
]
PATHWAYS = str(Path(sys.executable).parent / "pathways")
# The start-ups of the frameworks the commands are built on, timed once (at the first size).
REFERENCES = {
    "cli_start": [PATHWAYS, "--version"],
    "framework_import": [sys.executable, "-c", "import fastapi, uvicorn"],
}
# The floor, as the issue measures it: a Python process that parses the same Turtle into a
# store and answers one query; the commands' start-up is compared with it.
FLOOR = """
import sys, pyoxigraph as ox
store = ox.Store()
for path in sys.argv[1:]:
    store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
print(len(list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))))
"""


def _renamed(term: ox.NamedNode | ox.BlankNode | ox.Literal, copy: int):
    if isinstance(term, ox.NamedNode):
        for prefix in COPIED:
            if term.value.startswith(prefix):
                return ox.NamedNode(f"{prefix}c{copy}-{term.value[len(prefix) :]}")
    return term


COPIES_PER_FILE = 20  # about 17 MB of N-Triples, well under the loader's limit per file


def write_copies(factor: int, folder: Path) -> Path:
    """The extension that makes the shipped graph ``factor`` times larger: ``factor - 1``
    renamed copies of every role and progression, each label marked with its copy, in a
    folder of files of at most COPIES_PER_FILE copies."""
    from pathways.graph.loader import load

    base = load()
    copied = [
        q
        for q in base.store
        if q.predicate.value != ENTRY_ROLE
        and any(
            isinstance(t, ox.NamedNode) and t.value.startswith(COPIED)
            for t in (q.subject, q.object)
        )
    ]
    path = folder / "copies"
    path.mkdir()
    for copy in range(1, factor):
        with (path / f"copies-{(copy - 1) // COPIES_PER_FILE:03d}.ttl").open("ab") as out:
            triples = []
            for q in copied:
                obj = q.object
                if q.predicate.value == LABEL and isinstance(obj, ox.Literal):
                    obj = ox.Literal(f"{obj.value} (copy {copy})", language=obj.language)
                triples.append(
                    ox.Triple(_renamed(q.subject, copy), q.predicate, _renamed(obj, copy))
                )
            ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
    return path


def _timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


START_RUNS = 5  # start-ups of a tenth of a second vary by half between runs on a busy machine


def _start_up(command: list[str], env: dict[str, str] | None = None) -> float:
    """The median of START_RUNS runs of a short command: one run said 0.04 s or 0.06 s for
    the same floor, and the ratios to it are what the figures are read by."""
    runs = sorted(
        _timed(
            lambda: subprocess.run(
                command, check=True, stdout=subprocess.DEVNULL, env=env or _child_environment()
            )
        )[0]
        for _ in range(START_RUNS)
    )
    return runs[len(runs) // 2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """In the serve process, on Linux: die when the benchmark's process does, even when it is
    killed outright (at 100x the kernel's out-of-memory killer stopped a size's process and left
    its `pathways serve`, 19 GB resident, running)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the finally clause below still stops it on a normal exit


def _child_environment(**settings: str) -> dict[str, str]:
    """The environment of a timed command: this one's, except that Python keeps its compiled
    modules, as it does for an installed package. With PYTHONDONTWRITEBYTECODE set (some
    sandboxes set it) every command compiled this package's source again, 0.03 s of each."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**environment, **settings}


def _compiled() -> None:
    """Compile this package once, before anything is timed, as installing it does."""
    import compileall

    import pathways

    compileall.compile_dir(Path(pathways.__file__).parent, quiet=1)


def _environment(verdicts: Path | None) -> dict[str, str]:
    # No folder: remembering verdicts is off, and the server validates (a cold start).
    return _child_environment(PATHWAYS_VERDICT_CACHE=str(verdicts) if verdicts else "")


def serve_start(extension: Path | None, limit: float, verdicts: Path | None = None) -> float | None:
    """Seconds from starting `pathways serve` to its first answer on /health; None past limit.
    With ``verdicts``, the folder of remembered verdicts the server may recall."""
    port = _free_port()
    # The installed command, as a user starts it.
    command = [PATHWAYS, "serve", "--port", str(port)]
    if extension:
        command += ["--extend", str(extension)]
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_environment(verdicts),
        preexec_fn=_die_with_parent,  # safe here: the benchmark process runs one thread
    )
    try:
        while time.perf_counter() - start < limit:
            if process.poll() is not None:
                return None
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.01)  # a start of 0.5 s is measured to the hundredth
        return None
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def one_size(factor: int, skip: set[str], sample: int, serve_limit: float) -> dict[str, object]:
    """Every stage at one size, in this process."""
    from pathways.careers.equity import equity_of
    from pathways.careers.index import build_index, short_id
    from pathways.careers.roadmap import RoadmapError, RoadmapRequest, build_roadmap
    from pathways.graph.loader import default_sources, discover, load
    from pathways.graph.validation import validate
    from pathways.graph.verdicts import fingerprint, remember
    from pathways.site.pages import write_site

    row: dict[str, object] = {"factor": factor}
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as scratch:
        folder = Path(scratch)
        extension = write_copies(factor, folder) if factor > 1 else None
        extra = [extension] if extension else []

        paths = [str(p) for p in discover(default_sources(extra))]
        row["floor"] = _start_up([sys.executable, "-c", FLOOR, *paths])
        if factor == 1:
            # What the frameworks cost before any of this project's work: the command line's
            # own start (`pathways --version`: click and the command table) and the server's
            # (importing FastAPI and uvicorn). Beside the floor, they say how near it a
            # command built on them can come.
            for stage, command in REFERENCES.items():
                row[stage] = _start_up(command)
        row["load"], loaded = _timed(lambda: load(extra))
        row["triples"] = loaded.triple_count
        verdicts = folder / "verdicts"
        if "validate" not in skip:
            row["validate"], report = _timed(lambda: validate(loaded))
            row["conforms"] = report.conforms
            # As `pathways validate` does: the server started after it recalls the verdict.
            remember(verdicts, fingerprint(loaded), report)
        command = [PATHWAYS, "roadmap", "--format", "json"]
        command += [ENTRY_ROLE_ID, *(["--extend", str(extension)] if extension else [])]
        # Twice: the first builds the roadmap index and keeps it (careers/index_store.py), the
        # second recalls it, as a user's second roadmap over the same files does.
        kept = _child_environment(PATHWAYS_VERDICT_CACHE=str(folder / "kept"))
        row["roadmap_cli"], _ = _timed(
            lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=kept)
        )
        row["roadmap_cli_warm"] = _start_up(command, kept)
        # The same as a person runs it, drawn as the terminal's tables (the default format).
        table = [c for c in command if c not in ("--format", "json")]
        row["roadmap_cli_table"] = _start_up(table, kept)
        row["index"], index = _timed(lambda: build_index(loaded))
        loaded.cache["index"] = index
        # Before any roadmap, so that no step is remembered from one.
        row["equity"], _ = _timed(lambda: equity_of(loaded))
        starts = [
            (role.iri, profession)
            for role in index.roles.values()
            for profession in sorted(role.professions)
        ]
        random.Random(15).shuffle(starts)
        times = []
        for start, profession in starts[:sample]:
            began = time.perf_counter()
            try:
                build_roadmap(loaded, RoadmapRequest(start=start, profession=short_id(profession)))
            except RoadmapError:
                continue
            times.append(time.perf_counter() - began)
        row["roadmap_p50"] = percentile(times, 0.5)
        row["roadmap_p95"] = percentile(times, 0.95)
        row["roles"] = len(index.roles)
        if "site" not in skip:
            row["site"], files = _timed(lambda: write_site(loaded, folder / "site"))
            row["pages"] = len(files)
        if "serve" not in skip:
            row["serve_cold"] = serve_start(extension, serve_limit)
            # At the first size, the median of three: its ratio to the floor is read.
            runs = 3 if factor == 1 else 1
            starts = [serve_start(extension, serve_limit, verdicts) for _ in range(runs)]
            timed = sorted(t for t in starts if t is not None)
            row["serve"] = timed[len(timed) // 2] if len(timed) == runs else None
    row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def exponent(rows: list[dict[str, object]], stage: str) -> float | None:
    """The fitted growth exponent of a stage against the triple count (least squares, log-log)."""
    points = [
        (math.log(float(r["triples"])), math.log(float(r[stage])))  # type: ignore[arg-type]
        for r in rows
        if isinstance(r.get(stage), float) and float(r[stage]) > 0  # type: ignore[arg-type]
    ]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if not spread:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def _cell(value: object, stage: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value * 1000:.1f} ms" if stage.startswith("roadmap") else f"{value:.2f} s"
    return str(value)


def report(rows: list[dict[str, object]]) -> str:
    header = ["size", "triples", "roles", *STAGES, "peak RSS"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        cells = [f"{r['factor']}x", str(r["triples"]), str(r.get("roles", ""))]
        cells += [_cell(r.get(stage), stage) for stage in STAGES]
        cells.append(f"{float(r['peak_rss_mb']):.0f} MB")  # type: ignore[arg-type]
        lines.append("| " + " | ".join(cells) + " |")
    fitted = [exponent(rows, stage) for stage in STAGES]
    lines.append(
        "| growth exponent | | | "
        + " | ".join("—" if e is None else f"{e:.2f}" for e in fitted)
        + " | |"
    )
    base = rows[0]
    ratios = []
    floor = base.get("floor")
    for stage in ("serve", "serve_cold", "roadmap_cli", "roadmap_cli_warm", "roadmap_cli_table"):
        mine = base.get(stage)
        if isinstance(mine, float) and isinstance(floor, float):
            ratios.append(f"{stage} at {base['factor']}x is {mine / floor:.1f} times the floor")
    if isinstance(floor, float):
        ratios.append(f"floor at {base['factor']}x: {floor:.3f} s")
    for stage, label in (
        ("cli_start", "`pathways --version` (click and the command table)"),
        ("framework_import", "importing FastAPI and uvicorn"),
    ):
        mine = base.get(stage)
        if isinstance(mine, float) and isinstance(floor, float):
            ratios.append(f"{label}: {mine:.3f} s, {mine / floor:.1f} times the floor")
    for r in rows[1:]:
        # Pages are what the site's cost should follow (issue 15): roles grow with the factor,
        # triples less (the reference data is shared).
        if isinstance(r.get("site"), float) and isinstance(base.get("site"), float):
            per_page = [float(x["site"]) / int(x["pages"]) * 1000 for x in (base, r)]  # type: ignore[arg-type]
            ratios.append(
                f"site at {r['factor']}x: {per_page[1]:.1f} ms a page, against "
                f"{per_page[0]:.1f} ms at {base['factor']}x ({r['pages']} pages)"
            )
    for r in rows[1:]:
        grown = float(r["triples"]) / float(base["triples"])  # type: ignore[arg-type]
        for stage in ("validate", "site", "serve_cold", "serve"):
            mine, first = r.get(stage), base.get(stage)
            if isinstance(mine, float) and isinstance(first, float):
                ratios.append(
                    f"{stage} at {r['factor']}x is {mine / first:.1f} times 1x "
                    f"(triples {grown:.1f} times)"
                )
    return "\n".join([*lines, "", *ratios])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--skip", nargs="*", default=[], choices=["validate", "site", "serve"])
    parser.add_argument("--sample", type=int, default=200, help="roadmaps timed per size")
    parser.add_argument("--serve-limit", type=float, default=600.0, help="seconds to wait")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, set(args.skip), args.sample, args.serve_limit)))
        return 0
    _compiled()
    rows = []
    failed = False
    for factor in args.sizes:
        command = [
            sys.executable,
            __file__,
            "--one",
            str(factor),
            "--sample",
            str(args.sample),
            "--serve-limit",
            str(args.serve_limit),
        ]
        if args.skip:
            command += ["--skip", *args.skip]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"{factor}x failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            failed = True
            break
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{factor}x done", file=sys.stderr, flush=True)
    if not rows:
        return 1
    print(report(rows))
    return 0 if not failed and all(r.get("conforms", True) for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
