"""Course-wide generality and prerequisites, from how the conversations use each idea.

An idea is *general* when many of the course's conversations use it, often (counting its
acronym: "LLM" is "large language model"), in the sentences about many other ideas, in everyday
words; a name that shares its head word with others is their family's root ("machine learning"
among the kinds of "learning") and counts their use too. A *specific* idea is one episode's
subject. A needs B when B's name sits inside A's ("compute" in "test-time compute"), or when the
speakers explain A with B in two or more sentences (A named first, B after) and B is the more
general idea, or a peer about as general that they name after A twice as often as before it. A
mere remark (two sentences, one each way) gives way to a much stronger prerequisite. An idea
these rules leave needing nothing hangs from the broader ideas a sentence names with it (see
`add_hanging_prerequisites`). Every such edge has its quotes: sentences that name both.
"""

from __future__ import annotations

import math

from coursegen.engines.extractive.terms import initials
from coursegen.engines.extractive.text import name_key
from coursegen.engines.types import ConceptCandidate, EpisodeConcepts, GraphConcept
from coursegen.fsutil import slugify
from coursegen.graphs import reaches

MAX_PREREQUISITES = 3
# Sentences naming both ideas before one counts as explained with the other.
MIN_SHARED_SENTENCES = 2
# ... and at least this share of the sentences naming the idea built on it.
MIN_SHARED_SHARE = 0.1
# How much more general (0-1) the prerequisite must be than the idea built on it.
GENERALITY_MARGIN = 0.05
# Two ideas this close in generality are peers: which one the speakers explain with the other
# is read from the order they name them in, however rarely they name the two together.
PEER_BAND = 2 * GENERALITY_MARGIN
# Weights of course generality: how many episodes use the idea, how often, with how many other
# ideas (the share of the widest), and its own generality in its episode (everyday words, few of
# them, spread over the talk). Use with other ideas weighs most: a term the speakers explain
# others with is the one a newcomer needs first, however often it is said.
SPREAD_WEIGHT = 0.25
MENTIONS_WEIGHT = 0.15
USED_WEIGHT = 0.35
OWN_WEIGHT = 0.25
# A family's root gains this much for each other kind of it the course teaches, up to
# MAX_KINDS: a category taught with several kinds ("machine learning" beside reinforcement,
# in-context and continual learning) is the overview a newcomer tells the kinds apart with.
KIND_WEIGHT = 0.05
MAX_KINDS = 3
# A concept that needs nothing hangs from the broader of its this many closest companions in the
# talk (see `_hanging_points`): a broad idea ("algorithm") is told beside many others, and one
# further down its list is no sign it builds on it.
CLOSEST_COMPANIONS = 3

Pair = tuple[str, str]


def _words(name: str) -> list[str]:
    """A name's normalized words, hyphenated parts apart ("pre-training" -> "pre", "training")."""
    return name_key(name.replace("-", " ")).split()


def concept_keys(concept: GraphConcept, members: list[ConceptCandidate]) -> set[str]:
    """Every vocabulary key that names the concept: its spellings and their acronyms."""
    keys = {c.key for c in members}
    for name in [concept.name, *concept.aliases]:
        keys.add(slugify(name_key(name.replace("-", " "))))
        letters = initials(name)
        if len(letters) >= 2:
            keys.add(letters)
    return {k for k in keys if k}


def head_families(concepts: list[GraphConcept]) -> dict[str, list[str]]:
    """Concepts whose names end in the same word, by that word, for words ending two or more
    names ("learning": machine, reinforcement, in-context learning): kinds of one thing."""
    families: dict[str, list[str]] = {}
    for concept in sorted(concepts, key=lambda c: c.id):
        words = _words(concept.name)
        if len(words) >= 2:
            families.setdefault(words[-1], []).append(concept.id)
    return {head: ids for head, ids in sorted(families.items()) if len(ids) >= 2}


def family_roots(concepts: list[GraphConcept], spread: dict[str, int]) -> dict[str, str]:
    """Each member of a head family (see `head_families`) -> the family's root: the member used
    in the most conversations (`spread`), between as widespread ones the one with the more
    everyday name (its own generality: "machine learning" over "reinforcement learning"). It is
    the kind of the thing a learner meets first and tells the others apart from."""
    by_id = {c.id: c for c in concepts}
    roots: dict[str, str] = {}
    for ids in head_families(concepts).values():
        root = min(ids, key=lambda cid: (-spread[cid], -by_id[cid].generality, cid))
        roots.update({cid: root for cid in ids})
    return roots


def _partners(concepts: list[GraphConcept], shared: dict[Pair, int]) -> dict[str, set[str]]:
    """Each concept's partners: the other concepts named in a sentence with it."""
    partners: dict[str, set[str]] = {c.id: set() for c in concepts}
    for (a, b), together in shared.items():
        if together and a in partners and b in partners:
            partners[a].add(b)
            partners[b].add(a)
    return partners


def set_course_generality(
    concepts: list[GraphConcept],
    keys: dict[str, set[str]],
    per_episode: list[EpisodeConcepts],
    shared: dict[Pair, int],
) -> None:
    """Set each concept's course mentions and generality (0 = one episode's niche, 1 = everywhere).

    A foundation is used widely: in many conversations, often, and in the sentences about many
    other ideas (`shared`: sentences naming two concepts; an idea the speakers explain others
    with is one a learner needs first). A family's root (see `family_roots`) counts the whole
    family's use: whoever meets "reinforcement learning" meets a kind of "machine learning".
    """
    episodes = max(1, len(per_episode))
    counts = {
        c.id: [max((ec.vocabulary.get(k, 0) for k in keys[c.id]), default=0) for ec in per_episode]
        for c in concepts
    }
    found = {c.id: set(c.episodes) for c in concepts}
    partners = _partners(concepts, shared)
    widest = max([*(len(p) for p in partners.values()), 1])
    own = {c.id: c.generality for c in concepts}

    def usage(members: list[str]) -> tuple[int, int]:
        """Episodes naming any of the members (or making one a concept), and their mentions."""
        per = [sum(n) for n in zip(*(counts[m] for m in members), strict=True)]
        where = {ep for m in members for ep in found[m]}
        return sum(1 for ec, n in zip(per_episode, per, strict=True) if n or ec.episode in where), sum(per)

    def generality(cid: str, members: list[str], most: int) -> float:
        """The concept's generality, counting the use of all `members` (its family, or itself)."""
        spread, mentions = usage(members)
        value = SPREAD_WEIGHT * spread / episodes
        value += MENTIONS_WEIGHT * math.log1p(mentions) / math.log1p(most)
        others = set().union(*(partners[m] for m in members)) - set(members)
        value += USED_WEIGHT * min(1.0, len(others) / widest)
        value += KIND_WEIGHT * min(MAX_KINDS, len(members) - 1)
        return value + OWN_WEIGHT * own[cid]

    most = max([*(sum(n) for n in counts.values()), 1])
    roots = family_roots(concepts, {c.id: usage([c.id])[0] for c in concepts})
    for concept in concepts:
        members = sorted(m for m, r in roots.items() if r == concept.id) or [concept.id]
        value = generality(concept.id, members, most)
        concept.generality = round(min(1.0, value), 4)
        concept.mentions = max(sum(counts[concept.id]), 1)


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


def explains(concept: GraphConcept, together: int, after: int, in_best_evidence: bool) -> bool:
    """True when the speakers explain a concept with another idea: they name the two together
    in `together` sentences, at least MIN_SHARED_SENTENCES (one sentence is a remark, even the
    concept's definition), in a fair share of the concept's sentences or in its best evidence
    (two loose remarks among forty mentions are no explanation), and at least once (`after`)
    the concept first, the other after it: "on the scale of a transformer" measures the
    transformer's arrival with scale, it says nothing of scaling the transformer needs."""
    close = together >= MIN_SHARED_SHARE * concept.mentions or in_best_evidence
    return together >= MIN_SHARED_SENTENCES and close and after >= 1


def peers_in_order(gap: float, after: int, ordered: bool) -> bool:
    """True when two ideas about as general (`gap`, within PEER_BAND) are named in one order: the
    concept first, the other after it, in MIN_SHARED_SENTENCES sentences or more and twice as
    often as the other way round ("the language model predicts the next token"). Two broad ideas
    are each named in so many sentences that the few naming both are a small share of either;
    their order is still the speakers' word on which one the other is explained with."""
    return abs(gap) < PEER_BAND and after >= MIN_SHARED_SENTENCES and ordered


def mere_remark(together: int, after: int, before: int) -> bool:
    """True when the sentences naming two ideas are the fewest that count (MIN_SHARED_SENTENCES)
    and name them in either order as often ("X developed by Y on Z" beside "Z does Y"): they say
    the two meet, not which one explains the other."""
    return together <= MIN_SHARED_SENTENCES and after <= before


def outweighed_remarks_dropped(scored: list[tuple[float, str]], remarks: set[str]) -> list[tuple[float, str]]:
    """The scored prerequisites without the mere remarks (see `mere_remark`) that a stronger edge
    outweighs: one the speakers name with the concept at least twice as often, or one its name or
    its role ("part of") gives. A remark would otherwise make an idea wait for a later one it is
    only once said to be applied to ("gradient descent on pre-training")."""
    strongest = max([-score for score, pid in scored if pid not in remarks] or [0.0])
    return [
        (score, pid) for score, pid in scored if pid not in remarks or strongest < 2 * -score
    ]


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
        remarks: set[str] = set()
        used = uses.get(concept.id, [])
        for other in concepts:
            if other.id == concept.id:
                continue
            together = shared.get((min(concept.id, other.id), max(concept.id, other.id)), 0)
            if together:
                concept.links[other.id] = together
            after = explained.get((concept.id, other.id), 0)
            before = explained.get((other.id, concept.id), 0)
            ordered = after >= 2 * max(1, before)
            gap = other.generality - concept.generality
            more_general = ordered if abs(gap) < GENERALITY_MARGIN else gap >= GENERALITY_MARGIN
            if contains(other, concept):
                scored.append((-1000.0, other.id))  # "compute" before "test-time compute"
            elif concept.part_of.get(other.id, 0) >= MIN_SHARED_SENTENCES:
                scored.append((-500.0, other.id))  # "neural network" before "its weights"
            elif more_general and explains(concept, together, after, other.id in used):
                scored.append((-(together + (1.0 if other.id in used else 0.0)), other.id))
                if mere_remark(together, after, before):
                    remarks.add(other.id)
            elif peers_in_order(gap, after, ordered):
                scored.append((-float(together), other.id))
        kept = outweighed_remarks_dropped(scored, remarks)
        concept.prerequisites = [pid for _, pid in sorted(kept)[:MAX_PREREQUISITES]]
        concept.related = sorted(
            concept.related, key=lambda rid: (rid not in by_id, concept.related.index(rid))
        )


def _broader(concept: GraphConcept, other: GraphConcept) -> bool:
    """True when `other` is clearly more general than the concept (by PEER_BAND)."""
    return other.generality >= concept.generality + PEER_BAND


def _hanging_points(
    concept: GraphConcept, by_id: dict[str, GraphConcept], explained: dict[Pair, int], median: float
) -> list[str]:
    """The clearly broader ideas a concept that needs nothing hangs from, best first: those a
    sentence names with it, among its closest companions in the talk (CLOSEST_COMPANIONS of
    `related`), then those a sentence explains it with (named after it, most such sentences
    first: "what reinforcement learning does is ... every single token gets upweighted", "nano
    chat is a capstone project of LLM 101n"). A broad idea (at or above the `median`
    generality) none of whose broader companions is named with it is a foundation: told once
    beside a broader one ("neural network" with "language model"), it still needs nothing.
    Every such edge has a sentence naming both: sharing passages alone is no reason a reader
    can see."""
    broader = [oid for oid in sorted(by_id) if oid != concept.id and _broader(concept, by_id[oid])]
    companions = [r for r in concept.related[:CLOSEST_COMPANIONS] if r in broader]
    named = [r for r in companions if concept.links.get(r, 0)]
    if not named and concept.generality >= median:
        return []  # a foundation: no broader companion of its talk is named with it
    # Named after it: the speakers explain it with the other, not it ("on the scale of a
    # transformer" says nothing of what the transformer needs).
    explaining = sorted(
        (-explained.get((concept.id, o), 0), -by_id[o].generality, o)
        for o in broader
        if explained.get((concept.id, o), 0) and o not in named
    )
    return named + [o for _, _, o in explaining]


def add_hanging_prerequisites(concepts: list[GraphConcept], explained: dict[Pair, int]) -> None:
    """A concept the rules of `add_prerequisites` leave needing nothing, though it is clearly
    narrower than ideas the speakers tell it with, needs those (see `_hanging_points`; at most
    MAX_PREREQUISITES, none that would close a loop). A narrow lesson late in the ramp that
    claims to need nothing misleads a newcomer: "mixture of experts" activates "parts of the
    model for some token". A single sentence is evidence enough here, where nothing stronger
    speaks; a foundation (nothing broader is told with it) still needs nothing. Runs after
    `add_prerequisites`, which sets the links it reads."""
    by_id = {c.id: c for c in concepts}
    generalities = sorted(c.generality for c in concepts)
    median = generalities[len(generalities) // 2] if generalities else 0.0

    def needs(cid: str) -> list[str]:
        return by_id[cid].prerequisites

    for concept in sorted(concepts, key=lambda c: c.id):
        if concept.prerequisites:
            continue
        for point in _hanging_points(concept, by_id, explained, median):
            if len(concept.prerequisites) < MAX_PREREQUISITES and not reaches(point, concept.id, needs):
                concept.prerequisites.append(point)
