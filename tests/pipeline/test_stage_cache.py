"""The stage cache: content-addressed, atomic, a corrupt entry is a miss."""

from __future__ import annotations

from pathlib import Path

from coursegen.engines.types import Cite
from coursegen.stage_cache import StageCache, stage_key


def test_key_changes_with_any_input() -> None:
    assert stage_key("s", 1, {"a": 1}) == stage_key("s", 1, {"a": 1})
    assert stage_key("s", 1) != stage_key("s", 2) != stage_key("t", 2)


def test_fetch_computes_once_then_reuses(tmp_path: Path) -> None:
    calls: list[int] = []

    def compute() -> Cite:
        calls.append(1)
        return Cite(episode="e", sentence_ids=["e/p0/s0"])

    first = StageCache(tmp_path)
    value = first.fetch("concepts", "k1", Cite, "item", compute)
    second = StageCache(tmp_path)
    again = second.fetch("concepts", "k1", Cite, "item", compute)
    assert value == again and len(calls) == 1
    assert first.misses["concepts"] == 1 and second.hits["concepts"] == 1
    assert first.recomputed == [("concepts", "item", "new: not in the previous build")]
    first.save_index()
    third = StageCache(tmp_path)
    third.fetch("concepts", "k2", Cite, "item", compute)
    assert third.recomputed == [("concepts", "item", "its inputs changed since the previous build")]


def test_corrupt_entry_is_recomputed(tmp_path: Path) -> None:
    cache = StageCache(tmp_path)
    (tmp_path / "merge").mkdir()
    (tmp_path / "merge" / "k.json").write_text("{not json")
    value = cache.fetch("merge", "k", Cite, "item", lambda: Cite(episode="e", sentence_ids=[]))
    assert value.episode == "e" and cache.misses["merge"] == 1


def test_fetch_many_computes_only_the_misses_in_one_call(tmp_path: Path) -> None:
    batches: list[list[int]] = []

    def compute(missing: list[int]) -> list[Cite]:
        batches.append(missing)
        return [Cite(episode=f"e{i}", sentence_ids=[]) for i in missing]

    items = [("k0", "a"), ("k1", "b"), ("k2", "c")]
    first = StageCache(tmp_path).fetch_many("lesson", items[:2], Cite, compute)
    again = StageCache(tmp_path).fetch_many("lesson", items, Cite, compute)
    assert batches == [[0, 1], [2]]
    assert [c.episode for c in first] == ["e0", "e1"]
    assert [c.episode for c in again] == ["e0", "e1", "e2"]
