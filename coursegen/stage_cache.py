"""A content-addressed cache of stage results under `DIR/.cache/<stage>/<key>.json`.

A key is the SHA-256 of everything that determines a stage's output (its inputs' hashes,
the engine and the stage version), so an unchanged input is never recomputed and a changed
one never reuses a stale result. Files are written atomically; an unreadable entry is
treated as a miss and recomputed.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from coursegen.fsutil import atomic_write_text, sha256_text

ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")


def stage_key(stage: str, *parts: Any) -> str:
    """Key of a stage result: hash of the stage name and its JSON-able inputs."""
    payload = json.dumps([stage, *[_jsonable(p) for p in parts]], sort_keys=True, ensure_ascii=False)
    return sha256_text(payload)


def model_hash(model: BaseModel) -> str:
    """Stable hash of a pydantic model's JSON."""
    return sha256_text(model.model_dump_json())


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return value


_NOT_STORED = "; not stored: a model call failed for a reason that may pass, so the next build tries again"


class Uncacheable(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a stage computation whose result is usable now but must not be stored (e.g. a
    model call that failed for a reason that may pass): `fetch` returns `value` without caching it."""

    def __init__(self, value: BaseModel) -> None:
        super().__init__("result not cacheable")
        self.value = value


class StageCache:
    """Stage results on disk, with counts of what was reused and what was recomputed."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root
        self.enabled = enabled
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        # Why each recomputed result was recomputed: (stage, item, reason).
        self.recomputed: list[tuple[str, str, str]] = []
        # The key each (stage, item) had in the previous build, to say why a result is new.
        self._previous = self._load_index()
        self._current: dict[str, str] = {}
        # Hashes of the named parts of an item's inputs, to say which of them changed.
        self._previous_parts = self._load_parts()
        self._current_parts: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()  # engines may fetch from several worker threads

    def _load_index(self) -> dict[str, str]:
        try:
            data = json.loads((self.root / "index.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _load_parts(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads((self.root / "parts.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(item): {str(name): str(digest) for name, digest in named.items()}
            for item, named in data.items()
            if isinstance(named, dict)
        }

    def save_index(self) -> None:
        """Remember which key each item had in this build (read by the next build's reasons)."""
        if self.enabled:
            text = json.dumps(dict(sorted(self._current.items())), indent=1) + "\n"
            atomic_write_text(self.root / "index.json", text)
            parts = json.dumps(dict(sorted(self._current_parts.items())), indent=1, sort_keys=True)
            atomic_write_text(self.root / "parts.json", parts + "\n")

    def _reason(self, stage: str, item: str, key: str, parts: Mapping[str, str] | None = None) -> str:
        if not self.enabled:
            return "cache disabled (--no-cache)"
        previous = self._previous.get(f"{stage}::{item}")
        if previous is None:
            return "new: not in the previous build"
        if previous == key:
            return "its stored result was missing or unreadable"
        before = self._previous_parts.get(f"{stage}::{item}")
        if parts is not None and before is not None:
            changed = [name for name, digest in parts.items() if before.get(name) != digest]
            if changed:
                return "its inputs changed since the previous build: " + ", ".join(changed)
        return "its inputs changed since the previous build"

    def _path(self, stage: str, key: str) -> Path:
        return self.root / stage / f"{key}.json"

    def get(self, stage: str, key: str, model: type[ModelT]) -> ModelT | None:
        """The cached result, or None (a miss) when absent or unreadable."""
        if not self.enabled:
            return None
        path = self._path(stage, key)
        try:
            return model.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            return None

    def put(self, stage: str, key: str, value: BaseModel) -> None:
        """Store a result atomically."""
        if self.enabled:
            atomic_write_text(self._path(stage, key), value.model_dump_json())

    def fetch(self, stage: str, key: str, model: type[ModelT], item: str, compute: Any) -> ModelT:
        """Cached result of `compute()` for this key; records a hit or a recompute and why (thread-safe)."""
        with self._lock:
            self._current[f"{stage}::{item}"] = key
        cached = self.get(stage, key, model)
        if cached is not None:
            with self._lock:
                self.hits[stage] += 1
            return cached
        with self._lock:
            self.misses[stage] += 1
            reason = self._reason(stage, item, key)
        try:
            value: ModelT = compute()
        except Uncacheable as signal:
            with self._lock:
                self.recomputed.append((stage, item, reason + _NOT_STORED))
            return signal.value  # type: ignore[return-value]
        self.put(stage, key, value)
        with self._lock:
            self.recomputed.append((stage, item, reason))
        return value

    def fetch_many(
        self,
        stage: str,
        items: Sequence[tuple[str, str]],
        model: type[ModelT],
        compute: Callable[[list[int]], Sequence[ModelT | Uncacheable]],
        parts: Sequence[Mapping[str, str]] | None = None,
    ) -> list[ModelT]:
        """Results for (key, item) pairs; `compute(missing_indexes)` makes all misses in one call.

        A computed value wrapped in `Uncacheable` is used but not stored (see Uncacheable).
        `parts`, one per item, names the hashes its key is made of, so a recompute says which
        of them changed since the previous build.
        """
        results: list[ModelT | None] = []
        missing: list[int] = []
        for index, (key, item) in enumerate(items):
            cached = self.get(stage, key, model)
            item_parts = parts[index] if parts is not None else None
            self.note(stage, key, item, hit=cached is not None, parts=item_parts)
            if cached is None:
                missing.append(index)
            results.append(cached)
        if missing:
            computed = compute(missing)
            if len(computed) != len(missing):
                raise ValueError(f"stage {stage}: {len(computed)} results for {len(missing)} inputs")
            for index, value in zip(missing, computed, strict=True):
                results[index] = self.keep(stage, items[index][0], items[index][1], value)
        return [r for r in results if r is not None]

    def note(
        self, stage: str, key: str, item: str, *, hit: bool, parts: Mapping[str, str] | None = None
    ) -> None:
        """Count one lookup made with `get`: a hit, or a recompute and why (thread-safe); `parts`
        names the hashes the key is made of (see `fetch_many`)."""
        with self._lock:
            self._current[f"{stage}::{item}"] = key
            if parts is not None:
                self._current_parts[f"{stage}::{item}"] = dict(parts)
            if hit:
                self.hits[stage] += 1
            else:
                self.misses[stage] += 1
                self.recomputed.append((stage, item, self._reason(stage, item, key, parts)))

    def keep(self, stage: str, key: str, item: str, value: ModelT | Uncacheable) -> ModelT:
        """Store a result computed after a noted miss; an `Uncacheable` one is used, not stored."""
        if isinstance(value, Uncacheable):
            with self._lock:
                for number, entry in enumerate(self.recomputed):
                    if entry[:2] == (stage, item):
                        self.recomputed[number] = (stage, item, entry[2] + _NOT_STORED)
            return value.value  # type: ignore[return-value]
        self.put(stage, key, value)
        return value

    def metered(self, compute: Callable[[], T]) -> tuple[T, tuple[int, float]]:
        """`compute()` and the model calls and dollars it cost ((0, 0.0): this cache has no meter)."""
        return compute(), (0, 0.0)

    def account(
        self, computed: Sequence[tuple[str, str]], spent: tuple[int, float], reused: Sequence[tuple[str, str]]
    ) -> None:
        """Share what a batch `spent` over the (stage, key) results it `computed`, and count the
        `reused` ones (a no-op here; see coursegen.call_meter)."""
