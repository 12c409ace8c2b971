"""GIFT export: every file passes the strict grammar, hostile text survives as inert text."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursegen.errors import CourseFileError
from coursegen.export.gift import export_gift, gift_escape, gift_text
from coursegen.ir import Course
from tests.export.gift_grammar import GiftError, parse_gift, parse_question
from tests.export.sample_course import HOSTILE, SCRIPT


def test_every_lesson_file_parses_with_right_keys(course: Course, tmp_path: Path) -> None:
    paths = export_gift(course, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "quizzes/attention.gift", "quizzes/scaling-laws.gift", "quizzes/serving.gift",
        "quizzes/_placement.gift"]
    placement = parse_gift(paths[-1].read_text(encoding="utf-8"))
    assert [q.title for q in placement] == ["q-attn-mcq", "q-kv-mcq"]
    assert placement[1].general_feedback.startswith("Missed it? Start at Lesson 3: Serving: KV cache")
    parsed = {q.title: q for p in paths[:-1] for q in parse_gift(p.read_text(encoding="utf-8"))}
    assert sorted(parsed) == sorted(q.id for q in course.questions)
    mcq = parsed["q-attn-mcq"]
    assert mcq.kind == "mcq" and mcq.text_format == "html"
    assert [a.correct for a in mcq.answers] == [False, True, False, False]
    assert html.unescape(mcq.answers[1].text) == "Every token in the sequence"
    assert html.unescape(mcq.answers[3].text) == "Only tokens ~ = # { } : far away"
    assert "https://www.youtube.com/watch?v=abcDEF12345&amp;t=61" in mcq.general_feedback
    assert parsed["q-attn-tf"].kind == "true_false" and parsed["q-attn-tf"].truth is True
    assert parsed["q-moe-tf"].truth is False
    cloze = parsed["q-scale-cloze"]
    assert cloze.kind == "short" and [a.text for a in cloze.answers] == ["loss"]
    assert "_____" in cloze.text and "{{c1" not in cloze.text
    assert parsed["q-scale-short"].kind == "essay"
    assert "Model answer: The loss keeps falling smoothly." in parsed["q-scale-short"].general_feedback


def test_hostile_text_is_inert_and_round_trips(course: Course, tmp_path: Path) -> None:
    paths = export_gift(course, tmp_path)
    raw = "".join(p.read_text(encoding="utf-8") for p in paths)
    assert "<script" not in raw and "<img" not in raw
    hostile = next(q for p in paths for q in parse_gift(p.read_text(encoding="utf-8"))
                   if q.title == "q-hostile-short")
    assert html.unescape(hostile.text) == f"Quote the chat message: {HOSTILE}"
    assert f"Model answer: It was {HOSTILE}" in html.unescape(hostile.general_feedback)
    mcq_text = (tmp_path / "quizzes" / "attention.gift").read_text(encoding="utf-8")
    assert html.escape(f"Nothing {SCRIPT}", quote=False) in mcq_text


def test_checker_rejects_broken_gift() -> None:
    for bad in ("::t::Q {=a ~b", "Q {=a ~b} tail", "Q {=a ~b ~c =d}", "Q: x {=a}", "::t::Q {=a \\q}",
                "Q {~a ~b}", "Q {=a {x} }", "{=a}"):
        with pytest.raises(GiftError):
            parse_question(bad)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(lambda s: s.strip()))
def test_any_text_escapes_into_valid_gift(text: str) -> None:
    block = f"::x::[html]{gift_text(text)} {{={gift_text(text)}~{gift_escape('other')}####{gift_text(text)}}}"
    question = parse_question(block)
    flat = " ".join(text.split())
    assert html.unescape(question.text) == flat
    assert html.unescape(question.answers[0].text) == flat


def test_broken_answer_key_is_a_clear_error(course: Course, tmp_path: Path) -> None:
    course.questions[0].answer = 9
    with pytest.raises(CourseFileError, match="q-attn-mcq: answer index 9"):
        export_gift(course, tmp_path)


def test_short_answer_key_is_plain_text(course: Course, tmp_path: Path) -> None:
    question = next(q for q in course.questions if q.id == "q-scale-cloze")
    question.answer = "R&D <loss> {x}"
    export_gift(course, tmp_path)
    text = (tmp_path / "quizzes" / "scaling-laws.gift").read_text(encoding="utf-8")
    [parsed] = [q for q in parse_gift(text) if q.title == "q-scale-cloze"]
    assert [a.text for a in parsed.answers] == ["R&D <loss> {x}"]
