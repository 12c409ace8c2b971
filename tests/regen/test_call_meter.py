"""Each stage result remembers the model calls it cost, so a build can compare itself with a full rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
