"""A lesson dropped during assembly must not leave a two-level jump (RAMP006) between its neighbours.

Found by the obedient-model test: a lesson whose questions were all invented lost them all, was
dropped, and its neighbours ended levels 1 and 3 apart, failing the course's own validation.
"""

from __future__ import annotations

from coursegen.assemble_course import _smooth_levels
from coursegen.ir import Lesson


def lessons(*levels: int) -> list[Lesson]:
    return [Lesson(id=f"l{i}", position=i, title="t", level=level, concepts=[], problem="p", prediction="q")
            for i, level in enumerate(levels)]


def test_gap_left_by_a_dropped_lesson_is_closed() -> None:
    kept = lessons(1, 3, 4, 4, 5)
    _smooth_levels(kept)
    assert [lesson.level for lesson in kept] == [1, 2, 3, 4, 5]


def test_gentle_ramp_is_left_alone() -> None:
    kept = lessons(1, 2, 2, 3, 3)
    _smooth_levels(kept)
    assert [lesson.level for lesson in kept] == [1, 2, 2, 3, 3]


def test_a_drop_downwards_is_also_kept_within_one_level() -> None:
    kept = lessons(4, 1)
    _smooth_levels(kept)
    assert [lesson.level for lesson in kept] == [4, 3]
