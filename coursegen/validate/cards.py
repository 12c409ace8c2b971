"""Card rules: minimum information, no enumerations, self-contained, cloze quality, interference."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from coursegen.ir import Card
from coursegen.textnorm import content_words, words
from coursegen.validate.citations import citation_findings, support_finding
from coursegen.validate.context import CheckContext
from coursegen.validate.findings import Finding, finding, with_episode
from coursegen.validate.ramp import item_concept_finding, text_forward_findings
from coursegen.validate.wording import (
    cloze_deletions,
    cloze_rest,
    enumeration,
    is_list_answer,
    is_stop_phrase,
    not_self_contained,
)

MAX_ANSWER_WORDS = 15
MAX_QUESTION_WORDS = 25
NEAR_DUPLICATE_SCORE = 92.0


def card_question(card: Card) -> str:
    """What the card asks: the front, or a cloze's text with its deletions removed."""
    return cloze_rest(card.front) if card.kind == "cloze" else card.front


def card_answer(card: Card) -> str:
    """What the card expects: the back, or a cloze's deleted text."""
    if card.kind == "cloze":
        deletions = cloze_deletions(card.front)
        return " ".join(text for _, text in deletions) if isinstance(deletions, list) else ""
    return card.back


def check_card(card: Card, ctx: CheckContext) -> list[Finding]:
    """Every per-card rule (course-wide interference is checked by card_interference)."""
    lesson = card.lesson
    found = citation_findings(card.id, card.citations, ctx, lesson)
    if not card.front.strip() or (card.kind == "basic" and not card.back.strip()):
        found.append(finding("CARD012", card.id, "empty question or answer", lesson))
        return with_episode(found, card.citations)
    question = card_question(card)
    if card.kind == "cloze" and any("{{" in c.quote or "}}" in c.quote for c in card.citations):
        # A speaker's "{{c1::boom}}" in the front would be one more deletion in Anki: the card
        # could not tell the transcript's braces from its own (a basic card's fields escape them).
        reason = "the cited quote holds {{…}} (cloze syntax): a cloze on it would delete the speaker's words"
        found.append(finding("CARD014", card.id, reason, lesson))
        return with_episode(found, card.citations)
    if card.kind == "cloze":
        deletions = cloze_deletions(card.front)
        if isinstance(deletions, str):
            found.append(finding("CARD006", card.id, deletions, lesson))
            return with_episode(found, card.citations)
        rest = set(content_words(question))
        for number, deleted in deletions:
            if is_stop_phrase(deleted):
                reason = f"c{number} deletes only stop words: {deleted!r}"
                found.append(finding("CARD007", card.id, reason, lesson))
            elif set(content_words(deleted)) <= rest:
                reason = f"c{number} {deleted!r} is repeated in the rest of the text"
                found.append(finding("CARD008", card.id, reason, lesson))
    answer = card_answer(card)
    answer_words = len(words(answer))
    if answer_words > MAX_ANSWER_WORDS:
        found.append(finding("CARD001", card.id, f"answer has {answer_words} words (at most 15)", lesson))
    if card.kind == "basic" and is_list_answer(answer):
        found.append(finding("CARD002", card.id, "answer is a list; split it into cloze deletions", lesson))
    phrase = enumeration(question)
    if phrase:
        found.append(finding("CARD003", card.id, f"enumeration question ({phrase!r})", lesson))
    question_words = len(words(question))
    if question_words > MAX_QUESTION_WORDS:
        found.append(finding("CARD004", card.id, f"question has {question_words} words (at most 25)", lesson))
    phrase = not_self_contained(card.front + " " + card.back)
    if phrase:
        found.append(finding("CARD005", card.id, f"not self-contained ({phrase!r})", lesson))
    supported = support_finding(
        card.id, answer, card.citations, ctx, exclude=question if card.kind == "basic" else "", lesson=lesson
    )
    if supported:
        found.append(supported)
    found.extend(item_concept_finding(card.id, card.concept, card.lesson, ctx))
    if card.kind == "basic":
        found.extend(text_forward_findings(card.id, [card.front], lesson, ctx, card.citations))
    return with_episode(found, card.citations)


def _normalized(text: str) -> str:
    return " ".join(words(text))


def _near_duplicates(texts: Sequence[str]) -> list[tuple[int, int, float]]:
    """Pairs (i < j) of texts whose similarity reaches NEAR_DUPLICATE_SCORE."""
    pairs: list[tuple[int, int, float]] = []
    if len(texts) < 2:
        return pairs
    for i in range(len(texts) - 1):
        if not texts[i]:
            continue
        later = texts[i + 1 :]
        # extract runs the comparisons in C; the cutoff lets it skip most pairs by length alone
        for _, score, offset in process.extract(
            texts[i], later, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_SCORE, limit=None
        ):
            if later[offset]:
                pairs.append((i, i + 1 + offset, float(score)))
    return pairs


def card_interference(cards: Sequence[Card]) -> list[Finding]:
    """Near-identical questions or answers across the course; answers that are other cards' questions."""
    found: list[Finding] = []
    questions = [_normalized(card_question(card)) for card in cards]
    answers = [_normalized(card_answer(card)) for card in cards]
    for i, j, score in _near_duplicates(questions):
        found.append(
            finding("CARD009", cards[j].id, f"question {score:.0f}% like card {cards[i].id}", cards[j].lesson)
        )
    for i, j, score in _near_duplicates(answers):
        found.append(
            finding("CARD010", cards[j].id, f"answer {score:.0f}% like card {cards[i].id}", cards[j].lesson)
        )
    first_with_identity: dict[str, str] = {}
    for card in cards:
        first = first_with_identity.setdefault(card.identity, card.id)
        if first != card.id:
            reason = f"same identity as card {first} (same concept and cited fact)"
            found.append(finding("CARD013", card.id, reason, card.lesson))
    by_question = {text: card.id for text, card in zip(questions, cards, strict=True) if text}
    for text, card in zip(answers, cards, strict=True):
        other = by_question.get(text)
        if text and other is not None and other != card.id:
            found.append(finding("CARD011", card.id, f"answer is the question of card {other}", card.lesson))
    return found
