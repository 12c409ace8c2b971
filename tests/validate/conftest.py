"""Fixtures of the validate tests: fresh clean and defect courses built from the small source."""

from __future__ import annotations

import pytest

from coursegen.ir import Course
from tests.validate.coursebuilder import build_clean_course, build_defect_course


@pytest.fixture
def clean_course() -> Course:
    """A course that passes every rule (a fresh copy each time, safe to mutate)."""
    return build_clean_course()


@pytest.fixture
def defect_course() -> Course:
    """The course with one planted defect per rule."""
    return build_defect_course()
