"""Model calls per stage result, so a build can say what it spent versus a full rebuild.

When a stage result is computed, the calls (and dollars) the engine paid meanwhile are stored
beside it (`<key>.usage.json`); when it is reused, they are added to what this build saved.
A full rebuild would pay for this build's calls plus every reused result's. With stages run
concurrently the per-result split is approximate, but the totals stay exact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from coursegen.fsutil import atomic_write_text
from coursegen.stage_cache import StageCache, Uncacheable

ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")
Meter = Callable[[], tuple[int, float]]


def engine_meter(engine: object) -> Meter:
    """Paid model calls and dollars an engine has spent so far (0, 0.0 for engines without a model)."""
    usage = getattr(engine, "usage", None)

    def read() -> tuple[int, float]:
        if not callable(usage):
            return 0, 0.0
        figures: dict[str, Any] = usage()
        calls = int(figures.get("model_calls", 0)) - int(figures.get("cached_calls", 0))
        return calls, float(figures.get("cost_usd") or 0.0)

    return read


class MeteredStageCache(StageCache):
    """A StageCache that also remembers what each computed result cost in model calls."""

    def __init__(self, root: Path, enabled: bool = True, meter: Meter | None = None) -> None:
        super().__init__(root, enabled)
        self.meter: Meter = meter or (lambda: (0, 0.0))
        self.spent_calls = 0
        self.spent_cost = 0.0
        self.reused_calls = 0
        self.reused_cost = 0.0
        self._start = self.meter()

    def this_build(self) -> tuple[int, float]:
        """Paid calls and dollars since this cache was made (the engine may outlive one build)."""
        now = self.meter()
        return max(0, now[0] - self._start[0]), max(0.0, now[1] - self._start[1])

    def record_usage(self, stage: str, key: str, calls: int, cost: float) -> None:
        """Remember what computing one result cost (for stages computed outside `fetch`, e.g. in batches)."""
        self.spent_calls += calls
        self.spent_cost += cost
        if self.enabled:
            figures = json.dumps({"calls": calls, "cost_usd": cost})
            atomic_write_text(self._usage_path(stage, key), figures + "\n")

    def count_reuse(self, stage: str, key: str) -> None:
        """Add what a reused result once cost to this build's savings (for hits found outside `fetch`)."""
        calls, cost = self._stored_usage(stage, key)
        self.reused_calls += calls
        self.reused_cost += cost

    def _usage_path(self, stage: str, key: str) -> Path:
        return self.root / stage / f"{key}.usage.json"

    def fetch(self, stage: str, key: str, model: type[ModelT], item: str, compute: Any) -> ModelT:
        """As StageCache.fetch, counting the calls a computed result cost or a reused one saved."""
        measured: list[tuple[int, float]] = []

        def metered() -> Any:
            before = self.meter()
            value = compute()
            after = self.meter()
            measured.append((max(0, after[0] - before[0]), max(0.0, after[1] - before[1])))
            return value

        result: ModelT = super().fetch(stage, key, model, item, metered)
        if measured:
            self.record_usage(stage, key, *measured[0])
        else:  # served from the cache: count what computing it once cost
            self.count_reuse(stage, key)
        return result

    def fetch_many(
        self,
        stage: str,
        items: Sequence[tuple[str, str]],
        model: type[ModelT],
        compute: Callable[[list[int]], Sequence[ModelT | Uncacheable]],
        parts: Sequence[Mapping[str, str]] | None = None,
    ) -> list[ModelT]:
        """As StageCache.fetch_many; a batch's calls are shared out evenly over the results it made."""
        batches: list[tuple[list[int], tuple[int, float]]] = []

        def metered(missing: list[int]) -> Sequence[ModelT | Uncacheable]:
            before = self.meter()
            values = compute(missing)
            after = self.meter()
            batches.append((list(missing), (max(0, after[0] - before[0]), max(0.0, after[1] - before[1]))))
            return values

        results = super().fetch_many(stage, items, model, metered, parts)
        computed: set[int] = set()
        for missing, (calls, cost) in batches:
            for rank, index in enumerate(missing):
                # Integer calls: the first results of the batch take the remainder.
                share = calls // len(missing) + (1 if rank < calls % len(missing) else 0)
                self.record_usage(stage, items[index][0], share, cost / len(missing))
                computed.add(index)
        for index, (key, _) in enumerate(items):
            if index not in computed:
                self.count_reuse(stage, key)
        return results

    def metered(self, compute: Callable[[], T]) -> tuple[T, tuple[int, float]]:
        """`compute()` and the model calls and dollars it cost."""
        before = self.meter()
        value = compute()
        after = self.meter()
        return value, (max(0, after[0] - before[0]), max(0.0, after[1] - before[1]))

    def account(
        self, computed: Sequence[tuple[str, str]], spent: tuple[int, float], reused: Sequence[tuple[str, str]]
    ) -> None:
        """Share a batch's calls evenly over the results it made; count what reused ones saved."""
        calls, cost = spent
        for rank, (stage, key) in enumerate(computed):
            # Integer calls: the first results of the batch take the remainder.
            share = calls // len(computed) + (1 if rank < calls % len(computed) else 0)
            self.record_usage(stage, key, share, cost / len(computed))
        for stage, key in reused:
            self.count_reuse(stage, key)

    def _stored_usage(self, stage: str, key: str) -> tuple[int, float]:
        try:
            data = json.loads(self._usage_path(stage, key).read_text(encoding="utf-8"))
            return int(data["calls"]), float(data["cost_usd"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0, 0.0  # results cached before metering existed: their cost is unknown
