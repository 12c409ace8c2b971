"""Where each episode's source file sat at build time: `DIR/.cache/source_paths.json`.

`coursegen validate DIR/course.json` run from another folder cannot resolve `Episode.source`
(the path as given, relative to the build's folder). The build therefore notes, per episode,
the file's path relative to the course folder (still right after the whole project moves) and
its absolute path (right when only the course moved). They live beside the stage cache, not in
course.json, so the course stays byte-identical wherever it is built and reveals no local folders.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from coursegen.fsutil import atomic_write_text
from coursegen.ir import Episode

SOURCE_PATHS_FILE = Path(".cache") / "source_paths.json"


def write_source_paths(out_dir: Path, episodes: Sequence[Episode]) -> None:
    """Record, atomically, where each episode's source is now (relative to `out_dir`, then absolute)."""
    base = Path(out_dir).resolve()
    recorded: dict[str, list[str]] = {}
    for episode in sorted(episodes, key=lambda e: e.id):
        source = Path(episode.source).resolve()
        places = [str(source)]
        with contextlib.suppress(ValueError):  # another drive (Windows): no relative path exists
            places.insert(0, Path(os.path.relpath(source, base)).as_posix())
        recorded[episode.id] = places
    atomic_write_text(base / SOURCE_PATHS_FILE, json.dumps(recorded, indent=2, sort_keys=True) + "\n")


def read_source_paths(course_dir: Path) -> dict[str, list[Path]]:
    """Episode id → the places its source was recorded at, resolved; empty when unknown or unreadable."""
    try:
        data = json.loads((Path(course_dir) / SOURCE_PATHS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no record (an older build, a copied course.json): the other lookups still apply
    if not isinstance(data, dict):
        return {}
    found: dict[str, list[Path]] = {}
    for episode_id, places in data.items():
        if isinstance(places, list):
            found[str(episode_id)] = [Path(course_dir) / str(p) for p in places if isinstance(p, str)]
    return found
