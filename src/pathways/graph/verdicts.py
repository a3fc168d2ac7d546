"""Remembering that a graph conformed, so that byte-identical inputs are not validated twice.

Validation is most of the cost of starting `pathways serve` (about 0.5 s of 1.7 s on the shipped
graph, 40 s at a hundred times its size), and a server restarted on the same files would pay it
again for the same answer. A verdict is remembered under the SHA-256 of everything that decides
it: every Turtle file loaded (its path and bytes), every shape and violation query, the source of
the validation module, and the versions of this package and of pyshacl. Change any byte of any of
them and the key changes, so the graph is validated again. Only graphs that conform are
remembered (with their warnings): a failing graph is always validated, and its report is always
fresh.

`pathways validate` always validates, and remembers the verdict; `serve`, `site` and a reload
recall it. The folder is the ``verdict_cache`` setting; empty turns remembering off.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pathways import __version__
from pathways.graph import queries as named_queries
from pathways.graph.loader import LoadedGraph
from pathways.graph.resources import shapes_dir

# At most this many verdicts are kept (the oldest go first): one per graph a user serves.
KEPT = 20


def fingerprint(loaded: LoadedGraph) -> str:
    """The SHA-256 of everything that decides the verdict on ``loaded``."""
    from importlib import metadata  # imported here: it costs a one-shot command 12 ms

    from pathways.graph import validation

    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("pathways", __version__.encode())
    add("pyshacl", metadata.version("pyshacl").encode())
    add("validation.py", Path(validation.__file__).read_bytes())
    for path in loaded.files:
        add(f"file {path}", path.read_bytes())
    for path in sorted(shapes_dir().glob("*.ttl")):
        add(f"shape {path.name}", path.read_bytes())
    for query in named_queries.violation_queries():
        add(f"query {query.name}", query.text.encode())
    return digest.hexdigest()


def recall(folder: Path, key: str) -> Any | None:
    """The remembered report for ``key``, or None (none, unreadable, or not a conforming one)."""
    from pathways.graph.validation import Finding, Report

    try:
        data = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        report = Report(
            conforms=data["conforms"],
            findings=[Finding(**finding) for finding in data["findings"]],
            files=data["files"],
            shapes=data["shapes"],
            violation_queries=data["violation_queries"],
            triples=data["triples"],
            seconds=data["seconds"],
            warnings=data["warnings"],
            remembered=True,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return report if report.conforms and data.get("key") == key else None


def remember(folder: Path, key: str, report: Any) -> None:
    """Keep a conforming ``report`` under ``key``; a folder that cannot be written is skipped
    (remembering saves time, it is never needed)."""
    if not report.conforms:
        return
    data = asdict(report) | {"key": key}
    data.pop("remembered", None)
    keep(folder, f"{key}.json", json.dumps(data).encode("utf-8"), "*.json")


def keep(folder: Path, name: str, data: bytes, kind: str) -> None:
    """Write ``data`` to ``folder/name`` whole, then rename it into place (a reader never sees
    half a file), readable by this user only, and keep the newest KEPT files matching ``kind``.
    A folder that cannot be written is skipped: what is kept here saves time, it is never
    needed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        import tempfile  # here: a roadmap that only recalls does not pay for it

        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as out:
            out.write(data)
        os.chmod(out.name, 0o600)
        os.replace(out.name, folder / name)
        kept = sorted(folder.glob(kind), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def validated(loaded: LoadedGraph, folder: Path | None, *, fresh: bool = False) -> Any:
    """The validation report on ``loaded``: the remembered one for byte-identical inputs
    (unless ``fresh``), or a new one, remembered when it conforms. No folder: no memory."""
    from pathways.graph.validation import validate

    if folder is None:
        return validate(loaded)
    key = fingerprint(loaded)
    if not fresh:
        report = recall(folder, key)
        if report is not None:
            return report
    report = validate(loaded)
    remember(folder, key, report)
    return report


def _validate_in_child(loaded: LoadedGraph, conn: Any) -> None:
    from pathways.graph.validation import validate

    try:
        conn.send(("report", validate(loaded)))
    except Exception as error:  # sent back, and raised again where it was asked for
        conn.send(("error", error))
    finally:
        conn.close()


def validated_meanwhile(loaded: LoadedGraph, folder: Path | None) -> tuple[Callable[[], Any], bool]:
    """Start validating ``loaded`` in a forked process and return what waits for its report, so
    that the caller's own work (the server's inferences and roadmap index) overlaps with it: at
    a hundred times the shipped graph, validation takes 36 s and that work 8. The child shares
    the loaded store's memory as it was at the fork (it only reads it) and takes pyshacl's
    rdflib copy with it when it ends. Returns the waiting function, and whether validation is
    running (False when the verdict was remembered: the function returns it at once)."""
    key = fingerprint(loaded) if folder is not None else ""
    if folder is not None:
        report = recall(folder, key)
        if report is not None:
            return (lambda: report), False
    import multiprocessing

    # fork: the store is in this process's memory, and a new process would parse it again.
    # The process has no other threads at this point (the server has not started).
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_validate_in_child, args=(loaded, child), daemon=True)
    process.start()
    child.close()

    def wait() -> Any:
        try:
            kind, value = parent.recv()
        except EOFError:
            process.join()
            raise RuntimeError(
                f"validation stopped without a report (exit code {process.exitcode})"
            ) from None
        finally:
            parent.close()
        process.join()
        if kind == "error":
            raise value
        if folder is not None:
            remember(folder, key, value)
        return value

    return wait, True
