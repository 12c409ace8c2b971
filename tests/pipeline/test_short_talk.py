"""A short talk that says each thing once still gets a course (the explaining-quote bar bends)."""

from __future__ import annotations

from pathlib import Path

from coursegen.pipeline import BuildOptions, build_course

TALK = Path(__file__).resolve().parents[1] / "fixtures" / "validate" / "source" / "talk.txt"


def test_short_talk_keeps_the_terms_its_quotes_talk_about(tmp_path: Path) -> None:
    result = build_course([TALK], tmp_path / "out", BuildOptions(engine="extractive", use_cache=False))
    names = [concept.name for concept in result.course.concepts]
    assert "matrix multiplication" in names
    assert result.course.questions and result.course.cards
