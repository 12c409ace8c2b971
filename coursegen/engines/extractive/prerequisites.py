"""Course-wide generality and prerequisites, from how the conversations use each idea.

An idea is *general* when many of the course's conversations use it, often (counting its
acronym: "LLM" is "large language model"), in everyday words; a *specific* idea is one episode's
subject. A needs B when B's name sits inside A's ("compute" in "test-time compute"), or when the
speakers name A and B in the same sentence more than once (the sentences that explain one idea
with the other) and B is the more general idea. Every such edge has its quotes: sentences that
name both.
"""

from __future__ import annotations

import math

from coursegen.engines.extractive.terms import initials
from coursegen.engines.extractive.text import name_key
from coursegen.engines.types import ConceptCandidate, EpisodeConcepts, GraphConcept
from coursegen.fsutil import slugify

MAX_PREREQUISITES = 3
# Sentences naming both ideas before one counts as explained with the other.
MIN_SHARED_SENTENCES = 2
# ... and at least this share of the sentences naming the idea built on it.
MIN_SHARED_SHARE = 0.1
# How much more general (0-1) the prerequisite must be than the idea built on it.
GENERALITY_MARGIN = 0.05
# Weights of course generality: how many episodes use the idea, how often, and the idea's own
# generality in its episode (everyday words, few of them, spread over the talk).
SPREAD_WEIGHT = 0.45
MENTIONS_WEIGHT = 0.25
OWN_WEIGHT = 0.30


def concept_keys(concept: GraphConcept, members: list[ConceptCandidate]) -> set[str]:
    """Every vocabulary key that names the concept: its spellings and their acronyms."""
    keys = {c.key for c in members}
    for name in [concept.name, *concept.aliases]:
        keys.add(slugify(name_key(name.replace("-", " "))))
        letters = initials(name)
        if len(letters) >= 2:
            keys.add(letters)
    return {k for k in keys if k}


def set_course_generality(
    concepts: list[GraphConcept],
    keys: dict[str, set[str]],
    per_episode: list[EpisodeConcepts],
) -> None:
    """Set each concept's course mentions and generality (0 = one episode's niche, 1 = everywhere)."""
    episodes = max(1, len(per_episode))
    spread: dict[str, int] = {}
    mentions: dict[str, int] = {}
    for concept in concepts:
        own = keys[concept.id]
        counts = [max((ec.vocabulary.get(k, 0) for k in own), default=0) for ec in per_episode]
        chosen = set(concept.episodes)
        uses = zip(per_episode, counts, strict=True)
        spread[concept.id] = sum(1 for ec, n in uses if n or ec.episode in chosen)
        mentions[concept.id] = sum(counts)
    most = max([*mentions.values(), 1])
    for concept in concepts:
        value = SPREAD_WEIGHT * spread[concept.id] / episodes
        value += MENTIONS_WEIGHT * math.log1p(mentions[concept.id]) / math.log1p(most)
        value += OWN_WEIGHT * concept.generality
        concept.generality = round(min(1.0, value), 4)
        concept.mentions = max(mentions[concept.id], 1)


Pair = tuple[str, str]


def shared_sentences(
    items: list[tuple[str, ConceptCandidate]], owner: dict[str, str], id_of: dict[tuple[str, str], str]
) -> tuple[dict[Pair, int], dict[Pair, int]]:
    """Sentences naming both of two concepts (by sorted pair), and those naming the second after
    the first (by ordered pair: the first explained with the second), summed over episodes."""
    both: dict[tuple[str, str, str], int] = {}
    after: dict[tuple[str, str, str], int] = {}
    for episode, candidate in items:
        own = id_of[(episode, candidate.key)]
        for key, count in sorted(candidate.co_mentions.items()):
            other = owner.get(key)
            if other is None or other == own:
                continue
            a, b = sorted((own, other))
            both[(episode, a, b)] = max(both.get((episode, a, b), 0), count)
            later = candidate.explained_with.get(key, 0)
            after[(episode, own, other)] = max(after.get((episode, own, other), 0), later)
            after[(episode, other, own)] = max(after.get((episode, other, own), 0), count - later)
    shared: dict[Pair, int] = {}
    for (_, a, b), count in sorted(both.items()):
        shared[(a, b)] = shared.get((a, b), 0) + count
    explained: dict[Pair, int] = {}
    for (_, a, b), count in sorted(after.items()):
        explained[(a, b)] = explained.get((a, b), 0) + count
    return shared, explained


def contains(general: GraphConcept, specific: GraphConcept) -> bool:
    """True when the general concept's name is a word run inside the specific one's."""
    g, s = name_key(general.name).split(), name_key(specific.name).split()
    return len(g) < len(s) and any(s[i : i + len(g)] == g for i in range(len(s) - len(g) + 1))


def add_prerequisites(
    concepts: list[GraphConcept],
    uses: dict[str, list[str]],
    shared: dict[Pair, int],
    explained: dict[Pair, int],
) -> None:
    """A needs B when B's name sits inside A's, or when the speakers explain A with B (sentences
    naming both, or A's best evidence naming B) and B is the more general idea; between two
    ideas about as general, the one the speakers explain with the other ("in-context learning
    is doing gradient descent": named first, the other after it, at least twice as often).

    Sharing passages is not enough: "imperfect information" and "compute" co-occur in one short
    talk, yet nothing said about the one needs the other, and a reader would not see why.
    """
    by_id = {c.id: c for c in concepts}
    for concept in concepts:
        concept.links = {}
        scored: list[tuple[float, str]] = []
        used = uses.get(concept.id, [])
        for other in concepts:
            if other.id == concept.id:
                continue
            together = shared.get((min(concept.id, other.id), max(concept.id, other.id)), 0)
            if together >= MIN_SHARED_SENTENCES:
                concept.links[other.id] = together
            more_general = other.generality >= concept.generality + GENERALITY_MARGIN
            if abs(other.generality - concept.generality) < GENERALITY_MARGIN:
                with_other = explained.get((concept.id, other.id), 0)
                more_general = with_other >= 2 * max(1, explained.get((other.id, concept.id), 0))
            # Explained with it: a fair share of this idea's sentences name the other one too (two
            # loose remarks among forty mentions are no explanation).
            close = together >= MIN_SHARED_SENTENCES and together >= MIN_SHARED_SHARE * concept.mentions
            if contains(other, concept):
                scored.append((-1000.0, other.id))  # "compute" before "test-time compute"
            elif more_general and (close or other.id in used):
                scored.append((-(together + (1.0 if other.id in used else 0.0)), other.id))
        concept.prerequisites = [pid for _, pid in sorted(scored)[:MAX_PREREQUISITES]]
        concept.related = sorted(
            concept.related, key=lambda rid: (rid not in by_id, concept.related.index(rid))
        )
