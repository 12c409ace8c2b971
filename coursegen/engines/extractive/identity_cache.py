"""A small cache of what was read off one object (an episode), keyed by the object itself.

Identity, not the file hash: the same file read with other ingest options is another episode.
Each entry holds its object, so an id is never reused while cached; the cache empties itself when
full (builds see a handful of episodes; a long test run sees hundreds).
"""

from __future__ import annotations

from typing import Generic, TypeVar

KeyT = TypeVar("KeyT")
ValueT = TypeVar("ValueT")


class IdentityCache(Generic[KeyT, ValueT]):
    """`get`/`put` by object identity, at most `size` objects at a time."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: dict[int, tuple[KeyT, ValueT]] = {}

    def get(self, key: KeyT) -> ValueT | None:
        """The value kept for this very object, or None."""
        cached = self._entries.get(id(key))
        return cached[1] if cached is not None and cached[0] is key else None

    def put(self, key: KeyT, value: ValueT) -> ValueT:
        """Keep `value` for this object, and return it."""
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[id(key)] = (key, value)
        return value
