"""Multiple-choice rules, per item and across the course (length tell, answer position spread)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from coursegen.ir import Question
from coursegen.textnorm import content_words, words
from coursegen.validate.citations import quoted_words
from coursegen.validate.context import CheckContext
from coursegen.validate.findings import Finding, finding
from coursegen.validate.wording import is_all_of_the_above

MIN_OPTIONS, MAX_OPTIONS = 3, 5
# The correct option is a length tell when it is this much longer than every distractor.
LENGTH_TELL_RATIO = 1.5
MIN_LENGTH_GAP = 10  # characters: a few letters more is no tell
# Course-wide checks need a few items before a share means anything.
MIN_ITEMS_FOR_COURSE_CHECKS = 6
_NUMBER = re.compile(r"^\s*[-+]?[$€£]?\d[\d,.]*\s*(%|percent|x|k|m|b|bn|million|billion|thousand)?\s*$", re.I)


def _option_kind(option: str) -> str:
    return "number" if _NUMBER.match(option) else "term"


def check_mcq(question: Question, ctx: CheckContext) -> list[Finding]:
    """Per-item multiple-choice rules; assumes `answer` is an int (checked by the caller)."""
    qid, lesson = question.id, question.lesson
    options = question.options
    found: list[Finding] = []
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        found.append(finding("MCQ003", qid, f"{len(options)} options (3 to 5)", lesson))
    answer = question.answer
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(options):
        found.append(finding("MCQ001", qid, f"answer {answer!r} is not an option index", lesson))
        return found
    normalized = [" ".join(words(option)) for option in options]
    duplicates = sorted({text for text in normalized if normalized.count(text) > 1})
    if duplicates:
        found.append(finding("MCQ002", qid, f"options repeat after normalization: {duplicates[0]!r}", lesson))
    for option in options:
        if is_all_of_the_above(option):
            found.append(finding("MCQ004", qid, f"option {option!r}", lesson))
    correct = options[answer]
    distractors = [option for i, option in enumerate(options) if i != answer]
    longest = max((len(d) for d in distractors), default=0)
    gap = len(correct) - longest
    if distractors and len(correct) >= LENGTH_TELL_RATIO * longest and gap >= MIN_LENGTH_GAP:
        reason = f"correct option has {len(correct)} characters, distractors <= {longest}"
        found.append(finding("MCQ005", qid, reason, lesson))
    answer_words = set(content_words(correct))
    stem_words = set(content_words(question.stem))
    if answer_words and answer_words <= stem_words:
        found.append(finding("MCQ010", qid, f"stem contains the answer {correct!r}", lesson))
    kind = _option_kind(correct)
    odd = [d for d in distractors if _option_kind(d) != kind]
    if odd:
        found.append(finding("MCQ008", qid, f"distractor {odd[0]!r} is not a {kind} like the answer", lesson))
    if question.citations:
        # Only the cited sentences themselves: a neighbour may well mention a plausible distractor.
        evidence = quoted_words(question.citations, ctx)
        for distractor in distractors:
            own = set(content_words(distractor)) - stem_words
            if len(own) >= 2 and own <= evidence and not own <= answer_words:
                reason = f"distractor {distractor!r} is also supported by the quote"
                found.append(finding("MCQ009", qid, reason, lesson))
    return found


# Course-wide checks compare counts with what an unbiased course would show: for item i with
# n_i options, the correct option is the (unique) longest, or at position j, with probability
# 1/n_i. A count above the expectation by more than Z standard deviations (or a position used
# far less than expected) is a tell a learner can exploit without knowing the subject.
# One-sided 1%: a course whose options are fairly placed is flagged about once in a hundred.
LONGEST_Z = 2.33
# Every position is checked on both sides (over- and under-used); 2.81 is two-sided 0.5% per
# position, so a fairly shuffled course with 4 positions is flagged about 2% of the time.
POSITION_Z = 2.81
# Even a very large course may drift this far (share of its mcqs) before the check bites.
MIN_MARGIN_SHARE = 0.05


def _tolerance(probabilities: Sequence[float], z: float) -> tuple[float, float]:
    """(expected count, allowed deviation) of a sum of independent yes/no events."""
    expected = sum(probabilities)
    spread = math.sqrt(sum(p * (1 - p) for p in probabilities))
    return expected, max(z * spread, MIN_MARGIN_SHARE * len(probabilities))


def _scored_mcqs(questions: Sequence[Question]) -> list[tuple[int, list[str]]]:
    """(answer index, options) of every mcq whose answer is a valid index."""
    items: list[tuple[int, list[str]]] = []
    for q in questions:
        answer = q.answer
        if q.kind != "mcq" or isinstance(answer, bool) or not isinstance(answer, int):
            continue
        if len(q.options) >= 2 and 0 <= answer < len(q.options):
            items.append((answer, q.options))
    return items


def course_mcq_findings(questions: Sequence[Question], course_id: str) -> list[Finding]:
    """MCQ006 (correct option the longest more often than chance) and MCQ007 (positions uneven)."""
    items = _scored_mcqs(questions)
    found: list[Finding] = []
    if len(items) < MIN_ITEMS_FOR_COURSE_CHECKS:
        return found
    chances = [1 / len(options) for _, options in items]
    longest = 0
    for answer, options in items:
        lengths = [len(option) for option in options]
        if lengths[answer] == max(lengths) and lengths.count(max(lengths)) == 1:
            longest += 1
    expected, allowed = _tolerance(chances, LONGEST_Z)
    if longest > expected + allowed:
        found.append(
            finding(
                "MCQ006",
                course_id,
                f"correct option is the longest in {longest}/{len(items)} items"
                f" (chance: about {expected:.0f}, at most {math.floor(expected + allowed)} allowed)",
            )
        )
    positions = Counter(answer for answer, _ in items)
    # One finding per course, for the position furthest outside its allowed range.
    worst: tuple[float, int, float, float] | None = None
    for position in range(max(len(options) for _, options in items)):
        at = [1 / len(options) for _, options in items if len(options) > position]
        expected, allowed = _tolerance(at, POSITION_Z)
        excess = abs(positions.get(position, 0) - expected) / allowed
        if excess > 1 and (worst is None or excess > worst[0]):
            worst = (excess, position, expected, allowed)
    if worst is not None:
        _, position, expected, allowed = worst
        count = positions.get(position, 0)
        word = "often" if count > expected else "rarely"
        found.append(
            finding(
                "MCQ007",
                course_id,
                f"correct option is at position {position + 1} in {count}/{len(items)} items, too {word}"
                f" (chance: about {expected:.0f}, {max(0, math.ceil(expected - allowed))} to"
                f" {math.floor(expected + allowed)} allowed)",
            )
        )
    return found
