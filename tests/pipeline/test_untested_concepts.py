"""A concept the course keeps must be tested by a card or a question, or be dropped on record (RAMP015).

Seed 001 alone builds one lesson teaching two concepts (scaling, test-time compute); an engine
that writes nothing valid about one of them must not leave it listed as taught with `dropped: []`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.engine import ExtractiveEngine
from coursegen.engines.extractive.ramp import lesson_id
from coursegen.engines.types import LessonAssessment, LessonDraft, LessonPlan
from coursegen.ir import Card, Lesson, Question
from coursegen.pipeline import BuildOptions, build_course
from coursegen.validate import validate_course

# Seed 003 served here until the extractive engine dropped "imperfect information" (no quote
# explains it), leaving it one concept; seed 001 alone is now the one-lesson, two-concept course.
SEED_001 = Path(__file__).resolve().parents[2] / "seeds" / "001_af2919b8cbad29d8.txt"
BARE = "scaling"
KEPT = "test-time-compute"


class SilentOnOneConcept(ExtractiveEngine):
    """Writes no question or card about BARE (or, with `spoil`, only ones that fail the checks)."""

    def __init__(self, spoil: bool) -> None:
        self.spoil = spoil

    def assessment(self, plan: LessonPlan, draft: LessonDraft, context: LessonContext) -> LessonAssessment:
        made = super().assessment(plan, draft, context)
        if self.spoil:
            for question in made.questions:
                if question.concept == BARE:
                    question.stem = "According to the speaker, " + question.stem  # QST004
            for card in made.cards:
                if card.concept == BARE:
                    card.front = "According to the speaker, " + card.front  # CARD005
            return made
        made.questions = [q for q in made.questions if q.concept != BARE]
        made.cards = [c for c in made.cards if c.concept != BARE]
        return made


def test_seed_001_as_built_tests_both_concepts_of_its_lesson(tmp_path: Path) -> None:
    course = build_course([SEED_001], tmp_path / "out").course
    # One lesson: each is the other's closest companion in the talk (order: the more general first).
    assert [sorted(lesson.concepts) for lesson in course.lessons] == [[BARE, KEPT]]
    assert {q.concept for q in course.questions} >= {KEPT, BARE}


@pytest.mark.parametrize(("spoil", "why"), [(False, "the engine wrote no card or question"),
                                              (True, "of its questions and cards failed the checks")])
def test_untested_concept_is_dropped_with_a_reason(tmp_path: Path, spoil: bool, why: str) -> None:
    result = build_course([SEED_001], tmp_path / "out", BuildOptions(engine_object=SilentOnOneConcept(spoil)))
    course = result.course
    assert BARE not in {c.id for c in course.concepts}
    assert [lesson.concepts for lesson in course.lessons] == [[KEPT]]
    entries = [d for d in course.build.dropped if d.item == BARE]
    assert len(entries) == 1 and entries[0].reason.startswith("RAMP015") and why in entries[0].reason
    assert result.summary()["concepts_untested"] == 1
    report = validate_course(course)
    assert report.errors == []
    assert "RAMP015" not in {f.code for f in report.findings}


def _lesson(lid: str, concepts: list[str]) -> Lesson:
    return Lesson(id=lid, position=0, title="t", level=1, concepts=concepts, problem="p", prediction="q")


def _question(qid: str, lesson: str, concept: str) -> Question:
    return Question(id=qid, lesson=lesson, concept=concept, kind="short", stem="Explain it.", answer="x")


def test_a_lesson_left_without_concepts_goes_and_takes_its_questions_along() -> None:
    from coursegen.assemble_course import _Assembler, _without_untested_concepts
    from coursegen.citations import EpisodeIndex

    # l0 teaches a but asks nothing; l1 teaches b and holds the only question, on a.
    lessons = [_lesson("l0", ["a"]), _lesson("l1", ["b"]), _lesson("l2", ["c"])]
    questions = [_question("q1", "l1", "a"), _question("q2", "l2", "c")]
    cards: list[Card] = []
    asm = _Assembler(EpisodeIndex([]))
    kept = _without_untested_concepts(lessons, questions, cards, asm)
    # l1 tests nothing of its own: it goes; then a (tested only in l1) is bare and l0 goes too.
    assert [lesson.id for lesson in kept] == ["l2"]
    assert sorted((d.stage, d.item) for d in asm.dropped) == [
        ("assessment", "a"), ("assessment", "b"), ("lesson", "l0"), ("lesson", "l1"),
    ]


class NoQuestions(ExtractiveEngine):
    """Writes cards only, so the lesson fails RAMP009 (two check-yourself questions) and is dropped."""

    def assessment(self, plan: LessonPlan, draft: LessonDraft, context: LessonContext) -> LessonAssessment:
        made = super().assessment(plan, draft, context)
        made.questions = []
        return made


def test_concepts_of_a_dropped_lesson_are_on_record_too(tmp_path: Path) -> None:
    course = build_course([SEED_001], tmp_path / "out", BuildOptions(engine_object=NoQuestions())).course
    assert course.lessons == [] and course.concepts == []
    reasons = {(d.stage, d.item): d.reason for d in course.build.dropped}
    lesson = lesson_id([KEPT, BARE])
    assert reasons[("lesson", lesson)].startswith("RAMP009")
    for cid in (KEPT, BARE):
        assert reasons[("lesson", cid)] == f"concept left out with its lesson {lesson}, which was dropped"
