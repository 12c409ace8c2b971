"""Built-in per-item checks the build applies before writing (a subset of the validators' rules).

The validate package is the authority on a finished course; these checks let the build drop
an item that would fail, with a reason, instead of shipping it.
"""

from __future__ import annotations

import re

from coursegen.engines.extractive.text import content_words, is_stop, tokens
from coursegen.ir import Card, Citation, Course, Question

MIN_QUOTE_WORDS = 6
MAX_QUOTE_WORDS = 80
MAX_CARD_FRONT_WORDS = 30  # the rule says about 25 words of question; the prompt adds a few
MAX_CARD_ANSWER_WORDS = 15
BANNED_PHRASES = ("the speaker", "in this passage", "according to the text", "all of the above",
                  "none of the above", "both a and b")
CLOZE_RE = re.compile(r"\{\{c(\d+)::(.+?)(?:::[^}]*)?\}\}")


def citation_problems(citations: list[Citation]) -> list[str]:
    """Why these citations are unusable (empty list when fine)."""
    if not citations:
        return ["no citation"]
    problems = []
    for citation in citations:
        words = len(citation.quote.split())
        if words < MIN_QUOTE_WORDS:
            problems.append(f"quote too short ({words} words)")
        elif words > MAX_QUOTE_WORDS:
            problems.append(f"quote too long ({words} words)")
    return problems


def _supported(answer: str, citations: list[Citation]) -> bool:
    """The answer's content words appear in the quoted sentences."""
    quoted = " ".join(c.quote for c in citations).lower()
    words = content_words(answer) or [w.lower() for w in tokens(answer)]
    return all(w in quoted for w in words)


def question_problems(question: Question) -> list[str]:
    """Why a question would fail validation (empty list when fine)."""
    problems = citation_problems(question.citations)
    stem = question.stem.lower()
    if any(p in stem for p in BANNED_PHRASES):
        problems.append("stem uses a banned phrase")
    if question.kind == "mcq":
        normal = {re.sub(r"\W+", " ", o.lower()).strip() for o in question.options}
        if not 3 <= len(question.options) <= 5:
            problems.append(f"{len(question.options)} options (3-5 needed)")
        elif len(normal) != len(question.options):
            problems.append("options not distinct")
        if not isinstance(question.answer, int) or isinstance(question.answer, bool) or not (
            0 <= question.answer < len(question.options)
        ):
            problems.append("answer is not an option index")
        else:
            correct = question.options[question.answer]
            if re.search(rf"\b{re.escape(correct.lower())}\b", stem):
                problems.append("stem contains the answer")
            if not _supported(correct, question.citations):
                problems.append("answer not in the cited sentences")
    elif question.kind == "cloze":
        answer = str(question.answer)
        if re.search(rf"\b{re.escape(answer.lower())}\b", stem):
            problems.append("stem gives the answer away")
        if not _supported(answer, question.citations):
            problems.append("answer not in the cited sentences")
    elif question.kind == "true_false" and not isinstance(question.answer, bool):
        problems.append("true/false answer is not a boolean")
    return problems


def card_problems(card: Card) -> list[str]:
    """Why a card would fail validation (empty list when fine)."""
    problems = citation_problems(card.citations)
    front = card.front.lower()
    if any(p in front for p in BANNED_PHRASES):
        problems.append("front uses a banned phrase")
    if card.kind == "basic":
        if len(card.front.split()) > MAX_CARD_FRONT_WORDS:
            problems.append("front too long")
        if not card.back or len(card.back.split()) > MAX_CARD_ANSWER_WORDS:
            problems.append("answer empty or too long")
        elif not _supported(card.back, card.citations):
            problems.append("answer not in the cited sentences")
    else:
        deletions = CLOZE_RE.findall(card.front)
        if not deletions:
            problems.append("no valid cloze deletion")
        for _, deleted in deletions:
            if all(is_stop(w) for w in tokens(deleted)):
                problems.append(f"cloze deletes a stop word ({deleted})")
            rest = CLOZE_RE.sub("", card.front).lower()
            if re.search(rf"\b{re.escape(deleted.lower())}\b", rest):
                problems.append("cloze deletion given away by the rest of the text")
        if len(CLOZE_RE.sub(r"\2", card.front).split()) > MAX_CARD_FRONT_WORDS:
            problems.append("cloze text too long")
    return problems


def course_check_summary(course: Course) -> dict[str, object]:
    """Counts of the built-in checks over a whole course (used when the validate package is absent)."""
    citations = [c for b in (l.blocks for l in course.lessons) for block in b for c in block.citations]
    citations += [c for q in course.questions for c in q.citations]
    citations += [c for card in course.cards for c in card.citations]
    bad = sum(1 for c in citations if citation_problems([c]))
    errors = sum(1 for q in course.questions if question_problems(q)) + sum(1 for c in course.cards if card_problems(c))
    return {
        "checker": "built-in item checks (validate package not installed)",
        "citations": len(citations),
        "citation_validity": 1.0 if not citations else round((len(citations) - bad) / len(citations), 4),
        "errors": errors,
    }
