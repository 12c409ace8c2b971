"""The lesson stage: problem → prediction (+ reveal) → core idea → nuance, all from cited speech."""

from __future__ import annotations

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
    """Evidence of a concept whose tidied text names no concept taught later, best first."""
    result = []
    for cite in concept.evidence:
        text = tidy(context.sources.text(cite.sentence_ids))
        if text and finder.only_uses(text, allowed):
            result.append((cite, text))
    return result


def _problem(concepts: list[GraphConcept], context: LessonContext, finder: MentionFinder, allowed: set[str]) -> str:
    for concept in concepts:
        for cite in concept.problems:
            question = tidy(context.sources.text(cite.sentence_ids))
            if question and finder.only_uses(question, allowed):
                return (
                    f'A question from the conversation sets up this lesson: "{question}" '
                    f'Keep it in mind: "{concept.name}" is part of the answer.'
                )
    first = concepts[0]
    return (
        f"Researchers keep returning to {first.name}. What problem does it address, "
        f"and what would go wrong without it?"
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
    for index, concept in enumerate(concepts):
        evidence = usable_evidence(concept, context, finder, allowed)
        if not evidence:
            continue
        core_cite, core_text = min(evidence[:3], key=lambda e: (len(tokens(e[1])) > CORE_BLOCK_MAX_WORDS, 0))
        if index == 0:
            reveal = f"In the speakers' words: {core_text}"
        blocks.append(BlockDraft(text=f"{_sentence_case(concept.name)}, in plain words: {core_text}", cites=[core_cite]))
        nuance = [e for e in evidence if e[0] != core_cite][:NUANCE_BLOCKS_PER_CONCEPT]
        for cite, text in nuance:
            blocks.append(BlockDraft(text=f"A further point on {concept.name}: {text}", cites=[cite]))
    prediction = (
        f'Before reading on, predict: what do people in the field mean by "{names[0]}", and what '
        f"problem does it help with? Commit to one sentence, then open the answer."
    )
    return LessonDraft(
        id=plan.id,
        title=title,
        problem=_problem(concepts, context, finder, allowed),
        prediction=prediction,
        prediction_reveal=reveal,
        blocks=blocks,
    )
