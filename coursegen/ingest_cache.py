"""Ingest with a cache: an unchanged transcript file is not parsed again on the next build.

Parsing is most of a no-change rebuild's time. A parsed episode is stored under
`DIR/.cache/ingest/<key>.json`, keyed by the file's bytes, its path, its episode id and the
source code of the ingester itself, so an edited file, a moved file or a newer parser all
parse afresh. Errors are never cached: a bad file is reported on every build.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from coursegen.errors import InputError
from coursegen.fsutil import sha256_bytes
from coursegen.ingest import IngestReport, collect_files, episode_ids, ingest_file
from coursegen.ir import Episode
from coursegen.stage_cache import StageCache, stage_key

_PACKAGE = Path(__file__).resolve().parent


@cache
def ingester_version() -> str:
    """Hash of the code that turns a file into an Episode (a parser change invalidates the cache)."""
    files = sorted((_PACKAGE / "ingest").rglob("*.py"))
    files += [_PACKAGE / name for name in ("ir.py", "textnorm.py", "fsutil.py")]
    return sha256_bytes(b"".join(f.relative_to(_PACKAGE).as_posix().encode() + f.read_bytes() for f in files))


def ingest_paths_cached(paths: Sequence[Path], cache: StageCache) -> IngestReport:
    """As `coursegen.ingest.ingest_paths`, reusing the episodes of files that did not change."""
    files, errors = collect_files(paths)
    ids = episode_ids(files)
    episodes: list[Episode] = []
    for file in files:
        try:
            data = file.read_bytes()
        except OSError:
            data = b""  # ingest_file below reports the problem with its usual message
        key = stage_key("ingest", ingester_version(), str(file), ids[file], sha256_bytes(data))
        try:
            parse = lambda f=file: ingest_file(f, ids[f])  # noqa: E731
            episodes.append(cache.fetch("ingest", key, Episode, ids[file], parse))
        except InputError as exc:
            errors.append(exc)
        except Exception as exc:
            if os.environ.get("COURSEGEN_DEBUG") == "1":
                raise
            errors.append(
                InputError(
                    str(file),
                    f"could not be parsed ({type(exc).__name__}: {exc})",
                    "a coursegen bug: please report it with the file; COURSEGEN_DEBUG=1 shows the traceback",
                )
            )
    episodes.sort(key=lambda episode: episode.id)
    return IngestReport(episodes=episodes, errors=errors)
