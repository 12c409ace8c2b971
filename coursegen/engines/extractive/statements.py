"""What the speakers say about a concept: the statements lessons quote and questions test.

The lesson stage picks a few of these to show ("more from the episodes") besides its core and
nuance, and the assessment stage tests only what the lesson shows, so both read them the same
way: the concept's evidence and every other sentence of its episodes that names it, each one that
leans on earlier talk widened with the sentence before it.
"""

from __future__ import annotations

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.assertions import episode_index
from coursegen.engines.extractive.fairness import LOOSE_MAX_WORDS, leans_on_context, trim_fillers
from coursegen.engines.extractive.mentions import MentionFinder, finder_for
from coursegen.engines.extractive.speech import clean_lead
from coursegen.engines.extractive.text import normal, tidy, tokens
from coursegen.engines.types import Cite, GraphConcept


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


def more_mentions(concept: GraphConcept, context: LessonContext) -> list[tuple[Cite, str]]:
    """Every other sentence of the concept's episodes that names it, in episode order.

    The concept stage keeps a dozen quotes per concept, chosen for the lesson's core; the strict
    fairness filters leave few of those for questions, so the rest of what the speakers said about
    it is searched too (the episodes are part of the lesson's cache key: coursegen.lesson_scope).
    """
    pattern = finder_for(context.graph).pattern(concept.id)
    have = {sid for cite in concept.evidence for sid in cite.sentence_ids}
    found: list[tuple[Cite, str]] = []
    for episode_id in sorted({cite.episode for cite in concept.evidence}):
        episode = context.sources.episodes.get(episode_id)
        for passage in episode.passages if episode else []:
            for sentence in passage.sentences:
                if sentence.id in have or not pattern.search(sentence.text):
                    continue
                text = tidy(sentence.text).replace('"', "'")
                # Not a trailer clip (said again later, in context), a misheard sentence nor a
                # sponsor read. A host's set-up may still be a fill-in (true/false claims refuse
                # it: see assessment._asserted); refusing it here too cost the seed course 5 of
                # its 120 questions.
                ids = [sentence.id]
                index = episode_index(episode) if episode is not None else None
                flawed = index is not None and (
                    index.is_trailer(ids) or index.is_misheard(ids) or index.is_sponsor_read(ids)
                )
                if text and not flawed:
                    found.append((Cite(episode=episode_id, sentence_ids=[sentence.id]), text))
    return found


def known_words(context: LessonContext) -> frozenset[str]:
    """Words of the course's terms and concept names (normal form): rare, but not garbles."""
    names = [n for c in context.graph.concepts for n in (c.name, *c.aliases)]
    return frozenset(normal(w) for t in (*context.graph.terms, *names) for w in tokens(t))


def self_contained(statements: list[tuple[Cite, str]], context: LessonContext) -> list[tuple[Cite, str]]:
    """Statements with each one that leans on earlier talk ("Because it stirs ...", "They don't
    have ...") widened with the sentence before it in the same turn, when that one opens cleanly and
    the two fit a stem; one that cannot be widened stays (the fairness judgements refuse it)."""
    out: list[tuple[Cite, str]] = []
    for cite, text in statements:
        widened = (
            with_previous(cite, text, context) if leans_on_context(trim_fillers(clean_lead(text))) else None
        )
        out.append(widened or (cite, text))
    return out


def with_previous(cite: Cite, text: str, context: LessonContext) -> tuple[Cite, str] | None:
    """(cite, text) grown by the previous sentence of the same passage, or None when there is none
    fit to open a stem (itself leaning back, a question, or too long together)."""
    ref = context.sources.get(cite.sentence_ids[0])
    if ref is None or ref.index == 0 or context.sources.opens_turn(cite.sentence_ids[0]):
        return None  # none before, or another speaker's
    previous = ref.passage.sentences[ref.index - 1]
    before = tidy(previous.text).replace('"', "'")
    lead = trim_fillers(clean_lead(before)) if before else ""
    if not lead or leans_on_context(lead) or before.rstrip().endswith("?"):
        return None
    if len(tokens(before)) + len(tokens(text)) > LOOSE_MAX_WORDS:
        return None
    return Cite(episode=cite.episode, sentence_ids=[previous.id, *cite.sentence_ids]), f"{before} {text}"
