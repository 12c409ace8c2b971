"""Each stage result remembers the model calls it cost, so a build can compare itself with a full rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coursegen.call_meter import MeteredStageCache, engine_meter
from coursegen.engines.types import StageModel


class _Result(StageModel):
    value: int


class _FakeEngine:
    """Counts calls the way the LLM engine's usage() does (cached answers are not paid)."""

    def __init__(self) -> None:
        self.calls = 0

    def usage(self) -> dict[str, Any]:
        return {"model_calls": self.calls + 2, "cached_calls": 2, "cost_usd": self.calls * 0.01}

    def compute(self, n: int) -> _Result:
        self.calls += n
        return _Result(value=n)


def test_reused_results_count_what_they_once_cost(tmp_path: Path) -> None:
    engine = _FakeEngine()
    first = MeteredStageCache(tmp_path, meter=engine_meter(engine))
    first.fetch("lesson", "k1", _Result, "l1", lambda: engine.compute(3))
    first.fetch("lesson", "k2", _Result, "l2", lambda: engine.compute(4))
    assert (first.spent_calls, first.reused_calls) == (7, 0)
    assert round(first.spent_cost, 6) == 0.07

    second = MeteredStageCache(tmp_path, meter=engine_meter(engine))
    second.fetch("lesson", "k1", _Result, "l1", lambda: engine.compute(3))  # reused
    second.fetch("lesson", "k3", _Result, "l3", lambda: engine.compute(5))  # new input
    assert (second.spent_calls, second.reused_calls) == (5, 3)
    assert dict(second.hits) == {"lesson": 1} and dict(second.misses) == {"lesson": 1}
    assert second.recomputed == [("lesson", "l3", "new: not in the previous build")]


def test_engines_without_a_model_cost_nothing(tmp_path: Path) -> None:
    cache = MeteredStageCache(tmp_path, meter=engine_meter(object()))
    cache.fetch("concepts", "k", _Result, "ep", lambda: _Result(value=1))
    assert (cache.spent_calls, cache.spent_cost) == (0, 0.0)


def test_this_build_counts_from_the_cache_s_start_and_batches_can_record(tmp_path: Path) -> None:
    engine = _FakeEngine()
    engine.compute(10)  # an earlier build in the same process
    cache = MeteredStageCache(tmp_path, meter=engine_meter(engine))
    cache.fetch("lesson", "k1", _Result, "l1", lambda: engine.compute(2))
    engine.compute(3)
    cache.record_usage("assessment", "k9", 3, 0.03)  # a batch computed outside fetch
    assert cache.this_build()[0] == 5 and cache.spent_calls == 5
    later = MeteredStageCache(tmp_path, meter=engine_meter(engine))
    later.count_reuse("assessment", "k9")
    assert (later.reused_calls, round(later.reused_cost, 6)) == (3, 0.03)


class _CountingEngine:
    """The extractive engine, with every stage call counted as one paid model call."""

    def __init__(self) -> None:
        from coursegen.engines.extractive import ExtractiveEngine

        self.inner = ExtractiveEngine()
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        single = {"concepts", "merge", "ramp", "lesson", "assessment", "placement"}
        batch = {"concepts_batch", "lesson_batch", "assessment_batch"}
        if name not in single | batch:
            return attribute

        def counted(*args: Any) -> Any:
            self.calls += len(args[0]) if name in batch else 1  # one call per item of a batch
            return attribute(*args)

        return counted

    def usage(self) -> dict[str, Any]:
        return {"model_calls": self.calls, "cached_calls": 0, "cost_usd": self.calls * 0.001}


def test_full_rebuild_figure_equals_what_a_fresh_build_spends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from coursegen import pipeline

    monkeypatch.setattr(pipeline, "get_engine", lambda choice: _CountingEngine())
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    src = tmp_path / "src"
    src.mkdir()
    for name in ("003_9859fa03d6cc2246.txt", "002_06453bb8a140ced2.txt"):
        shutil.copy(seeds / name, src / name)
    options = pipeline.BuildOptions(config=tmp_path / "none.toml")
    out = tmp_path / "course"

    first = pipeline.build_course([src], out, options).course.build.usage
    assert first["calls"] > 0 and first["calls_full_rebuild"] == first["calls"]
    same = pipeline.build_course([src], out, options).course.build.usage
    assert (same["calls"], same["calls_full_rebuild"]) == (0, first["calls"])

    shutil.copy(seeds / "001_af2919b8cbad29d8.txt", src / "001_af2919b8cbad29d8.txt")
    grown = pipeline.build_course([src], out, options)
    fresh = pipeline.build_course([src], tmp_path / "fresh", options).course.build.usage
    usage = grown.course.build.usage
    assert usage["calls"] == sum(v for k, v in grown.recomputed.items() if k not in {"ingest", "course"})
    assert 0 < usage["calls"] < fresh["calls"]
    assert usage["calls_full_rebuild"] == fresh["calls"]
    assert usage["cost_full_rebuild_usd"] == pytest.approx(fresh["cost_usd"])
    changes = (out / "changes.md").read_text(encoding="utf-8")
    assert f"a full rebuild would have made {fresh['calls']}" in changes


def test_a_batch_shares_its_calls_over_the_results_it_made(tmp_path: Path) -> None:
    engine = _FakeEngine()
    first = MeteredStageCache(tmp_path, meter=engine_meter(engine))
    first.fetch("lesson", "k0", _Result, "l0", lambda: engine.compute(1))

    def batch(missing: list[int]) -> list[_Result]:
        engine.compute(7)
        return [_Result(value=i) for i in missing]

    items = [("k0", "l0"), ("k1", "l1"), ("k2", "l2"), ("k3", "l3")]
    second = MeteredStageCache(tmp_path, meter=engine_meter(engine))
    assert [r.value for r in second.fetch_many("lesson", items, _Result, batch)] == [1, 1, 2, 3]
    assert (second.spent_calls, second.reused_calls) == (7, 1)
    third = MeteredStageCache(tmp_path, meter=engine_meter(engine))
    third.fetch_many("lesson", items, _Result, batch)
    assert (third.spent_calls, third.reused_calls) == (0, 8)
