"""The lesson stage: problem → prediction (+ reveal) → core idea → nuance, all from cited speech."""

from __future__ import annotations

import re

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.mentions import MentionFinder, finder_for
from coursegen.engines.extractive.text import tidy, tokens
from coursegen.engines.types import BlockDraft, Cite, GraphConcept, LessonDraft, LessonPlan

# The first block states the core idea and stays short (principle 6 of the ramp).
CORE_BLOCK_MAX_WORDS = 60
NUANCE_BLOCKS_PER_CONCEPT = 2


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
    concepts: list[GraphConcept], context: LessonContext, finder: MentionFinder, allowed: set[str]
) -> str:
    for concept in concepts:
        for cite in concept.problems:
            question = tidy(context.sources.text(cite.sentence_ids))
            if question and finder.only_uses(question, allowed):
                return (
                    f'A question from the conversation sets up this lesson: "{question}" '
                    f'Keep it in mind: "{concept.name}" is part of the answer.'
                )
    first = concepts[0]
    episode = context.sources.episodes.get(first.evidence[0].episode) if first.evidence else None
    # A title that is only a file name ("000_293b...") says nothing to a learner.
    named = episode is not None and " " in episode.title.strip()
    where = f' in "{episode.title.strip()}"' if named and episode is not None else ""
    return (
        f"The speakers{where} keep coming back to {first.name}. What problem could it solve, "
        f"and what would go wrong without it?"
    )


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
    """The core-idea quote: names the concept, states rather than asks, short; earlier is better."""

    def rank(item: tuple[int, tuple[Cite, str]]) -> tuple[bool, bool, bool, int]:
        position, (_, text) = item
        too_long = len(tokens(text)) > CORE_BLOCK_MAX_WORDS
        return (not names_it.search(text), text.rstrip().endswith("?"), too_long, position)

    return min(enumerate(evidence[:5]), key=rank)[1]


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
    for index, concept in enumerate(concepts):
        evidence = [
            e
            for e in usable_evidence(concept, context, finder, allowed)
            if not shown & set(e[0].sentence_ids)
        ]
        if not evidence:
            continue
        core_cite, core_text = _core(evidence, finder.pattern(concept.id))
        if index == 0:
            reveal = f'In the speakers\' words: "{core_text}"'
        blocks.append(
            BlockDraft(
                text=f'{_sentence_case(concept.name)}, the core idea as a speaker puts it: "{core_text}"',
                cites=[core_cite],
            )
        )
        # Further points state things; the host's questions set up lessons but explain little.
        others = [e for e in evidence if e[0] != core_cite]
        others.sort(key=lambda e: e[1].rstrip().endswith("?"))
        nuance = others[:NUANCE_BLOCKS_PER_CONCEPT]
        for cite in [core_cite] + [c for c, _ in nuance]:
            shown.update(cite.sentence_ids)
        for cite, text in nuance:
            blocks.append(BlockDraft(text=f'A further point on {concept.name}: "{text}"', cites=[cite]))
    prediction = (
        f'Before reading on, predict: what do people in the field mean by "{names[0]}", and what '
        f"problem does it help with? Commit to one sentence, then open the answer."
    )
    return LessonDraft(
        id=plan.id,
        title=title,
        problem=_problem(concepts, context, finder, allowed) + _builds_on(concepts, context),
        prediction=prediction,
        prediction_reveal=reveal,
        blocks=blocks,
    )
