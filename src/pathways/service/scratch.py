"""Scratch folders the server writes (the pages, the graph dump the workers load), and their
removal after a crash.

A server that is killed (``kill -9``, the OOM killer, a power cut) cannot remove its folders; each
start used to leave one more behind. Every folder is named after the process that made it
(``pathways-<kind>-<pid>-<random>``), so the next start removes those whose process is gone.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("pathways.scratch")
_NAME = re.compile(r"^pathways-[a-z]+-(\d+)-")


def make(kind: str) -> Path:
    """A new scratch folder for ``kind`` (site, dump, workers), owned by this process."""
    return Path(tempfile.mkdtemp(prefix=f"pathways-{kind}-{os.getpid()}-"))


@contextmanager
def folder(kind: str) -> Iterator[Path]:
    path = make(kind)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, and not ours to judge
        return True
    return True


def sweep(root: Path | None = None) -> list[Path]:
    """Remove scratch folders left by processes that no longer run; return what was removed."""
    removed = []
    base = root or Path(tempfile.gettempdir())
    for path in base.glob("pathways-*-*-*"):
        match = _NAME.match(path.name)
        if not match or not path.is_dir() or _alive(int(match.group(1))):
            continue
        if path.stat().st_uid != os.getuid():
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    if removed:
        log.warning("removed %d scratch folders left by a server that stopped", len(removed))
    return removed
