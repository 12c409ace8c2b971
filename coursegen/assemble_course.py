"""Assemble engine drafts into the IR Course: materialize citations, check items, drop with reasons."""

from __future__ import annotations

import re

from coursegen.engines.base import Engine
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import (
    Cite,
    ConceptGraph,
    LessonAssessment,
    LessonDraft,
    PlacementChoice,
    QuestionDraft,
    RampPlan,
)
from coursegen.fsutil import sha256_text
from coursegen.ir import (
    Block,
    BuildRecord,
    Card,
    Citation,
    Concept,
    Course,
    DroppedItem,
    Episode,
    Lesson,
    PlacementItem,
    Question,
)
from coursegen.item_checks import card_problems, citation_problems, question_problems

WORDS_PER_MINUTE = 200
CONCEPT_CITATIONS = 3


def card_identity(course_id: str, concept_id: str, fact: str) -> str:
    """Stable identity of a card: course, concept and the fact it tests (not its wording)."""
    return f"{course_id}::{concept_id}::{sha256_text(fact)[:16]}"


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _reading_minutes(lesson: Lesson) -> float:
    words = len(f"{lesson.problem} {lesson.prediction} {lesson.prediction_reveal}".split())
    for block in lesson.blocks:
        words += len(block.text.split()) + sum(len(c.quote.split()) for c in block.citations)
    return max(0.5, round(words / WORDS_PER_MINUTE * 2) / 2)


class _Assembler:
    def __init__(self, sources: SourceIndex) -> None:
        self.sources = sources
        self.dropped: list[DroppedItem] = []

    def cites(self, cites: list[Cite]) -> list[Citation]:
        return [self.sources_cite(c) for c in cites]

    def sources_cite(self, cite: Cite) -> Citation:
        from coursegen.materialize import materialize_cite

        return materialize_cite(self.sources, cite)

    def drop(self, stage: str, item: str, reason: str) -> None:
        self.dropped.append(DroppedItem(stage=stage, item=item, reason=reason))


def assemble_course(
    *,
    course_id: str,
    title: str,
    language: str,
    engine: Engine,
    episodes: list[Episode],
    graph: ConceptGraph,
    ramp: RampPlan,
    drafts: list[LessonDraft],
    assessments: list[LessonAssessment],
    placement: list[PlacementChoice],
    sources: SourceIndex,
) -> Course:
    """The Course from the stages' results; every item is checked and failures are dropped."""
    asm = _Assembler(sources)
    by_concept = {c.id: c for c in graph.concepts}
    lessons: list[Lesson] = []
    questions: list[Question] = []
    cards: list[Card] = []
    seen_fronts: set[str] = set()
    seen_answers: set[str] = set()
    seen_stems: set[str] = set()
    for plan, draft, assessment in zip(ramp.lessons, drafts, assessments, strict=True):
        blocks = []
        for index, block in enumerate(draft.blocks):
            citations = asm.cites(block.cites)
            problems = citation_problems(citations)
            if problems:
                asm.drop("lesson", f"{plan.id}/block{index}", "; ".join(problems))
                continue
            blocks.append(Block(text=block.text, citations=citations))
        lesson_questions: list[Question] = []
        for draft_q in assessment.questions:
            question = _question(draft_q, plan.id, asm)
            problems = question_problems(question) if question else ["citation does not resolve"]
            stem_key = _normal(draft_q.stem)
            if not problems and stem_key in seen_stems:
                problems = ["same stem as another question"]
            if problems or question is None:
                asm.drop("assessment", draft_q.id, "; ".join(problems))
                continue
            seen_stems.add(stem_key)
            lesson_questions.append(question)
        for draft_c in assessment.cards:
            card = Card(
                id=draft_c.id, identity=card_identity(course_id, draft_c.concept, draft_c.fact), kind=draft_c.kind,
                front=draft_c.front, back=draft_c.back, concept=draft_c.concept, lesson=plan.id,
                citations=asm.cites(draft_c.cites),
            )
            problems = card_problems(card)
            front_key, answer_key = _normal(card.front), _normal(card.back)
            if not problems and front_key in seen_fronts:
                problems = ["front repeats another card (interference)"]
            if not problems and card.back and (answer_key in seen_fronts or answer_key in seen_answers):
                problems = ["answer repeats another card's question or answer (interference)"]
            if problems:
                asm.drop("assessment", draft_c.id, "; ".join(problems))
                continue
            seen_fronts.add(front_key)
            if card.back:
                seen_answers.add(answer_key)
            cards.append(card)
        if not blocks:
            asm.drop("lesson", plan.id, "no explanation block with a valid citation")
            continue
        lesson = Lesson(
            id=plan.id, position=len(lessons) + 1, title=draft.title, level=plan.level, concepts=plan.concepts,
            problem=draft.problem, prediction=draft.prediction, prediction_reveal=draft.prediction_reveal,
            blocks=blocks, question_ids=[q.id for q in lesson_questions],
            prerequisite_lessons=plan.prerequisite_lessons,
        )
        lesson.reading_minutes = _reading_minutes(lesson)
        lessons.append(lesson)
        questions.extend(lesson_questions)
    kept_lessons = {lesson.id for lesson in lessons}
    for lesson in lessons:
        lesson.prerequisite_lessons = [p for p in lesson.prerequisite_lessons if p in kept_lessons]
    cards = [c for c in cards if c.lesson in kept_lessons]
    taught = [cid for lesson in lessons for cid in lesson.concepts]
    concepts = [
        Concept(
            id=c.id, name=c.name, aliases=c.aliases, kind=c.kind, definition=c.definition,
            citations=asm.cites(c.evidence[:CONCEPT_CITATIONS]),
            prerequisites=[p for p in c.prerequisites if p in taught], importance=c.importance,
        )
        for c in (by_concept[cid] for cid in taught)
    ]
    question_ids = {q.id for q in questions}
    placement_items = [
        PlacementItem(question_id=p.question_id, start_lesson=p.start_lesson)
        for p in placement
        if p.question_id in question_ids and p.start_lesson in kept_lessons
    ]
    for edge in graph.broken_edges:
        asm.drop("merge", f"{edge.concept} <- {edge.prerequisite}", f"prerequisite removed to break {edge.reason}")
    for cid, reason in ramp.left_out:
        asm.drop("ramp", cid, reason)
    record = BuildRecord(
        engine=engine.name, engine_note=engine.note, prompt_versions=dict(sorted(engine.versions.items())),
        dropped=asm.dropped,
    )
    course = Course(
        id=course_id, title=title, language=language, episodes=episodes, concepts=concepts, lessons=lessons,
        questions=questions, cards=cards, placement=placement_items, build=record,
    )
    course.build.validation = validate_summary(course)
    return course


def _question(draft: QuestionDraft, lesson_id: str, asm: _Assembler) -> Question | None:
    try:
        citations = asm.cites(draft.cites)
    except KeyError:
        return None
    return Question(
        id=draft.id, lesson=lesson_id, concept=draft.concept, kind=draft.kind, stem=draft.stem,
        options=draft.options, answer=draft.answer, explanation=draft.explanation, citations=citations,
        bloom=draft.bloom, difficulty=draft.difficulty,
    )


def validate_summary(course: Course) -> dict[str, object]:
    """The validation report stored in the build record (the validate package when present)."""
    try:
        from coursegen.validate import validate_course  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        validate_course = None
    if validate_course is not None:
        report = validate_course(course)
        dump = getattr(report, "model_dump", None)
        return dict(dump(mode="json")) if callable(dump) else dict(report)
    from coursegen.item_checks import course_check_summary

    return course_check_summary(course)
