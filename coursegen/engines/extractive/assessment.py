"""The assessment stage: questions (mcq, cloze, true/false, short) and cards built from cited speech.

Distractors come from other terms of the same kind that the learner has already met or that
are not course concepts at all, so options never name a concept taught later. Both come from
the lesson's own slice of the course (coursegen.lesson_scope: concepts the lesson touches, terms
of the episodes it cites), so a concept added elsewhere does not change a lesson's questions.
"""

from __future__ import annotations

import re

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.lessons import usable_evidence
from coursegen.engines.extractive.mentions import MentionFinder, finder_for
from coursegen.engines.extractive.text import content_words, normal, tidy, tokens, zipf
from coursegen.engines.types import (
    CardDraft,
    Cite,
    GraphConcept,
    LessonAssessment,
    LessonDraft,
    LessonPlan,
    QuestionDraft,
)
from coursegen.fsutil import sha256_text

BLANK = "_____"
MAX_STEM_WORDS = 45
MAX_CARD_WORDS = 25
MAX_CARDS_PER_CONCEPT = 8


def _digest(*parts: str) -> str:
    return sha256_text("|".join(parts))[:8]


def _blank_out(text: str, pattern: re.Pattern[str]) -> str | None:
    """The text with every mention blanked, or None when there is no mention."""
    blanked, count = pattern.subn(BLANK, text)
    return blanked if count else None


def _distractors(
    concept: GraphConcept, context: LessonContext, finder: MentionFinder, allowed: set[str], count: int
) -> list[str]:
    """Same-kind names the learner has met, then other terms that are not course concepts."""
    by_id = {c.id: c for c in context.graph.concepts}
    taught = [by_id[cid] for cid in sorted(allowed) if cid in by_id and cid != concept.id]
    same_kind = [c.name for c in taught if c.kind == concept.kind]
    other_kind = [c.name for c in taught if c.kind != concept.kind]
    outside = [t for t in context.graph.terms if not finder.concepts_in(t)]
    target = len(concept.name)
    answer_words = {normal(w) for n in (concept.name, *concept.aliases) for w in tokens(n)}
    pool: list[str] = []
    for group in (same_kind, other_kind, outside):
        # Closest in length first, so the answer is not the odd one out by length.
        for name in sorted(group, key=lambda n: (abs(len(n) - target), n)):
            lowered = {p.lower() for p in pool} | {concept.name.lower()}
            # No shared word with the answer: "capability" would also fit where "model
            # capabilities" belongs, making a second correct option.
            shares = {normal(w) for w in tokens(name)} & answer_words
            if name.lower() not in lowered and not shares:
                pool.append(name)
    return pool[:count]


def _rotate(options: list[str], answer: str, seed: str) -> tuple[list[str], int]:
    """Place the answer at a position spread evenly by the item's id (deterministic)."""
    others = [o for o in options if o != answer]
    position = int(seed, 16) % (len(others) + 1)
    ordered = others[:position] + [answer] + others[position:]
    return ordered, position


# Word endings of adverbs, adjectives and verb forms: a poor thing to ask a learner to recall.
_WEAK_ENDINGS = (
    "ly",
    "ing",
    "ed",
    "ent",
    "ant",
    "ive",
    "ous",
    "ful",
    "able",
    "ible",
    "est",
    "'s",
    "ate",
    "ize",
    "ise",
    "ent",
)


def _other_word(
    text: str, concept: GraphConcept, terms: list[str], avoid: frozenset[str] = frozenset()
) -> str | None:
    """What a cloze card on this sentence deletes, other than the concept's own name.

    A technical term of the course is best ("{{c1::gradient descent}}"), else the rarest
    noun-like word; never a word the rest of the sentence repeats.
    """
    # Words of any concept's name: deleting half of "gradient descent" tests nothing.
    name_words = {w.lower() for n in (concept.name, *concept.aliases) for w in tokens(n)} | avoid
    lowered = text.lower()
    for term in terms:
        if set(term.lower().split()) & name_words:
            continue
        if len(re.findall(rf"\b{re.escape(term.lower())}\b", lowered)) == 1:
            return term
    words = [
        w
        for w in dict.fromkeys(content_words(text))
        if w not in name_words
        and len(w) > 4
        and "'" not in w
        and not w.endswith(_WEAK_ENDINGS)
        and zipf(w) <= 5.0
    ]
    words = [w for w in words if len(re.findall(rf"\b{re.escape(w)}\b", text, re.I)) == 1]
    if not words:
        return None
    return min(words, key=lambda w: (zipf(w), w))


def assess_lesson(plan: LessonPlan, draft: LessonDraft, context: LessonContext) -> LessonAssessment:
    """Questions and cards for every concept of a lesson, each citing the sentences it tests."""
    del draft  # the extractive engine tests the evidence directly, not the lesson prose
    by_id = {c.id: c for c in context.graph.concepts}
    finder = finder_for(context.graph)
    allowed = set(context.taught_before) | set(plan.concepts)
    questions: list[QuestionDraft] = []
    cards: list[CardDraft] = []
    for concept in (by_id[cid] for cid in plan.concepts):
        pattern = finder.pattern(concept.id)
        # Statements only: a question the host asked is not a fact to recall or judge.
        statements = [
            (c, t)
            for c, t in usable_evidence(concept, context, finder, allowed)
            if not t.rstrip().endswith("?")
        ]
        # Questions quote whole sentences, so they need short ones; cards quote a clause of any.
        # Whole sentences (ending in . or !) before caption fragments, order kept otherwise.
        evidence = sorted(
            ((c, t) for c, t in statements if len(tokens(t)) <= MAX_STEM_WORDS),
            key=lambda item: not item[1].rstrip().endswith((".", "!")),
        )
        questions.extend(_questions(concept, evidence, pattern, context, finder, allowed))
        avoid = frozenset(
            w.lower() for c in context.graph.concepts for n in (c.name, *c.aliases) for w in tokens(n)
        )
        cards.extend(_cards(concept, statements, pattern, _cloze_terms(context, allowed, concept), avoid))
    return LessonAssessment(lesson=plan.id, questions=questions, cards=cards)


def _questions(
    concept: GraphConcept,
    evidence: list[tuple[Cite, str]],
    pattern: re.Pattern[str],
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
) -> list[QuestionDraft]:
    items: list[QuestionDraft] = []
    blanked = [(cite, text, b) for cite, text in evidence if (b := _blank_out(text, pattern))]
    distractors = _distractors(concept, context, finder, allowed, 3)
    cid = concept.id
    if blanked and len(distractors) >= 2:
        cite, text, stem_text = blanked[0]
        qid = f"{cid}-mcq-{_digest(*cite.sentence_ids)}"
        options, answer = _rotate([concept.name, *distractors], concept.name, qid[-8:])
        items.append(
            QuestionDraft(
                id=qid,
                concept=cid,
                kind="mcq",
                stem=f'Which term completes the statement? "{stem_text}"',
                options=options,
                answer=answer,
                explanation=f'The source says: "{text}"',
                cites=[cite],
                bloom="remember",
                difficulty=1,
                fact=f"term:{','.join(cite.sentence_ids)}",
            )
        )
    if len(blanked) >= 2:
        cite, text, stem_text = blanked[1]
        items.append(
            QuestionDraft(
                id=f"{cid}-cloze-{_digest(*cite.sentence_ids)}",
                concept=cid,
                kind="cloze",
                stem=f'Fill in the blank: "{stem_text}"',
                answer=concept.name,
                explanation=f'The source says: "{text}"',
                cites=[cite],
                bloom="remember",
                difficulty=2,
                fact=f"cloze:{','.join(cite.sentence_ids)}",
            )
        )
    if evidence:
        cite, text = evidence[min(2, len(evidence) - 1)]
        items.append(
            QuestionDraft(
                id=f"{cid}-tf-{_digest(*cite.sentence_ids)}",
                concept=cid,
                kind="true_false",
                stem=text,
                answer=True,
                explanation=f"True: this is what the source says about {concept.name}.",
                cites=[cite],
                bloom="understand",
                difficulty=2,
                fact=f"tf-true:{','.join(cite.sentence_ids)}",
            )
        )
    if len(blanked) >= 1 and distractors:
        # A statement naming the concept once, with that name swapped for a same-kind term:
        # plausible, and false according to the source (which the explanation quotes).
        once = [b for b in blanked if len(pattern.findall(b[1])) == 1]
        cite, text, _ = (once or blanked)[-1]
        swapped = pattern.sub(distractors[0], text)
        items.append(
            QuestionDraft(
                id=f"{cid}-tff-{_digest(*cite.sentence_ids)}",
                concept=cid,
                kind="true_false",
                stem=swapped,
                answer=False,
                explanation=text,
                cites=[cite],
                bloom="understand",
                difficulty=3,
                fact=f"tf-false:{','.join(cite.sentence_ids)}",
            )
        )
    if not evidence and concept.evidence:
        # The model answer is the speakers' words; only the stem is course text.
        evidence = [(concept.evidence[0], tidy(context.sources.text(concept.evidence[0].sentence_ids)))]
    if evidence:
        cite, text = evidence[0]
        items.append(
            QuestionDraft(
                id=f"{cid}-short-{_digest(*cite.sentence_ids)}",
                concept=cid,
                kind="short",
                stem=f"Explain {concept.name} in your own words, as if to a friend new to the field.",
                answer=text,
                explanation="A good answer covers the points of the quoted passage.",
                cites=[cite],
                bloom="understand",
                difficulty=3,
                fact=f"explain:{','.join(cite.sentence_ids)}",
            )
        )
    return items


def window(text: str, target: re.Pattern[str], max_words: int = MAX_CARD_WORDS) -> str | None:
    """The clause(s) of a sentence around a match, at most `max_words` words (… marks a cut)."""
    match = target.search(text)
    if match is None:
        return None
    if len(text.split()) <= max_words:
        return text
    # Clauses end at , ; : or a dash; grow outwards from the clause holding the match.
    bounds = [0] + [m.end() for m in re.finditer(r"[,;:]\s+|\s+[-–—]\s+", text)] + [len(text)]
    index = max(i for i in range(len(bounds) - 1) if bounds[i] <= match.start())
    lo, hi = index, index + 1
    while True:
        grown = False
        for new_lo, new_hi in ((lo, hi + 1), (lo - 1, hi)):
            if (
                new_lo >= 0
                and new_hi < len(bounds)
                and len(text[bounds[new_lo] : bounds[new_hi]].split()) <= max_words
            ):
                lo, hi, grown = new_lo, new_hi, True
                break
        if not grown:
            break
    piece = text[bounds[lo] : bounds[hi]].strip(" ,;:-–—")
    words = piece.split()
    if len(words) > max_words:
        # One long clause: a word window centred on the match.
        before = len(text[bounds[lo] : match.start()].split())
        start = max(0, min(before - max_words // 2, len(words) - max_words))
        piece = " ".join(words[start : start + max_words])
        if not target.search(piece):
            return None
        lo_cut, hi_cut = start > 0, start + max_words < len(words)
    else:
        lo_cut, hi_cut = lo > 0, hi < len(bounds) - 1
    return ("… " if lo_cut else "") + piece + (" …" if hi_cut else "")


def _window_with_both(text: str, target: re.Pattern[str], concept: re.Pattern[str]) -> str | None:
    """A clause window holding the deletion and the concept's name, so the card is about the concept."""
    piece = window(text, target)
    if piece is not None and concept.search(piece):
        return piece
    hit, name = target.search(text), concept.search(text)
    if hit is None or name is None:
        return None
    start, end = min(hit.start(), name.start()), max(hit.end(), name.end())
    words_before = text[:start].split()
    span = text[start:end].split()
    if len(span) > MAX_CARD_WORDS:
        return None
    # Grow evenly around the span up to the word budget.
    room = MAX_CARD_WORDS - len(span)
    before = words_before[-(room // 2) :] if room // 2 else []
    after = text[end:].split()[: room - len(before)]
    cut_lo = len(before) < len(words_before)
    cut_hi = len(after) < len(text[end:].split())
    body = " ".join([*before, text[start:end], *after])
    return ("… " if cut_lo else "") + body + (" …" if cut_hi else "")


def _cloze_terms(context: LessonContext, allowed: set[str], concept: GraphConcept) -> list[str]:
    """Technical terms a cloze may delete: the episodes' terms that are not course concepts.

    Concept names are left out: they are the answers of the concepts' own term cards, and two
    cards with the same answer interfere.
    """
    del allowed, concept
    finder = finder_for(context.graph)
    return sorted((t for t in context.graph.terms if not finder.concepts_in(t)), key=lambda n: (-len(n), n))


def _cards(
    concept: GraphConcept,
    evidence: list[tuple[Cite, str]],
    pattern: re.Pattern[str],
    terms: list[str],
    avoid: frozenset[str] = frozenset(),
) -> list[CardDraft]:
    cards: list[CardDraft] = []
    cid = concept.id
    term_done = False
    for cite, text in evidence[: MAX_CARDS_PER_CONCEPT + 1]:
        key = ",".join(cite.sentence_ids)
        if not term_done:
            piece = window(text, pattern, MAX_CARD_WORDS - 5)
            if piece is not None:
                # Test the term: which idea does this statement describe?
                term_done = True
                cards.append(
                    CardDraft(
                        id=f"{cid}-card-term-{_digest(key)}",
                        concept=cid,
                        kind="basic",
                        front=f'Which term fills the blank? "{pattern.sub(BLANK, piece)}"',
                        back=concept.name,
                        cites=[cite],
                        fact="term",
                    )
                )
                continue
        word = _other_word(text, concept, terms, avoid)
        if word is None:
            continue
        target = re.compile(rf"\b{re.escape(word)}\b", re.I)
        piece = _window_with_both(text, target, pattern)
        if piece is None:
            continue
        # Test a fact about the concept, not its name (varies what cards ask).
        cloze = target.sub(lambda m: "{{c1::" + m.group(0) + "}}", piece, count=1)
        cards.append(
            CardDraft(
                id=f"{cid}-card-cloze-{_digest(key, word)}",
                concept=cid,
                kind="cloze",
                front=cloze,
                back="",
                cites=[cite],
                fact=f"cloze:{word.lower()}",
            )
        )
    return cards
