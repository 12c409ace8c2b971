"""Small helpers on directed graphs given as a successor function."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def reaches(start: str, target: str, successors: Callable[[str], Iterable[str]]) -> bool:
    """True when `target` is `start` or can be reached from it by following `successors`."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        current = stack.pop()
        if current == target:
            return True
        if current in seen:
            continue
        seen.add(current)
        stack.extend(successors(current))
    return False
