"""Ingest with a cache: an unchanged transcript file is not parsed again on the next build.

Parsing is most of a no-change rebuild's time. A parsed episode is stored under
`DIR/.cache/ingest/<key>.json`, keyed by the file's bytes, its path, its episode id and the
source code of the ingester itself, so an edited file, a moved file or a newer parser all
parse afresh. Errors are never cached: a bad file is reported on every build.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from coursegen.fsutil import sha256_bytes
from coursegen.ingest import IngestReport, ingest_file, ingest_paths
from coursegen.ir import Episode
from coursegen.stage_cache import StageCache, stage_key

_PACKAGE = Path(__file__).resolve().parent


@cache
def ingester_version() -> str:
    """Hash of the code that turns a file into an Episode (a parser change invalidates the cache)."""
    files = sorted((_PACKAGE / "ingest").rglob("*.py"))
    files += [_PACKAGE / name for name in ("ir.py", "textnorm.py", "fsutil.py")]
    return sha256_bytes(b"".join(f.relative_to(_PACKAGE).as_posix().encode() + f.read_bytes() for f in files))


def ingest_paths_cached(
    paths: Sequence[Path],
    cache: StageCache,
    speaker_map: Mapping[str, Mapping[str, str]] | None = None,
) -> IngestReport:
    """As `coursegen.ingest.ingest_paths`, reusing the episodes of files that did not change."""

    def parse(file: Path, episode_id: str, speakers: Mapping[str, str] | None) -> Episode:
        try:
            data = file.read_bytes()
        except OSError:
            data = b""  # ingest_file below reports the problem with its usual message
        names = json.dumps(sorted((speakers or {}).items()))
        key = stage_key("ingest", ingester_version(), str(file), episode_id, sha256_bytes(data), names)
        return cache.fetch(
            "ingest", key, Episode, episode_id, lambda: ingest_file(file, episode_id, speakers)
        )

    return ingest_paths(paths, speaker_map, parse_file=parse)
