"""Lesson and assessment stages: structure, citations, no forward references, mixed questions."""

from __future__ import annotations

import re

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive import ExtractiveEngine
from coursegen.engines.extractive.mentions import MentionFinder
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import RampOptions
from coursegen.ir import Episode


def _course_parts(*episodes: Episode):  # type: ignore[no-untyped-def]
    engine = ExtractiveEngine()
    graph = engine.merge([engine.concepts(e) for e in episodes])
    ramp = engine.ramp(graph, RampOptions())
    return engine, graph, ramp, SourceIndex(episodes)


def test_lessons_open_with_a_problem_and_cite_every_block(talk_a: Episode, talk_b: Episode) -> None:
    engine, graph, ramp, sources = _course_parts(talk_a, talk_b)
    finder = MentionFinder(graph)
    order = [cid for plan in ramp.lessons for cid in plan.concepts]
    taught: list[str] = []
    for plan in ramp.lessons:
        later = frozenset(order) - set(taught) - set(plan.concepts)
        ctx = LessonContext(graph=graph, sources=sources, taught_before=frozenset(taught), taught_later=later)
        draft = engine.lesson(plan, ctx)
        assert draft.problem and draft.prediction and draft.prediction_reveal
        assert draft.blocks and all(block.cites for block in draft.blocks)
        assert len(draft.blocks[0].text.split()) <= 70
        written = [draft.title, draft.problem, draft.prediction, draft.prediction_reveal]
        written += [b.text for b in draft.blocks]
        for text in written:
            # The speakers' words are in double quotes and may name anything; the frame may not.
            frame = re.sub(r'"[^"]*"', " ", text)
            assert not (finder.concepts_in(frame) & later), (plan.id, text)
        taught.extend(plan.concepts)


def test_assessment_mixes_kinds_and_difficulties(talk_a: Episode) -> None:
    engine, graph, ramp, sources = _course_parts(talk_a)
    plan = ramp.lessons[-1]
    before = frozenset(c for p in ramp.lessons[:-1] for c in p.concepts)
    ctx = LessonContext(graph=graph, sources=sources, taught_before=before)
    draft = engine.lesson(plan, ctx)
    result = engine.assessment(plan, draft, ctx)
    kinds = {q.kind for q in result.questions}
    assert len(result.questions) >= 2 and len(kinds) >= 2
    assert len({q.difficulty for q in result.questions}) >= 2
    for question in result.questions:
        assert question.cites and question.concept in plan.concepts
        if question.kind == "mcq":
            assert 3 <= len(question.options) <= 5
            assert isinstance(question.answer, int) and question.options[question.answer]
        if question.kind == "true_false" and question.answer is False:
            assert question.explanation  # the true statement
    assert result.cards and {c.kind for c in result.cards} <= {"basic", "cloze"}
    ids = [c.id for c in result.cards] + [q.id for q in result.questions]
    assert len(ids) == len(set(ids))


def test_placement_maps_questions_to_lessons(talk_a: Episode, talk_b: Episode) -> None:
    engine, graph, ramp, sources = _course_parts(talk_a, talk_b)
    assessments = []
    for plan in ramp.lessons:
        ctx = LessonContext(graph=graph, sources=sources)
        assessments.append(engine.assessment(plan, engine.lesson(plan, ctx), ctx))
    placement = engine.placement(ramp, assessments)
    lesson_ids = [p.id for p in ramp.lessons]
    assert placement
    question_ids = {q.id for a in assessments for q in a.questions}
    for item in placement:
        assert item.question_id in question_ids and item.start_lesson in lesson_ids


def test_placement_spans_a_long_ramp_from_first_to_last_lesson() -> None:
    from coursegen.engines.types import LessonAssessment, LessonPlan, QuestionDraft, RampPlan

    lessons = [LessonPlan(id=f"l{i}", position=i, level=1, concepts=[f"c{i}"]) for i in range(29)]
    assessments = [
        LessonAssessment(
            lesson=plan.id,
            questions=[
                QuestionDraft(id=f"q{plan.id}", concept=plan.concepts[0], kind="cloze", stem="s", answer="a")
            ],
        )
        for plan in lessons
    ]
    placement = ExtractiveEngine().placement(RampPlan(lessons=lessons), assessments)
    tested = [p.question_id[1:] for p in placement]  # question "ql5" is lesson l5's
    # The first and the last lessons are tested (every 3rd lesson from the first stopped at
    # lesson 22 of 29 before), and a newcomer who misses the first item starts at lesson 1.
    assert len(tested) == 8 and tested[0] == "l0" and tested[-1] == "l28"
    assert tested == sorted(tested, key=lambda lid: int(lid[1:]))
    assert placement[0].start_lesson == "l0"


def test_an_episode_the_lesson_does_not_cite_never_changes_its_assessment(
    talk_a: Episode, talk_b: Episode
) -> None:
    # The lesson's cache key holds only the episodes its concepts cite (coursegen.lesson_scope):
    # its items must be the same whether other episodes are loaded or not.
    engine, graph, ramp, _ = _course_parts(talk_a)
    alone = SourceIndex([talk_a])
    with_other = SourceIndex([talk_a, talk_b])
    for plan in ramp.lessons:
        drafts = []
        for sources in (alone, with_other):
            ctx = LessonContext(graph=graph, sources=sources)
            drafts.append(engine.assessment(plan, engine.lesson(plan, ctx), ctx))
        assert drafts[0] == drafts[1], plan.id
