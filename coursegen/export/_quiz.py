"""What every quiz format needs from a question: a checked answer key and a citation line."""

from __future__ import annotations

from dataclasses import dataclass, replace

from coursegen.errors import CourseFileError
from coursegen.export._common import (
    SourceIndex,
    cloze_blanked,
    lesson_labels,
    lessons_in_order,
    one_line,
    questions_of_lesson,
    text_shows_quote,
)
from coursegen.fsutil import slugify
from coursegen.ir import Course, Question


@dataclass(frozen=True)
class QuizItem:
    """A question reduced to plain text parts that LMS formats encode their own way."""

    id: str
    kind: str  # mcq | true_false | cloze | short
    stem: str
    options: tuple[str, ...]
    correct_index: int | None  # mcq
    truth: bool | None  # true_false
    answer_text: str  # cloze: the deletion; short: the model answer; others: the correct text
    feedback: str  # explanation plus the citations it rests on


def _bad(question: Question, reason: str) -> CourseFileError:
    return CourseFileError(f"question {question.id}: {reason}",
                           "run `coursegen validate` on the course and fix or rebuild it")


def citation_line(question: Question, index: SourceIndex) -> str:
    """`Source: "quote" — speaker, episode, time (link)` for each citation, plain text.

    A quote the explanation already gives (its fillers aside) is not printed twice.
    """
    parts: list[str] = []
    explanation = one_line(question.explanation)
    for citation in question.citations:
        view = index.view(citation)
        where = ", ".join(x for x in (view.speaker, view.episode_title, view.time_label) if x)
        quote = one_line(view.quote)
        text = where if text_shows_quote(explanation, quote) else f'"{quote}" — {where}'
        if view.url:
            text += f" ({view.url})"
        parts.append(text)
    return ("Source: " + " | ".join(parts)) if parts else ""


def quiz_item(question: Question, index: SourceIndex) -> QuizItem:
    """Check a question's answer key and flatten it (raises CourseFileError on a broken key)."""
    feedback = " ".join(x for x in (one_line(question.explanation), citation_line(question, index)) if x)
    stem = one_line(question.stem)
    answer = question.answer
    if question.kind == "mcq":
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise _bad(question, f"a multiple-choice answer must be an option index, not {answer!r}")
        if not 0 <= answer < len(question.options) or len(question.options) < 2:
            raise _bad(question, f"answer index {answer} does not point at one of its "
                                 f"{len(question.options)} options")
        options = tuple(one_line(o) for o in question.options)
        return QuizItem(question.id, "mcq", stem, options, answer, None, options[answer], feedback)
    if question.kind == "true_false":
        if not isinstance(answer, bool):
            raise _bad(question, f"a true/false answer must be true or false, not {answer!r}")
        return QuizItem(question.id, "true_false", stem, (), None, answer, str(answer).lower(), feedback)
    if question.kind == "cloze":
        text = one_line(str(answer))
        if not text:
            raise _bad(question, "a fill-in question needs its missing word as the answer")
        blanked = one_line(cloze_blanked(question.stem))
        return QuizItem(question.id, "cloze", blanked, (), None, None, text, feedback)
    text = one_line(str(answer))
    return QuizItem(question.id, "short", stem, (), None, None, text, feedback)


PLACEMENT_SLUG = "_placement"  # lesson slugs are [a-z0-9-], so this name never collides


@dataclass(frozen=True)
class QuizSet:
    """One quiz: a lesson's check-yourself questions, or the placement quiz."""

    slug: str
    title: str
    items: tuple[QuizItem, ...]


def placement_items(course: Course, index: SourceIndex) -> list[QuizItem]:
    """The placement questions, each telling a learner who misses it where to start."""
    questions = {q.id: q for q in course.questions}
    labels = lesson_labels(course)
    items: list[QuizItem] = []
    for entry in course.placement:
        question = questions.get(entry.question_id)
        if question is None:
            raise CourseFileError(f"placement names question {entry.question_id}, which the course lacks",
                                  "run `coursegen validate` on the course and fix or rebuild it")
        item = quiz_item(question, index)
        hint = f"Missed it? Start at {labels.get(entry.start_lesson, entry.start_lesson)}."
        items.append(replace(item, feedback=" ".join(x for x in (hint, item.feedback) if x)))
    return items


def quiz_sets(course: Course) -> list[QuizSet]:
    """Every lesson with questions, in ramp order, then the placement quiz if there is one."""
    index = SourceIndex.of(course)
    labels = lesson_labels(course)
    sets: list[QuizSet] = []
    for lesson in lessons_in_order(course):
        questions = questions_of_lesson(course, lesson)
        if questions:
            sets.append(QuizSet(slugify(lesson.id, "lesson"), labels[lesson.id],
                                tuple(quiz_item(q, index) for q in questions)))
    placement = placement_items(course, index)
    if placement:
        sets.append(QuizSet(PLACEMENT_SLUG, f"Placement: where to start in {course.title}", tuple(placement)))
    return sets
