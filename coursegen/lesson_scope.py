"""What one lesson's stages may look at: the lesson's own slice of the course, and its cache key.

The lesson and assessment stages used to receive the whole concept graph, every concept taught
before and after, the course-wide term pool and the lesson's position, so adding one episode
changed every lesson's inputs and recomputed them all. Here each lesson gets a narrowed
LessonContext holding only what can matter to it, and the cache key is a hash of exactly that
context (the engine never sees anything the key does not carry):

- its own concepts, in full (evidence, problems, prerequisites);
- the other concepts it can touch: its concepts' prerequisites and related concepts, and those
  whose names occur in its concepts' evidence or opening questions or a sentence around them
  (the only ones a quote can name, so the only ones that can be a forward reference or
  "builds on" one), each reduced to id, name, aliases and kind;
- taught_before / taught_later restricted to those;
- as terms: of the technical terms of the episodes its concepts cite that name no concept
  except ones taught before it, those its quotes contain and, per concept, the few nearest in
  length to its name (another episode's terms never enter);
- its plan (id, concepts, and level unless the engine says it ignores it) without its position
  or prerequisite lessons (filled in at assembly from the ramp; inserting or regrouping a
  lesson moves, re-levels or renames others).
"""

from __future__ import annotations

from dataclasses import dataclass

from coursegen.engines.base import LessonContext
from coursegen.engines.extractive.mentions import MentionFinder
from coursegen.engines.sources import SourceIndex
from coursegen.engines.types import Cite, ConceptGraph, GraphConcept, LessonPlan
from coursegen.stage_cache import stage_key

# Sentences of context on each side of a quote that an engine may show (the LLM engine shows
# one): concepts named there are in the lesson's scope too.
CONTEXT_SENTENCES = 1
# Concepts a lesson keeps from its concepts' co-occurrence lists (distractor candidates).
RELATED_PER_CONCEPT = 4
# Terms offered per concept as distractor candidates: the nearest in length to its name.
TERMS_PER_CONCEPT = 8


@dataclass(frozen=True)
class LessonScope:
    """The plan and narrowed context handed to the lesson stages, and the key of their inputs."""

    plan: LessonPlan
    context: LessonContext
    key_inputs: dict[str, object]


# What only the ramp reads: course-wide figures that any added episode changes. No lesson stage
# reads them, so they stay out of a lesson's inputs (and its cache key).
RAMP_ONLY: dict[str, object] = {
    "importance": 0.0,
    "generality": 0.5,
    "mentions": 0,
    "links": {},
    "part_of": {},
}


def _own(concept: GraphConcept) -> GraphConcept:
    """A lesson's own concept in full, less the ramp's course-wide figures."""
    return concept.model_copy(update=RAMP_ONLY)


def _reference(concept: GraphConcept) -> GraphConcept:
    """A concept as another lesson sees it: what names it, not its evidence, definition or ranking."""
    return GraphConcept(
        id=concept.id,
        name=concept.name,
        aliases=list(concept.aliases),
        kind=concept.kind,
        # Not its definition: a better quote found in a new episode would change every lesson
        # that merely names the concept, and no lesson stage reads another concept's definition.
        definition="",
    )


def _with_neighbours(sources: SourceIndex, cite: Cite) -> str:
    """The cited sentences and CONTEXT_SENTENCES around them in their passage, as one text."""
    texts: dict[str, str] = {}
    for sid in cite.sentence_ids:
        ref = sources.get(sid)
        if ref is None:
            continue
        sentences = ref.passage.sentences
        for index in range(max(0, ref.index - CONTEXT_SENTENCES), ref.index + CONTEXT_SENTENCES + 1):
            if index < len(sentences):
                texts.setdefault(sentences[index].id, sentences[index].text)
    return " ".join(texts.values())


def _scoped_terms(
    own: list[GraphConcept],
    texts: list[str],
    cited_episodes: list[str],
    graph: ConceptGraph,
    finder: MentionFinder,
    episode_terms: dict[str, list[str]] | None,
    taught_before: frozenset[str],
) -> list[str]:
    """The terms a lesson may use: its episodes' terms its quotes contain (cloze deletions) and,
    per concept, the few nearest in length to its name (distractors).

    Only the cited episodes' terms enter, so another episode's terms never do. A term naming a
    concept not taught before the lesson is left out, judged with the whole course's finder (it
    could name a concept taught later); one naming only earlier concepts is a fair distractor.
    Offering a few terms per concept, not all, keeps the lesson's inputs unchanged when a new
    concept happens to name some other term of its episodes.
    """
    if episode_terms is None:
        pool = set(graph.terms)
    else:
        pool = {t for e in cited_episodes for t in episode_terms.get(e, [])}
    usable = sorted(t for t in pool if finder.concepts_in(t) <= taught_before)
    lowered = " ".join(texts).lower()
    chosen = {t for t in usable if t.lower() in lowered}
    for concept in own:
        target = len(concept.name)
        chosen.update(sorted(usable, key=lambda t: (abs(len(t) - target), t))[:TERMS_PER_CONCEPT])
    return sorted(chosen)


def lesson_scope(
    plan: LessonPlan,
    graph: ConceptGraph,
    sources: SourceIndex,
    finder: MentionFinder,
    taught_before: frozenset[str],
    taught_later: frozenset[str],
    title: str,
    episode_terms: dict[str, list[str]] | None = None,
    uses_level: bool = True,
) -> LessonScope:
    """The lesson's plan and context, cut down to what its stages can use."""
    by_id = {c.id: c for c in graph.concepts}
    own = [_own(by_id[cid]) for cid in plan.concepts]
    cites = [cite for c in own for cite in [*c.evidence, *c.problems]]
    texts = [_with_neighbours(sources, cite) for cite in cites]
    touched: set[str] = set()
    for concept in own:
        touched.update(concept.prerequisites)
        touched.update(concept.related[:RELATED_PER_CONCEPT])
    for text in texts:
        touched |= finder.concepts_in(text)
    touched = {cid for cid in touched if cid in by_id} - set(plan.concepts)
    cited_episodes = sorted({cite.episode for cite in cites})
    terms = _scoped_terms(own, texts, cited_episodes, graph, finder, episode_terms, taught_before)
    narrowed = ConceptGraph(
        concepts=[*own, *(_reference(by_id[cid]) for cid in sorted(touched))],
        terms=terms,
    )
    # Position and prerequisite lessons are not inputs: the text never depends on where the ramp
    # puts the lesson or how it groups earlier concepts into lessons (assembly fills them in);
    # the concepts' own prerequisites, in the graph, say what the lesson builds on.
    # A level follows from the position too: an engine that does not write to it does not get it.
    unused: dict[str, object] = {"position": 0, "prerequisite_lessons": []}
    if not uses_level:
        unused["level"] = 1
    scoped_plan = plan.model_copy(update=unused)
    context = LessonContext(
        graph=narrowed,
        sources=sources,
        taught_before=taught_before & touched,
        taught_later=taught_later & touched,
        lesson_titles={plan.id: title},
    )
    # Named, so a recompute can say which of them changed (see StageCache.fetch_many's parts).
    key_inputs: dict[str, object] = {
        "plan": scoped_plan,
        "its concepts and their evidence": [c.model_dump(mode="json") for c in own],
        "concepts it touches": [c.model_dump(mode="json") for c in narrowed.concepts[len(own) :]],
        "taught before": sorted(context.taught_before),
        "taught later": sorted(context.taught_later),
        "terms": terms,
        "title": title,
        "cited episodes": [sources.episodes[e].sha256 for e in cited_episodes if e in sources.episodes],
    }
    return LessonScope(plan=scoped_plan, context=context, key_inputs=key_inputs)


def scope_parts(engine: str, version: str, scope: LessonScope) -> dict[str, str]:
    """The hash of each named input of a lesson-level stage (the stage version is one of them)."""
    parts = {"engine and stage version": stage_key("version", engine, version)}
    parts.update({name: stage_key(name, value) for name, value in scope.key_inputs.items()})
    return parts


def scope_key(stage: str, parts: dict[str, str]) -> str:
    """The cache key of a lesson-level stage from its parts' hashes."""
    return stage_key(stage, sorted(parts.items()))
