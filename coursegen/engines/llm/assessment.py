"""The assessment stage: questions and cards of one lesson, each checked by the validators' per-item rules.

Each item of the model's answer is materialized (citations from ids) and run through
`check_question` / `check_card`; their error findings are the re-ask reasons, and items still
failing when attempts run out are dropped with those reasons.
"""

from __future__ import annotations

import hashlib
from typing import Any

from coursegen.citations import EpisodeIndex, card_identity, materialize
from coursegen.engines.base import LessonContext
from coursegen.engines.llm.answers import AssessmentAnswer, CardAnswer, QuestionAnswer
from coursegen.engines.llm.asking import Outcome, ask
from coursegen.engines.llm.lessons import cite_problems, lesson_cites, lesson_variables, nearby, to_cites
from coursegen.engines.llm.passages import ShownIds
from coursegen.engines.types import (
    CardDraft,
    ConceptGraph,
    LessonAssessment,
    LessonDraft,
    LessonPlan,
    QuestionDraft,
)
from coursegen.errors import CoursegenError
from coursegen.ir import Card, Concept, Lesson, Question
from coursegen.llm import LLMClient
from coursegen.validate import CheckContext, check_card, check_question

MIN_QUESTIONS = 3


def lesson_text(draft: LessonDraft) -> str:
    """The lesson as the learner read it (data for the assessment prompt)."""
    parts = [f"# {draft.title}", draft.problem, draft.prediction, draft.prediction_reveal]
    parts += [block.text for block in draft.blocks]
    return "\n\n".join(p for p in parts if p)


def assessment_variables(
    plan: LessonPlan, draft: LessonDraft, context: LessonContext, language: str
) -> tuple[dict[str, Any], ShownIds]:
    """The assessment prompt's variables and the sentence ids it shows."""
    variables, shown = lesson_variables(plan, context, language)
    known = nearby(context.taught_before, plan, context, str(variables["passages"]))
    keys = [*plan.concepts, *[c.id for c in known]]
    by_id = {c.id: c for c in context.graph.concepts}
    own = "\n".join(f"- {by_id[c].name}: {by_id[c].definition}" for c in plan.concepts)
    plan_text = (
        f"Teach:\n{own}\nKnown: {variables['known']}\nLater: {variables['later']}\nKeys: {', '.join(keys)}"
    )
    return {
        "language": language,
        "plan": plan_text,
        "lesson": lesson_text(draft),
        "passages": variables["passages"],
        "min_questions": MIN_QUESTIONS,
    }, shown


def _question_draft(question_id: str, q: QuestionAnswer, context: LessonContext) -> QuestionDraft:
    """The draft of one answered question, its mcq options placed by `_placed_options`."""
    options, answer = _placed_options(question_id, [o.strip() for o in q.options], _answer_value(q))
    return QuestionDraft(
        id=question_id,
        concept=q.concept,
        kind=q.kind,
        stem=q.stem.strip(),
        options=options,
        answer=answer,
        explanation=q.explanation.strip(),
        cites=to_cites(context, q.cites),
        bloom=q.bloom,
        difficulty=q.difficulty,
        fact=q.fact.strip(),
    )


def _placed_options(
    question_id: str, options: list[str], answer: bool | int | str
) -> tuple[list[str], bool | int | str]:
    """Rotate an mcq's options so the correct one sits where the question id's hash says.

    Models put the right answer first (or in a favourite slot) far more often than chance, and
    learners pick that up; a rotation keeps the distractors' own order and is deterministic.
    """
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(options):
        return options, answer
    target = int(hashlib.sha256(question_id.encode("utf-8")).hexdigest()[:8], 16) % len(options)
    shift = (target - answer) % len(options)
    rotated = options[-shift:] + options[:-shift] if shift else list(options)
    return rotated, target


def _answer_value(item: QuestionAnswer) -> bool | int | str:
    text = item.answer.strip()
    if item.kind == "true_false":
        lowered = text.lower()
        return True if lowered == "true" else False if lowered == "false" else text
    if item.kind == "mcq":
        if text.isdigit():
            return int(text)
        matches = [i for i, option in enumerate(item.options) if option.strip().lower() == text.lower()]
        return matches[0] if len(matches) == 1 else text
    return text


_IR_CONCEPTS: dict[int, tuple[ConceptGraph, dict[str, Concept]]] = {}


def _ir_concepts(graph: ConceptGraph) -> dict[str, Concept]:
    """The graph's concepts as IR objects for the checks, made once per graph (every lesson shares it)."""
    entry = _IR_CONCEPTS.get(id(graph))
    if entry is None or entry[0] is not graph:
        concepts = {
            c.id: Concept(id=c.id, name=c.name, aliases=c.aliases, kind=c.kind, definition=c.definition)
            for c in graph.concepts
        }
        _IR_CONCEPTS.clear()  # one build's graph at a time
        entry = _IR_CONCEPTS[id(graph)] = (graph, concepts)
    return entry[1]


class _Checker:
    """Builds IR items from answer items and runs the per-item checks in a lesson-shaped context."""

    def __init__(
        self,
        plan: LessonPlan,
        draft: LessonDraft,
        context: LessonContext,
        index: EpisodeIndex,
        shown: ShownIds,
        course_id: str,
    ) -> None:
        self.plan, self.context, self.shown, self.course_id = plan, context, shown, course_id
        concepts = _ir_concepts(context.graph)
        taught_at = {cid: 0 for cid in context.taught_before}
        taught_at.update({cid: 2 for cid in context.taught_later})
        taught_at.update({cid: 1 for cid in plan.concepts})
        lesson = Lesson(
            id=plan.id,
            position=1,
            title=draft.title,
            level=plan.level,
            concepts=plan.concepts,
            problem=draft.problem,
            prediction=draft.prediction,
        )
        self.ctx = CheckContext(
            index=index,
            course_id=course_id,
            concepts=concepts,
            lessons={plan.id: lesson},
            taught_at=taught_at,
            sources=None,
        )
        self.index = index

    def citations(self, item: QuestionAnswer | CardAnswer) -> tuple[list[Any], list[str]]:
        reasons = cite_problems(item.cites, self.shown)
        if reasons:
            return [], reasons
        try:
            return [
                materialize(self.index, c.episode, c.sentence_ids) for c in to_cites(self.context, item.cites)
            ], []
        except CoursegenError as exc:
            return [], [exc.message]

    def question(self, item: QuestionAnswer, qid: str) -> list[str]:
        citations, reasons = self.citations(item)
        if reasons:
            return reasons
        question = Question(
            id=qid,
            lesson=self.plan.id,
            concept=item.concept,
            kind=item.kind,
            stem=item.stem,
            options=item.options,
            answer=_answer_value(item),
            explanation=item.explanation,
            citations=citations,
            bloom=item.bloom,
            difficulty=item.difficulty,
        )
        return [f"{f.code}: {f.reason}" for f in check_question(question, self.ctx) if f.severity == "error"]

    def card(self, item: CardAnswer, cid: str) -> list[str]:
        citations, reasons = self.citations(item)
        if reasons:
            return reasons
        card = Card(
            id=cid,
            identity=card_identity(self.course_id, item.concept, item.fact),
            kind=item.kind,
            front=item.front,
            back=item.back,
            concept=item.concept,
            lesson=self.plan.id,
            citations=citations,
        )
        return [f"{f.code}: {f.reason}" for f in check_card(card, self.ctx) if f.severity == "error"]


def _problems(checker: _Checker) -> Any:
    def check(answer: AssessmentAnswer) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for number, question in enumerate(answer.questions, start=1):
            reasons = checker.question(question, f"{checker.plan.id}-q{number}")
            if reasons:
                found[f"question {number}"] = reasons
        for number, card in enumerate(answer.cards, start=1):
            reasons = checker.card(card, f"{checker.plan.id}-c{number}")
            if reasons:
                found[f"card {number}"] = reasons
        facts = [c.fact.strip().lower() for c in answer.cards]
        for number, fact in enumerate(facts, start=1):
            if fact and fact in facts[: number - 1]:
                found.setdefault(f"card {number}", []).append(
                    f"tests the same fact {fact!r} as an earlier card"
                )
        if len(answer.questions) - sum(1 for k in found if k.startswith("question")) < 2:
            found.setdefault("lesson", []).append("a lesson needs at least two valid questions")
        return found

    return check


def _prune(answer: AssessmentAnswer, bad: set[str]) -> AssessmentAnswer:
    return AssessmentAnswer(
        questions=[q for n, q in enumerate(answer.questions, start=1) if f"question {n}" not in bad],
        cards=[c for n, c in enumerate(answer.cards, start=1) if f"card {n}" not in bad],
    )


async def assess_lesson(
    client: LLMClient,
    plan: LessonPlan,
    draft: LessonDraft,
    context: LessonContext,
    index: EpisodeIndex,
    language: str,
) -> tuple[LessonAssessment, bool]:
    """The lesson's questions and cards (and whether a transient failure makes it unfit to cache)."""
    if not draft.blocks:
        return LessonAssessment(lesson=plan.id, dropped=[(plan.id, "no lesson text to assess")]), False
    variables, shown = assessment_variables(plan, draft, context, language)
    checker = _Checker(plan, draft, context, index, shown, course_id="")
    outcome: Outcome[AssessmentAnswer] = await ask(
        client,
        "assessment",
        variables,
        AssessmentAnswer,
        stage="assessment",
        item=plan.id,
        problems=_problems(checker),
        prune=_prune,
    )
    answer = outcome.answer
    if answer is None:
        return LessonAssessment(lesson=plan.id, dropped=outcome.dropped), outcome.transient
    numbered = enumerate(answer.questions, start=1)
    questions = [_question_draft(f"{plan.id}-q{n}", q, context) for n, q in numbered]
    cards = [
        CardDraft(
            id=f"{plan.id}-c{n}",
            concept=c.concept,
            kind=c.kind,
            front=c.front.strip(),
            back=c.back.strip(),
            cites=to_cites(context, c.cites),
            fact=c.fact.strip() or c.front.strip(),
        )
        for n, c in enumerate(answer.cards, start=1)
    ]
    return LessonAssessment(
        lesson=plan.id, questions=questions, cards=cards, dropped=outcome.dropped
    ), outcome.transient


__all__ = ["assess_lesson", "assessment_variables", "lesson_cites"]
