"""Interleaved review: choices on an idea's name moved from its own lesson to later ones.

In its own lesson a "which term completes the statement" item on the lesson's idea is answered
by the lesson's title: newcomers reading the seed course called most of them trivial (77 of its
79 multiple-choice items had the lesson's own idea as the answer). Asked again lessons later,
among other ideas, the same item makes the learner recall which idea the statement is about:
spaced, interleaved retrieval. The busiest lessons had the most of them (lesson 2 of the seed
course asked 32 questions, thirteen lessons four or fewer), so the thinnest later lessons take
them, which also evens out how much each lesson asks.
"""

from __future__ import annotations

from collections import Counter

from coursegen.engines.extractive.assessment import LOOSE_FACT, cited_sentences
from coursegen.engines.types import LessonAssessment, LessonDraft, QuestionDraft, RampPlan
from coursegen.graphs import reaches

# A lesson keeps at least this many of its own items, and its first choice on each idea.
MIN_OWN_QUESTIONS = 5
# A choice whose sentence a true/false item of the same lesson shows (the statement gives the
# blank away) moves even from a lesson this small.
MIN_KEPT_QUESTIONS = 3
# A review comes at least this many lessons after its idea's lesson (spacing), where the ramp
# has such a lesson.
MIN_GAP = 2
# A lesson reviews at most this many items of any one earlier lesson: five reviews of compute
# made the seed course's test-time-compute lesson a second compute quiz (7 of its 9 questions
# were reviews). The rest go to other later lessons (at 2, fewer than two thirds of the seed
# course's reviews sat in a lesson that needs their idea; at 3, 24 of 31).
MAX_REVIEWS_FROM_ONE_LESSON = 3
# The facts of the choices on a concept's own name (assessment._name_mcq).
_NAME_FACTS = ("term:", "cloze:")


def interleave(
    ramp: RampPlan,
    drafts: list[LessonDraft],
    assessments: list[LessonAssessment],
    keep: set[str],
) -> list[LessonAssessment]:
    """The assessments with spare name choices moved to later, thinner lessons as reviews.

    A choice moves only while its lesson asks more than a later lesson would after taking it;
    it goes to the later lesson (at least MIN_GAP on) that asks fewest, the nearest on a tie,
    among the later lessons that build on its lesson (through their prerequisite lessons) when
    there are such: readers found a review of parameters in the self-driving lesson "oddly
    attached"; in a lesson that needs the idea, recalling it is the step before using it.
    A choice whose sentence a true/false item of its lesson shows moves whatever the counts
    (down to MIN_KEPT_QUESTIONS), first choice or not: next to the statement, its blank is given
    away. `keep` (the placement quiz's items) never moves, nor an item whose quote another choice
    cites (the later one would repeat it, QST005). Deterministic: lessons in ramp order, each
    lesson's items in their order.
    """
    by_lesson = {a.lesson: a for a in assessments}
    order = [plan.id for plan in ramp.lessons if plan.id in by_lesson]
    position = {lid: index for index, lid in enumerate(order)}
    titles = {plan.id: draft.title for plan, draft in zip(ramp.lessons, drafts, strict=True)}
    counts = {lid: len(by_lesson[lid].questions) for lid in order}
    # A lesson's own items left: the reviews it took do not make it give its own away (the seed
    # course's reinforcement-learning lesson, given four reviews, sent one of its two items on).
    own = dict(counts)
    shared = _shared_quotes(assessments)
    moved: dict[str, list[QuestionDraft]] = {lid: [] for lid in order}
    leaving: dict[str, set[str]] = {lid: set() for lid in order}
    needs = {plan.id: plan.prerequisite_lessons for plan in ramp.lessons}
    taken_from: Counter[tuple[str, str]] = Counter()  # (reviewing lesson, reviewed lesson)
    for index, lid in enumerate(order):
        later = order[index + MIN_GAP :] or order[index + 1 :]
        # The later lessons that need this one, directly or through their prerequisite lessons,
        # first; the others once those have reviewed their share of it.
        builders = [other for other in later if reaches(other, lid, lambda x: needs.get(x, []))]
        first_choice: set[str] = set()
        judged = {cited_sentences(q) for q in by_lesson[lid].questions if q.kind == "true_false"}
        for question in by_lesson[lid].questions:
            if not _name_choice(question):
                continue
            given_away = cited_sentences(question) in judged
            if not given_away and question.concept not in first_choice:
                first_choice.add(question.concept)  # the lesson's own check on its idea stays
                continue
            room = [other for other in builders if taken_from[other, lid] < MAX_REVIEWS_FROM_ONE_LESSON]
            room = room or [other for other in later if taken_from[other, lid] < MAX_REVIEWS_FROM_ONE_LESSON]
            if question.id in keep or cited_sentences(question) in shared or not room:
                continue
            target = min(room, key=lambda other: (counts[other], position[other]))
            if given_away:
                if own[lid] <= MIN_KEPT_QUESTIONS:
                    continue
            elif own[lid] <= MIN_OWN_QUESTIONS or counts[target] + 1 >= counts[lid]:
                continue
            counts[lid] -= 1
            own[lid] -= 1
            counts[target] += 1
            taken_from[target, lid] += 1
            leaving[lid].add(question.id)
            moved[target].append(_as_review(question, titles[lid]))
    return [
        assessment.model_copy(
            update={
                "questions": [
                    q for q in assessment.questions if q.id not in leaving.get(assessment.lesson, set())
                ]
                + moved.get(assessment.lesson, [])
            }
        )
        for assessment in assessments
    ]


def _name_choice(question: QuestionDraft) -> bool:
    fact = question.fact.removeprefix(LOOSE_FACT)
    return question.kind == "mcq" and fact.startswith(_NAME_FACTS)


def _shared_quotes(assessments: list[LessonAssessment]) -> set[tuple[str, ...]]:
    """The quotes two or more multiple-choice items cite."""
    seen: set[tuple[str, ...]] = set()
    shared: set[tuple[str, ...]] = set()
    for assessment in assessments:
        for question in assessment.questions:
            if question.kind != "mcq":
                continue
            quote = cited_sentences(question)
            (shared if quote in seen else seen).add(quote)
    return shared


def _as_review(question: QuestionDraft, title: str) -> QuestionDraft:
    """The item as a review: its stem says so (not which lesson: that would name the answer),
    its explanation names the lesson to go back to, and recalling the idea without the lesson's
    title at hand is one step harder."""
    stem = question.stem
    return question.model_copy(
        update={
            "stem": f"Review: {stem[:1].lower()}{stem[1:]}",
            "explanation": f'From the lesson "{title}". {question.explanation}',
            "difficulty": min(5, question.difficulty + 1),
        }
    )
