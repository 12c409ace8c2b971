"""The lesson stage: problem → prediction (+ reveal) → core idea → nuance, all from cited speech."""

from __future__ import annotations

import re

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.mentions import MentionFinder, finder_for
from coursegen.engines.extractive.speech import (
    _STUTTER,
    chatter,
    clean_lead,
    explains_score,
    frame,
    is_pain,
    statement_score,
)
from coursegen.engines.extractive.text import content_words, tidy, tokens
from coursegen.engines.types import BlockDraft, Cite, GraphConcept, LessonDraft, LessonPlan

# The first block states the core idea and stays short (principle 6 of the ramp).
CORE_BLOCK_MAX_WORDS = 60
EXPLAINING_CORE_EXTRA_WORDS = 15
NUANCE_BLOCKS_PER_CONCEPT = 2
# How many of a concept's ranked evidence sentences compete for the core-idea slot.
CORE_CANDIDATES = 8
# Below this statement score a further quote adds chatter, not understanding.
MIN_NUANCE_SCORE = 3.0
MIN_NUANCE_EXPLAINS = -2.5
# A question from the conversation makes a good opening only when it is not mostly filler.
MAX_PROBLEM_CHATTER = 0.12
# Longer questions ramble; the opening should state the difficulty briefly.
MAX_PROBLEM_WORDS = 28
MIN_PROBLEM_CONTENT = 3
# A difficulty a speaker names opens the lesson only when it reads as a clear statement.
MIN_PAIN_SCORE = 3.0


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def usable_evidence(
    concept: GraphConcept, context: LessonContext, finder: MentionFinder, allowed: set[str]
) -> list[tuple[Cite, str]]:
    """The concept's evidence as (cite, tidied quote), self-contained quotes first.

    Quotes are the speakers' words and may name anything; the course always shows them in
    double quotes. Still, a quote that names no idea the learner has yet to meet reads better,
    so those come first (in their evidence order), then the rest.
    """
    own: list[tuple[Cite, str]] = []
    ahead: list[tuple[Cite, str]] = []
    for cite in concept.evidence:
        text = tidy(context.sources.text(cite.sentence_ids)).replace('"', "'")
        if not text:
            continue
        (own if finder.only_uses(text, allowed) else ahead).append((cite, text))
    return own + ahead


def _problem(
    concepts: list[GraphConcept],
    context: LessonContext,
    finder: MentionFinder,
    allowed: set[str],
    avoid: set[str],
) -> str:
    """The pain before the idea: a clear question from the conversation, else a difficulty a
    speaker names, else a question, else a prompt built from the episode's title."""
    first = concepts[0]
    questions: list[tuple[GraphConcept, str]] = []
    for concept in concepts:
        for cite in concept.problems:
            question = clean_lead(tidy(context.sources.text(cite.sentence_ids)))
            if question and finder.only_uses(question, allowed):
                questions.append((concept, question))
    # A long, rambling question ("I'm curious, does that feel like a fair characterization of of
    # what's happening today or and and yeah, ...") is a poor opening; a short clear one is good.
    clear = [
        q
        for q in questions
        if chatter(q[1]) <= MAX_PROBLEM_CHATTER
        and not _tag_question(q[1])
        and len(tokens(q[1])) <= MAX_PROBLEM_WORDS
        and not _STUTTER.search(q[1])
        and len(content_words(q[1])) >= MIN_PROBLEM_CONTENT
    ]
    if clear:
        return _question_opening(*clear[0])
    pains: list[tuple[float, int, GraphConcept, str]] = []
    for order, concept in enumerate(concepts):
        names_it = finder.pattern(concept.id)
        for cite, text in usable_evidence(concept, context, finder, allowed):
            if avoid & set(cite.sentence_ids) or text.rstrip().endswith("?"):
                continue
            if not finder.only_uses(text, allowed):
                continue
            body = clean_lead(text)
            score = statement_score(text, names_it)
            if is_pain(body) and names_it.search(body) and score >= MIN_PAIN_SCORE:
                pains.append((-score, order, concept, body))
    if pains:
        # The clearest statement of a difficulty, the lesson's first concept on a tie.
        _, _, concept, body = min(pains, key=lambda p: (p[0], p[1]))
        return (
            f'Start with the difficulty. A speaker says: "{body}" '
            f"What is going on here, and what would you need to understand about "
            f"{concept.name} to deal with it?"
        )
    # "It meta it pre-training, right?" is short but says nothing: a question needs content.
    plain = [
        q
        for q in questions
        if len(tokens(q[1])) <= MAX_PROBLEM_WORDS
        and chatter(q[1]) <= 0.2
        and len(content_words(q[1])) >= MIN_PROBLEM_CONTENT
    ]
    if plain:
        return _question_opening(*plain[0])
    episode = context.sources.episodes.get(first.evidence[0].episode) if first.evidence else None
    # A title that is only a file name ("000_293b...") says nothing to a learner.
    named = episode is not None and " " in episode.title.strip()
    where = f' in "{episode.title.strip()}"' if named and episode is not None else ""
    return (
        f"The conversation{where} keeps returning to {first.name} without stopping to define the term. "
        f"Before reading on: what problem do you think it addresses, and what would go wrong "
        f"for someone who did not have it?"
    )


def _tag_question(text: str) -> bool:
    """'..., right?' asks for agreement, not for an explanation."""
    return bool(re.search(r"\b(?:right|no|yeah|correct|huh)\?\s*$", text, re.IGNORECASE))


def _builds_on(concepts: list[GraphConcept], context: LessonContext) -> str:
    """A pointer back along the ramp: the earlier ideas this lesson's concepts need."""
    by_id = {c.id: c for c in context.graph.concepts}
    needed = [p for c in concepts for p in c.prerequisites if p in context.taught_before]
    names = [by_id[p].name for p in dict.fromkeys(needed)][:3]
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f" It builds on {joined}, from earlier lessons."


def _core(evidence: list[tuple[Cite, str]], names_it: re.Pattern[str]) -> tuple[Cite, str]:
    """The core-idea quote: names the concept, a whole explaining statement, short; earlier wins ties."""

    def rank(item: tuple[int, tuple[Cite, str]]) -> tuple[bool, float, int]:
        position, (_, text) = item
        explains = explains_score(text, names_it)
        # A quote that says what the concept is may run a little longer than one that does not.
        limit = CORE_BLOCK_MAX_WORDS + (EXPLAINING_CORE_EXTRA_WORDS if explains >= 3.0 else 0)
        too_long = len(tokens(text)) > limit
        # Explaining beats mentioning: "X is/lets/works by ..." over one item of a list.
        return (too_long, -statement_score(text, names_it) - explains, position)

    return min(enumerate(evidence[:CORE_CANDIDATES]), key=rank)[1]


def _prediction(name: str, core: str, names_it: re.Pattern[str]) -> str:
    """Guess before the reveal: finish the core statement when it defines the concept, else say
    what the concept is for."""
    match = names_it.match(core)
    verb = re.match(r"\s+(is|are|means|lets|makes|helps)\b", core[match.end() :]) if match else None
    if match and verb:
        stub = f"{core[: match.end()]} {verb.group(1)} …"
        return (
            f'Guess before reading on: how would you finish the sentence "{stub}"? '
            f"Write your version down, then open the answer and compare."
        )
    return _open_prediction(name)


def _open_prediction(name: str) -> str:
    """The guess to make when no core statement defines the concept."""
    return (
        f'Before reading on, write one sentence: what do you think "{name}" means, and which '
        f"problem would it help with? Then open the answer and compare."
    )


def write_lesson(plan: LessonPlan, context: LessonContext) -> LessonDraft:
    """Write one lesson from the concepts' evidence; course text names only taught concepts."""
    by_id = {c.id: c for c in context.graph.concepts}
    concepts = [by_id[cid] for cid in plan.concepts]
    finder = finder_for(context.graph)
    allowed = set(context.taught_before) | set(plan.concepts)
    names = [c.name for c in concepts]
    title = _sentence_case(names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
    blocks: list[BlockDraft] = []
    reveal = ""
    shown: set[str] = set()  # a quote appears once per lesson, under the first concept it explains
    prediction = ""
    for index, concept in enumerate(concepts):
        evidence = [
            e
            for e in usable_evidence(concept, context, finder, allowed)
            if not shown & set(e[0].sentence_ids)
        ]
        if not evidence:
            continue
        names_it = finder.pattern(concept.id)
        core_cite, core_text = _core(evidence, names_it)
        core_shown = clean_lead(core_text)
        if index == 0:
            reveal = f'In a speaker\'s words: "{core_shown}"'
            prediction = _prediction(concept.name, core_shown, names_it)
        blocks.append(
            BlockDraft(
                text=f'The core idea of {concept.name}, as a speaker puts it: "{core_shown}"',
                cites=[core_cite],
            )
        )
        # Further points state things; the host's questions set up lessons but explain little.
        others = [
            (statement_score(text, names_it), position, cite, text)
            for position, (cite, text) in enumerate(evidence)
            if cite != core_cite and not text.rstrip().endswith("?")
        ]
        # A further point must say something about the concept: not a list item or a biography.
        others = [
            o
            for o in others
            if o[0] >= MIN_NUANCE_SCORE and explains_score(o[3], names_it) > MIN_NUANCE_EXPLAINS
        ]
        others.sort(key=lambda o: (-o[0], o[1]))
        nuance = sorted(others[:NUANCE_BLOCKS_PER_CONCEPT], key=lambda o: o[1])
        for cite in [core_cite] + [o[2] for o in nuance]:
            shown.update(cite.sentence_ids)
        used_frames: set[str] = set()
        for _, _, cite, text in nuance:
            body = clean_lead(text)
            lead = frame(body, concept.name)
            # Two blocks under the same heading read like a list; the second one says "more".
            lead = f"More on {concept.name}" if lead in used_frames else lead
            used_frames.add(lead)
            blocks.append(BlockDraft(text=f'{lead}: "{body}"', cites=[cite]))
    if not prediction:
        prediction = _open_prediction(names[0])
    return LessonDraft(
        id=plan.id,
        title=title,
        problem=_problem(concepts, context, finder, allowed, shown) + _builds_on(concepts, context),
        prediction=prediction,
        prediction_reveal=reveal,
        blocks=blocks,
    )


def _question_opening(concept: GraphConcept, question: str) -> str:
    """A lesson opening built on a question a speaker asked."""
    return (
        f'A question from the conversation sets up this lesson: "{question}" '
        f"Keep it in mind: {concept.name} is part of the answer."
    )
