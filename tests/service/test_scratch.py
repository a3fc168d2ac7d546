"""Scratch folders: named after their process, and removed after a crash on the next start."""

from __future__ import annotations

import os
import subprocess
import sys

from pathways.service import scratch


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_sweep_removes_only_folders_of_processes_that_are_gone(tmp_path):
    gone = tmp_path / f"pathways-site-{dead_pid()}-abc"
    mine = tmp_path / f"pathways-dump-{os.getpid()}-def"
    other = tmp_path / "pathways-notes"
    for folder in (gone, mine, other):
        folder.mkdir()
        (folder / "file.txt").write_text("x")
    removed = scratch.sweep(tmp_path)
    assert removed == [gone]
    assert not gone.exists() and mine.exists() and other.exists()


def test_a_scratch_folder_is_named_after_its_process():
    with scratch.folder("dump") as folder:
        assert folder.name.startswith(f"pathways-dump-{os.getpid()}-")
        assert folder.is_dir()
    assert not folder.exists()
