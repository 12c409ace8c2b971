"""Multiple-choice rules, per item and across the course (length tell, answer position spread)."""

from __future__ import annotations

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


def course_mcq_findings(questions: Sequence[Question], course_id: str) -> list[Finding]:
    """MCQ006 (correct option systematically the longest) and MCQ007 (position not spread)."""
    items = [
        q
        for q in questions
        if q.kind == "mcq"
        and isinstance(q.answer, int)
        and not isinstance(q.answer, bool)
        and 0 <= q.answer < len(q.options)
        and len(q.options) >= 2
    ]
    found: list[Finding] = []
    if len(items) < MIN_ITEMS_FOR_COURSE_CHECKS:
        return found
    expected = sum(1 / len(q.options) for q in items) / len(items)
    threshold = max(0.5, expected + 0.25)
    longest = 0
    for q in items:
        assert isinstance(q.answer, int)
        lengths = [len(option) for option in q.options]
        if lengths[q.answer] == max(lengths) and lengths.count(max(lengths)) == 1:
            longest += 1
    share = longest / len(items)
    if share > threshold:
        found.append(
            finding(
                "MCQ006",
                course_id,
                f"correct option is the longest in {longest}/{len(items)} items"
                f" (expected about {expected:.0%})",
            )
        )
    positions = Counter(int(q.answer) for q in items)
    position, count = positions.most_common(1)[0]
    if count / len(items) > threshold:
        found.append(
            finding(
                "MCQ007",
                course_id,
                f"correct option is at position {position + 1} in {count}/{len(items)} items",
            )
        )
    return found
