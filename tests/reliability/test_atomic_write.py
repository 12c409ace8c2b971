"""Atomic writes give files the mode a plain open() would (mkstemp's 0600 made published sites unreadable)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from coursegen.fsutil import atomic_write_text


def test_written_file_is_readable_as_the_umask_allows(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    path = tmp_path / "site" / "index.html"
    atomic_write_text(path, "<!doctype html>")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
    assert path.read_text() == "<!doctype html>"
    assert [p.name for p in path.parent.iterdir()] == ["index.html"]  # no temp file left
