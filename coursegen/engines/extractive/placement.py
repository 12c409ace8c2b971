"""The placement quiz: a few items spread over the ramp that tell a learner where to start."""

from __future__ import annotations

import re

from coursegen.engines.extractive.assessment import BLANK, LOOSE_FACT
from coursegen.engines.extractive.defining import explains_idea
from coursegen.engines.extractive.speech import definition_score, garbled_speech
from coursegen.engines.extractive.text import content_words, normal, normal_phrase, tokens
from coursegen.engines.types import LessonAssessment, LessonPlan, PlacementChoice, QuestionDraft, RampPlan

PLACEMENT_SIZE = 8
# Word stems shorter than this say too little to give an answer away ("ai", "rl").
_MIN_GIVEAWAY_STEM = 4


def place(ramp: RampPlan, assessments: list[LessonAssessment]) -> list[PlacementChoice]:
    """One item from lessons spread evenly over the ramp, first and last included.

    A newcomer who misses the first is sent to lesson 1; one who answers the items of the last
    lessons too skips what they know. A spot whose lesson has no good item moves to a neighbour
    that has one. A missed item sends the learner to the lesson right after the one the
    previous item tested, not to its own lesson: the lessons in between were never tested, and
    skipping them would skip prerequisites of the lesson the item tests.
    """
    by_lesson = {a.lesson: a for a in assessments}
    ideas = course_ideas(assessments)
    lessons = [plan for plan in ramp.lessons if plan.id in by_lesson]
    if not lessons:
        return []
    count = min(PLACEMENT_SIZE, len(lessons))
    spots = sorted({round(i * (len(lessons) - 1) / max(1, count - 1)) for i in range(count)})
    choices: list[PlacementChoice] = []
    next_untested = 0  # the first lesson after the one the previous item tests
    for spot in spots:
        pick = _nearest_pick(spot, lessons, by_lesson, next_untested, ideas)
        if pick is None:
            continue
        index, question = pick
        start = lessons[min(index, next_untested)].id
        choices.append(PlacementChoice(question_id=question.id, start_lesson=start))
        next_untested = index + 1
    return choices


def _nearest_pick(
    spot: int,
    lessons: list[LessonPlan],
    by_lesson: dict[str, LessonAssessment],
    first_free: int,
    ideas: frozenset[str] = frozenset(),
) -> tuple[int, QuestionDraft] | None:
    """The best item of this lesson, the next or the one before, the nearest on a tie.

    The first spot may move only to lesson 2: a newcomer who misses its item still starts at
    lesson 1 (nothing before it was tested), and one who knows lesson 2 knows what it builds on.
    Lesson 1 of the seeds had only a garbled item ("You work on _____ so that one is one that I
    feel like there's a path ..."), the first thing the quiz showed. Only lessons from
    `first_free` on (after the one the previous item tests) are taken, so the items keep the
    ramp's order and none tests a lesson twice.
    """
    moves = (0, 1) if spot == 0 else (spot, spot + 1, spot - 1)
    ranked: list[tuple[int, int, int, QuestionDraft]] = []
    for distance, index in enumerate(moves):
        if not first_free <= index < len(lessons):
            continue
        item = placement_item(by_lesson[lessons[index].id], ideas)
        if item is not None:
            ranked.append((_weakness(item, ideas), distance, index, item))
    if not ranked:
        return None
    _, _, index, item = min(ranked, key=lambda entry: entry[:3])
    return index, item


def placement_item(assessment: LessonAssessment, ideas: frozenset[str] = frozenset()) -> QuestionDraft | None:
    """A lesson's item that best tells who knows its idea (the first on a tie), or None."""
    items = [q for q in assessment.questions if q.kind != "short"]
    # Among equally weak items, the one whose sentence best says what its answer is.
    return min(items, key=lambda item: (_weakness(item, ideas), -_clarity(item))) if items else None


def course_ideas(assessments: list[LessonAssessment]) -> frozenset[str]:
    """The course's ideas as its choices write them (every multiple choice's right option, its
    article and plural folded): what a wrong option should be for a quiz a newcomer cannot pass
    by striking out strangers."""
    return frozenset(_idea_key(_answer_text(q)) for a in assessments for q in a.questions if q.kind == "mcq")


def _idea_key(option: str) -> str:
    words = tokens(option)
    if words and words[0].lower() in ("a", "an"):
        words = words[1:]
    return normal_phrase(words)


# Each wrong option that is no idea of the course weakens an item by one, up to this many.
MAX_STRANGERS = 2


def strangers(item: QuestionDraft, ideas: frozenset[str]) -> int:
    """How many wrong options of a choice are no idea of the course ("compilers", "file systems"
    among "tokens", "parameters"): readers struck those out at a glance and guessed the rest."""
    if item.kind != "mcq" or not ideas or not isinstance(item.answer, int):
        return 0
    wrong = [o for i, o in enumerate(item.options) if i != item.answer]
    return sum(_idea_key(o) not in ideas for o in wrong)


def _weakness(item: QuestionDraft, ideas: frozenset[str] = frozenset()) -> int:
    """How poorly an item tells who knows the idea from who reads English well (0 = best).

    A multiple choice beats a true/false (a coin guesses half of those) and a typed cloze (the
    placement page scores exact words); a fairly judged item beats a loosely judged one; an
    answer the stem gives away ("what each expert does and ___ models" → mixture of experts) is
    the worst: it tests reading, not knowing. Wrong options that are no idea of the course
    (`ideas`, see strangers) are struck out at a glance, which leaves a coin to toss.
    """
    kind_rank = {"mcq": 0, "cloze": 2, "true_false": 2}.get(item.kind, 3)
    loose = 1 if item.fact.startswith(LOOSE_FACT) else 0
    unclear = 3 * reads_garbled(item)
    fillers = min(MAX_STRANGERS, strangers(item, ideas))
    return (
        10 * repeats_answer_word(item)
        + kind_rank
        + loose
        + 2 * (not explains_its_answer(item))
        + unclear
        + fillers
    )


_NOTHING = re.compile(r"(?!)")
_QUOTED = re.compile(r'"([^"]*' + re.escape(BLANK) + r'[^"]*)"')


def explains_its_answer(item: QuestionDraft) -> bool:
    """True when the completed sentence says what its answer is or does (defining.explains_idea).

    "Only a few experts run for each token in a _____" asks what the idea is; "You work on _____
    so that one ..." asks which word a speaker said, which a newcomer can guess as well as an
    expert. Items without a blank (a true/false) are not credited.
    """
    names_it = _names(item)
    if BLANK not in item.stem or names_it is None:
        return False
    return explains_idea(_completed_sentence(item), names_it) > 0


def reads_garbled(item: QuestionDraft) -> bool:
    """True when the item's sentence, completed, is a run-on, a restart or broken captions
    (speech.garbled_speech): the first screen of the quiz a newcomer sees should read cleanly,
    and a sentence nobody can parse tests nothing."""
    sentence = _completed_sentence(item)
    # A true/false has no answer word: every word of its claim counts as content.
    names_it = _names(item) or _NOTHING
    return bool(sentence) and garbled_speech(sentence, names_it, cased=False)


def _clarity(item: QuestionDraft) -> float:
    """How well the completed sentence reads as a statement of what its answer is
    (speech.definition_score; 0 for an item without an answer word)."""
    names_it = _names(item)
    return definition_score(_completed_sentence(item), names_it) if names_it else 0.0


def _names(item: QuestionDraft) -> re.Pattern[str] | None:
    answer = _answer_text(item)
    return re.compile(r"(?<!\w)" + re.escape(answer) + r"(?!\w)", re.I) if answer.strip() else None


def _completed_sentence(item: QuestionDraft) -> str:
    """The speaker's sentence with the answer in its blanks (the stem itself for a true/false).

    The speaker's sentence is the stem's quoted part ('Which term completes ...? "..."')."""
    if BLANK not in item.stem:
        return item.stem
    quoted = _QUOTED.search(item.stem)
    return (quoted.group(1) if quoted else item.stem).replace(BLANK, _answer_text(item))


def repeats_answer_word(item: QuestionDraft) -> bool:
    """True when a content word of the answer appears (in any plural form) elsewhere in the stem."""
    answer = _answer_text(item)
    stems = {normal(w) for w in content_words(answer) if len(normal(w)) >= _MIN_GIVEAWAY_STEM}
    if not stems:
        return False
    told = {normal(w) for w in content_words(item.stem)}
    return bool(stems & told)


def _answer_text(item: QuestionDraft) -> str:
    if item.kind == "mcq" and isinstance(item.answer, int) and 0 <= item.answer < len(item.options):
        return item.options[item.answer]
    return item.answer if isinstance(item.answer, str) else ""
