"""Assemble engine drafts into the IR Course: materialize citations, check every item, drop with reasons.

Citations are materialized from sentence ids (coursegen.citations), and every question, card
and lesson goes through the validators' per-item checks; an item with an error is dropped and
the reason recorded in the build record, so nothing disappears silently.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from coursegen.citations import EpisodeIndex, card_identity, fact_key, materialize
from coursegen.engines.base import Engine
from coursegen.engines.types import (
    BlockDraft,
    CardDraft,
    Cite,
    ConceptGraph,
    LessonAssessment,
    LessonDraft,
    PlacementChoice,
    QuestionDraft,
    RampPlan,
)
from coursegen.errors import CoursegenError
from coursegen.export._common import text_shows_quote
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
from coursegen.validate import (
    CheckContext,
    Finding,
    card_interference,
    check_card,
    check_question,
    citation_findings,
    question_repeats,
    validate_course,
)
from coursegen.validate.ramp import text_forward_findings

WORDS_PER_MINUTE = 200
CONCEPT_CITATIONS = 3
MIN_QUESTIONS_PER_LESSON = 2


def _errors(findings: Sequence[Finding]) -> list[str]:
    return [f"{f.code}: {f.reason}" for f in findings if f.severity == "error"]


def reading_minutes(lesson: Lesson) -> float:
    """Reading time of a lesson's prose and quotes, in half minutes (at least half a minute).

    A citation's words count once: when the block already quotes them, the exports show only who
    said them and when (export._common.text_shows_quote), so the reader does not read them twice.
    """
    words = len(f"{lesson.problem} {lesson.prediction} {lesson.prediction_reveal}".split())
    for block in lesson.blocks:
        words += len(block.text.split())
        unquoted = [c.quote for c in block.citations if not text_shows_quote(block.text, c.quote)]
        words += sum(len(quote.split()) for quote in unquoted)
    return max(0.5, round(words / WORDS_PER_MINUTE * 2) / 2)


class _Assembler:
    """Materializes citations and records drops."""

    def __init__(self, index: EpisodeIndex) -> None:
        self.index = index
        self.dropped: list[DroppedItem] = []
        # Questions and cards of each concept that the checks dropped (said when a concept is left bare).
        self.lost_items: Counter[str] = Counter()
        # Concepts dropped because nothing tests them (RAMP015), each with its own entry already.
        self.untested: set[str] = set()

    def cites(self, cites: list[Cite]) -> list[Citation] | None:
        try:
            return [materialize(self.index, c.episode, c.sentence_ids) for c in cites]
        except CoursegenError:
            return None

    def drop(self, stage: str, item: str, reasons: Sequence[str]) -> None:
        self.dropped.append(DroppedItem(stage=stage, item=item, reason="; ".join(reasons)))

    def drop_item(self, item: str, concept: str, reasons: Sequence[str]) -> None:
        """Drop a question or card of `concept` (counted, so a concept left bare can say why)."""
        self.drop("assessment", item, reasons)
        self.lost_items[concept] += 1


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
) -> Course:
    """The Course from the stages' results; every item is checked and failures are dropped."""
    asm = _Assembler(EpisodeIndex(episodes))
    # Items the engine itself dropped (e.g. model answers that stayed invalid after re-asking).
    for stage, pairs in [("concepts", graph.dropped), *[("lesson", d.dropped) for d in drafts],
                         *[("assessment", a.dropped) for a in assessments]]:
        for item, reason in pairs:
            asm.drop(stage, item, [reason])
    by_concept = {c.id: c for c in graph.concepts}
    taught = [cid for plan in ramp.lessons for cid in plan.concepts]
    # The lesson's word on what a concept is, where it gives one, over the concept stage's.
    explained = {cid: block for draft in drafts for cid, block in sorted(draft.definitions.items())}
    concepts = []
    for cid in taught:
        gc = by_concept[cid]
        said = explained.get(cid)
        evidence = gc.evidence[:CONCEPT_CITATIONS]
        if said is not None:
            evidence = [*said.cites, *[e for e in gc.evidence if e not in said.cites]][:CONCEPT_CITATIONS]
        citations = asm.cites(evidence) or []
        concepts.append(
            Concept(
                id=gc.id,
                name=gc.name,
                aliases=gc.aliases,
                kind=gc.kind,
                definition=said.text if said is not None else gc.definition,
                citations=citations,
                prerequisites=[p for p in gc.prerequisites if p in taught],
                importance=gc.importance,
            )
        )
    lessons = [
        _lesson(plan.id, plan.position - 1, plan.level, plan.concepts, plan.prerequisite_lessons, draft, asm)
        for plan, draft in zip(ramp.lessons, drafts, strict=True)
    ]
    ctx = CheckContext.build(episodes, concepts, lessons, course_id)
    for lesson in lessons:
        for number, block in reversed(list(enumerate(lesson.blocks))):
            item = f"{lesson.id}#block{number}"
            # Lesson stages see only the later concepts their quotes name (coursegen.lesson_scope),
            # so a block naming another later concept is dropped here, as questions and cards are.
            problems = _errors(
                citation_findings(item, block.citations, ctx, lesson.id)
                + text_forward_findings(item, [block.text], lesson.id, ctx, block.citations)
            )
            if problems:
                asm.drop("lesson", f"{lesson.id}#block{number}", problems)
                del lesson.blocks[number]
    questions: list[Question] = []
    cards: list[Card] = []
    for lesson, assessment in zip(lessons, assessments, strict=True):
        own = [q for d in assessment.questions if (q := _question(d, lesson.id, ctx, asm)) is not None]
        lesson.question_ids = [q.id for q in own]
        questions.extend(own)
        cards.extend(
            c for d in assessment.cards if (c := _card(d, lesson.id, course_id, ctx, asm)) is not None
        )
    questions = _without_repeats(lessons, questions, asm)
    cards = _without_interference(cards, asm)
    kept_lessons = []
    for lesson in lessons:
        problems = []
        if not lesson.blocks:
            problems.append("RAMP014: no explanation block with a valid citation")
        head = [lesson.title, lesson.problem, lesson.prediction, lesson.prediction_reveal]
        cited = [c for block in lesson.blocks for c in block.citations]
        problems += _errors(text_forward_findings(lesson.id, head, lesson.id, ctx, cited))
        if len(lesson.question_ids) < MIN_QUESTIONS_PER_LESSON:
            problems.append(f"RAMP009: only {len(lesson.question_ids)} check-yourself question(s) survived")
        if problems:
            asm.drop("lesson", lesson.id, problems)
            continue
        lesson.reading_minutes = reading_minutes(lesson)
        kept_lessons.append(lesson)
    kept_lessons = _without_untested_concepts(kept_lessons, questions, cards, asm)
    _smooth_levels(kept_lessons)
    course = _finish(
        course_id,
        title,
        language,
        engine,
        episodes,
        concepts,
        kept_lessons,
        questions,
        cards,
        placement,
        graph,
        ramp,
        asm,
    )
    report = validate_course(course)
    course.build.validation = report.summary()
    return course


def _without_untested_concepts(
    lessons: list[Lesson], questions: list[Question], cards: list[Card], asm: _Assembler
) -> list[Lesson]:
    """Drop, with a reason, every concept no surviving card or question tests (RAMP015).

    A concept the course lists as taught but never tests is a silent gap. It leaves its lesson
    (the lesson's text still reads as written); a lesson left with no concept is dropped too,
    and as its questions go with it, the check repeats until nothing changes.
    """
    while True:
        kept = {lesson.id for lesson in lessons}
        tested = {q.concept for q in questions if q.lesson in kept} | {
            c.concept for c in cards if c.lesson in kept
        }
        changed = False
        survivors: list[Lesson] = []
        for lesson in lessons:
            bare = [cid for cid in lesson.concepts if cid not in tested]
            for cid in bare:
                lost = asm.lost_items[cid]
                why = (
                    f"{lost} of its questions and cards failed the checks (see their entries)"
                    if lost
                    else "the engine wrote no card or question about it"
                )
                asm.drop("assessment", cid, [f"RAMP015: concept left out of lesson {lesson.id}: {why}"])
                asm.untested.add(cid)
            if bare and len(bare) == len(lesson.concepts):
                asm.drop("lesson", lesson.id, ["RAMP015: no card or question tests any of its concepts"])
                changed = True
                continue
            lesson.concepts = [cid for cid in lesson.concepts if cid not in bare]
            survivors.append(lesson)
        lessons = survivors
        if not changed:
            return lessons


def _smooth_levels(lessons: list[Lesson]) -> None:
    """Keep neighbouring lessons within one level (RAMP006) after dropped lessons left a gap.

    The ramp plans gentle steps, but a lesson dropped here (no valid question left) can leave
    its neighbours two levels apart; the later lesson is moved next to its new predecessor.
    """
    for before, after in itertools.pairwise(lessons):
        after.level = max(before.level - 1, min(before.level + 1, after.level))


def _lesson(
    lid: str,
    position: int,
    level: int,
    concepts: list[str],
    prereqs: list[str],
    draft: LessonDraft,
    asm: _Assembler,
) -> Lesson:
    blocks = []
    for number, block in enumerate(draft.blocks):
        citations = asm.cites(block.cites)
        if citations is None:
            asm.drop("lesson", f"{lid}#block{number}", ["CIT002: citation does not resolve"])
            continue
        blocks.append(Block(text=block.text, citations=citations))
    return Lesson(
        id=lid,
        position=position,
        title=draft.title,
        level=level,
        concepts=concepts,
        problem=draft.problem,
        prediction=draft.prediction,
        prediction_reveal=draft.prediction_reveal,
        blocks=blocks,
        prerequisite_lessons=prereqs,
    )


def _question(draft: QuestionDraft, lesson_id: str, ctx: CheckContext, asm: _Assembler) -> Question | None:
    citations = asm.cites(draft.cites)
    if citations is None:
        asm.drop_item(draft.id, draft.concept, ["CIT002: citation does not resolve"])
        return None
    question = Question(
        id=draft.id,
        lesson=lesson_id,
        concept=draft.concept,
        kind=draft.kind,
        stem=draft.stem,
        options=draft.options,
        answer=draft.answer,
        explanation=draft.explanation,
        citations=citations,
        bloom=draft.bloom,
        difficulty=draft.difficulty,
    )
    problems = _errors(check_question(question, ctx))
    if problems:
        asm.drop_item(draft.id, draft.concept, problems)
        return None
    return question


def _card(
    draft: CardDraft, lesson_id: str, course_id: str, ctx: CheckContext, asm: _Assembler
) -> Card | None:
    citations = asm.cites(draft.cites)
    if citations is None:
        asm.drop_item(draft.id, draft.concept, ["CIT002: citation does not resolve"])
        return None
    # Identity from what is tested and the quoted words, not the wording: a reworded card keeps it.
    fact = fact_key(f"{draft.kind}:{draft.fact}", " ".join(c.quote for c in citations))
    card = Card(
        id=draft.id,
        identity=card_identity(course_id, draft.concept, fact),
        kind=draft.kind,
        front=draft.front,
        back=draft.back,
        concept=draft.concept,
        lesson=lesson_id,
        citations=citations,
    )
    problems = _errors(check_card(card, ctx))
    if problems:
        asm.drop_item(draft.id, draft.concept, problems)
        return None
    return card


def _without_repeats(lessons: list[Lesson], questions: list[Question], asm: _Assembler) -> list[Question]:
    """Drop every question that repeats one of an earlier lesson (QST005; the earlier one stays)."""
    repeats: dict[str, list[str]] = {}
    for f in question_repeats(questions):
        repeats.setdefault(f.item, []).append(f"{f.code}: {f.reason}")
    for question in questions:
        if question.id in repeats:
            asm.drop_item(question.id, question.concept, repeats[question.id])
    for lesson in lessons:
        lesson.question_ids = [qid for qid in lesson.question_ids if qid not in repeats]
    return [q for q in questions if q.id not in repeats]


def _without_interference(cards: list[Card], asm: _Assembler) -> list[Card]:
    """Drop the later card of every near-identical pair until none is left (earlier lessons win)."""
    while True:
        flagged: dict[str, list[str]] = {}
        for f in card_interference(cards):
            if f.severity == "error":
                flagged.setdefault(f.item, []).append(f"{f.code}: {f.reason}")
        if not flagged:
            return cards
        # Drop one at a time from the end: removing a card may clear its partner's finding too.
        last = max(i for i, c in enumerate(cards) if c.id in flagged)
        dropped = cards[last]
        asm.drop_item(dropped.id, dropped.concept, flagged[dropped.id])
        cards = cards[:last] + cards[last + 1 :]


def _finish(
    course_id: str,
    title: str,
    language: str,
    engine: Engine,
    episodes: list[Episode],
    concepts: list[Concept],
    lessons: list[Lesson],
    questions: list[Question],
    cards: list[Card],
    placement: list[PlacementChoice],
    graph: ConceptGraph,
    ramp: RampPlan,
    asm: _Assembler,
) -> Course:
    kept = {lesson.id for lesson in lessons}
    for position, lesson in enumerate(lessons):
        lesson.position = position
        lesson.prerequisite_lessons = [p for p in lesson.prerequisite_lessons if p in kept]
    taught = {cid for lesson in lessons for cid in lesson.concepts}
    planned_in = {cid: plan.id for plan in ramp.lessons for cid in plan.concepts}
    for concept in concepts:
        if concept.id not in taught and concept.id not in asm.untested:
            # Its lesson was dropped (its own entry says why); the concept goes with it, on record.
            reason = f"concept left out with its lesson {planned_in.get(concept.id, '?')}, which was dropped"
            asm.drop("lesson", concept.id, [reason])
    concepts = [c for c in concepts if c.id in taught]
    for concept in concepts:
        concept.prerequisites = [p for p in concept.prerequisites if p in taught]
    questions = [q for q in questions if q.lesson in kept]
    cards = [c for c in cards if c.lesson in kept]
    question_ids = {q.id for q in questions}
    start_at = _kept_start(ramp, kept)
    placement_items = [
        PlacementItem(question_id=p.question_id, start_lesson=start_at[p.start_lesson])
        for p in placement
        if p.question_id in question_ids and p.start_lesson in start_at
    ]
    for edge in graph.broken_edges:
        asm.drop(
            "merge",
            f"{edge.concept} <- {edge.prerequisite}",
            [f"prerequisite removed to break {edge.reason}"],
        )
    for cid, reason in ramp.left_out:
        asm.drop("ramp", cid, [reason])
    record = BuildRecord(
        engine=engine.name,
        engine_note=engine.note,
        prompt_versions=dict(sorted(engine.versions.items())),
        dropped=asm.dropped,
    )
    return Course(
        id=course_id,
        title=title,
        language=language,
        episodes=episodes,
        concepts=concepts,
        lessons=lessons,
        questions=questions,
        cards=cards,
        placement=placement_items,
        build=record,
    )


__all__ = ["BlockDraft", "assemble_course", "reading_minutes"]


def _kept_start(ramp: RampPlan, kept: set[str]) -> dict[str, str]:
    """Where a placement item's start lesson sends the learner once dropped lessons are gone.

    A start lesson that was dropped (its items failed validation) moves to the next kept lesson
    of the ramp: the learner still skips only what the quiz tested. Starts after the last kept
    lesson have nowhere to go and are absent.
    """
    start_at: dict[str, str] = {}
    following: str | None = None
    for plan in reversed(ramp.lessons):
        if plan.id in kept:
            following = plan.id
        if following is not None:
            start_at[plan.id] = following
    return start_at
