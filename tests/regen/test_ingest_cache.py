"""Unchanged transcript files are not parsed again; edited ones are, and errors are never cached."""

from __future__ import annotations

import shutil
from pathlib import Path

from coursegen.ingest import ingest_paths
from coursegen.ingest_cache import ingest_paths_cached, ingester_version
from coursegen.stage_cache import StageCache

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_cached_ingest_equals_a_fresh_one_and_reparses_only_edited_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("003_9859fa03d6cc2246.txt", "002_06453bb8a140ced2.txt"):
        shutil.copy(SEEDS / name, src / name)
    (src / "broken.srt").write_bytes(b"\xff\xfe\x00\x00 not a transcript")
    cache_dir = tmp_path / "cache"

    first = ingest_paths_cached([src], StageCache(cache_dir))
    fresh = ingest_paths([src])
    assert first.episodes == fresh.episodes
    assert [e.message for e in first.errors] == [e.message for e in fresh.errors] and first.errors

    again_cache = StageCache(cache_dir)
    again = ingest_paths_cached([src], again_cache)
    assert again.episodes == fresh.episodes
    assert again_cache.hits["ingest"] == 2 and again_cache.misses["ingest"] == 1  # the broken file

    edited = src / "003_9859fa03d6cc2246.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("compute", "kompute", 1), encoding="utf-8")
    third_cache = StageCache(cache_dir)
    third = ingest_paths_cached([src], third_cache)
    assert third_cache.hits["ingest"] == 1 and third_cache.misses["ingest"] == 2
    assert third.episodes == ingest_paths([src]).episodes
    assert len(ingester_version()) == 64
