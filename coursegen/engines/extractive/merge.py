"""The merge stage: one concept per idea across episodes, with acyclic prerequisites.

Names match when they are equal after normalization (case, plural), when one names the
other as an alias, or when they are near-identical spellings (ASR misspellings such as
"Noam Shazir" / "Noam Shazeer"); prerequisites come from generality and co-occurrence.
"""

from __future__ import annotations

import re
from graphlib import CycleError, TopologicalSorter

from rapidfuzz import fuzz

from coursegen.engines.extractive.prerequisites import (
    add_hanging_prerequisites,
    add_prerequisites,
    concept_keys,
    set_course_generality,
    shared_sentences,
)
from coursegen.engines.extractive.speech import definition_score, garbled_speech, reported_view
from coursegen.engines.extractive.synonyms import synonym_pairs
from coursegen.engines.extractive.text import name_key, zipf
from coursegen.engines.types import (
    BrokenEdge,
    Cite,
    ConceptCandidate,
    ConceptGraph,
    EpisodeConcepts,
    GraphConcept,
)
from coursegen.fsutil import slugify

MAX_EVIDENCE = 12
MAX_PREREQUISITES = 3
# Fuzzy spelling match threshold (0-100) for names of the same number of words.
SPELLING_MATCH = 80.0
SIZE_WORDS = frozenset(["large", "big", "giant", "huge"])


def _word_match(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    # "net" / "network", "eval" / "evaluation": a clipped form drops a syllable or more;
    # "compute" / "computer" differ by a suffix and are different words.
    return len(shorter) >= 3 and longer.startswith(shorter) and 3 <= len(longer) - len(shorter) <= 7


def sound_key(text: str) -> str:
    """A rough phonetic key: ASR writes names as they sound ("Enthropike" for "Anthropic")."""
    key = text.lower().replace("ph", "f").replace("ck", "c").replace("k", "c").replace("q", "c")
    key = key.replace("z", "s").replace("ee", "i").replace("y", "i")
    words = []
    for word in key.split():
        word = word[:-1] if len(word) > 3 and word.endswith("e") else word
        word = re.sub(r"[aeiou]+", "a", word)
        words.append(re.sub(r"(.)\1+", r"\1", word))
    return " ".join(words)


def _looks_misspelled(name: str) -> bool:
    # A name or a word general English does not know: ASR errors hide there.
    return any(w[:1].isupper() for w in name.split()) or any(zipf(w.lower()) == 0 for w in name.split())


def same_idea(a: str, b: str) -> bool:
    """True when two concept names name the same idea (case, plural, clipping, misspelling)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    wa, wb = ka.split(), kb.split()
    # "large language model" / "language model": a size word does not make another idea.
    if wa[0] in SIZE_WORDS and wa[1:] == wb or wb[0] in SIZE_WORDS and wb[1:] == wa:
        return len(wa) + len(wb) >= 5
    if len(wa) != len(wb):
        return False
    if _looks_misspelled(a) and _looks_misspelled(b) and len(ka) >= 6 and sound_key(ka) == sound_key(kb):
        return True
    if all(_word_match(x, y) for x, y in zip(wa, wb, strict=True)):
        return True
    # Misspellings: only where ASR errors live (names, unknown words); every word similar, and
    # the whole name similar; short names must be exact. Two real words ("inference",
    # "interference") are two ideas however alike they look.
    if min(len(ka), len(kb)) < 6 or not (_looks_misspelled(a) or _looks_misspelled(b)):
        return False
    words_close = all(x == y or fuzz.ratio(x, y) >= 60 for x, y in zip(wa, wb, strict=True))
    return words_close and fuzz.ratio(ka, kb) >= SPELLING_MATCH


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _interleave(groups: list[list[Cite]], limit: int) -> list[Cite]:
    """Best evidence of each episode first, then the second best of each, and so on."""
    result: list[Cite] = []
    depth = 0
    while len(result) < limit and any(depth < len(g) for g in groups):
        for group in groups:
            if depth < len(group) and len(result) < limit:
                result.append(group[depth])
        depth += 1
    return result


def _support_for(
    cands: list[tuple[str, ConceptCandidate]], supporting: list[tuple[str, ConceptCandidate]]
) -> list[tuple[str, ConceptCandidate]]:
    """The supporting candidates of other episodes that name the same idea, one per episode
    (the one most mentioned), in episode order."""
    names = [n for _, c in cands for n in [c.name, *c.aliases]]
    own_episodes = {ep for ep, _ in cands}
    best: dict[str, ConceptCandidate] = {}
    for ep, cand in supporting:
        if ep in own_episodes or not cand.evidence:
            continue
        if not any(same_idea(a, b) for a in names for b in [cand.name, *cand.aliases]):
            continue
        if ep not in best or cand.mentions > best[ep].mentions:
            best[ep] = cand
    return sorted(best.items())


def _defining(cands: list[tuple[str, ConceptCandidate]]) -> tuple[str, ConceptCandidate]:
    """The candidate whose definition says best what the idea is, under any of its names; a
    reported view or a garble (a candidate's definition when it had nothing better) loses."""
    names = sorted({n for _, c in cands for n in [c.name, *c.aliases]}, key=len, reverse=True)
    names_it = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.I)

    def rank(item: tuple[int, tuple[str, ConceptCandidate]]) -> tuple[bool, float, int]:
        position, (_, cand) = item
        text = cand.definition
        flawed = reported_view(text, names_it) or garbled_speech(text, names_it, cased=False)
        return flawed, -definition_score(text, names_it), position

    return min(enumerate(cands), key=rank)[1]


def _wholes(
    concept_id: str, said: list[tuple[str, ConceptCandidate]], owner: dict[str, str]
) -> dict[str, int]:
    """The concepts a concept is named a part of, with the sentences saying so (each episode's
    count once, under whichever of the whole's spellings says it most), summed over episodes."""
    per_episode: dict[tuple[str, str], int] = {}
    for episode, cand in said:
        for key, count in sorted(cand.part_of.items()):
            whole = owner.get(key)
            if whole is not None and whole != concept_id:
                per_episode[(episode, whole)] = max(per_episode.get((episode, whole), 0), count)
    wholes: dict[str, int] = {}
    for (_, whole), count in sorted(per_episode.items()):
        wholes[whole] = wholes.get(whole, 0) + count
    return wholes


def _groups_of(items: list[tuple[str, ConceptCandidate]], uf: _UnionFind) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(uf.find(i), []).append(i)
    return groups


def merge_concepts(per_episode: list[EpisodeConcepts]) -> ConceptGraph:
    """Merge per-episode candidates into one graph with prerequisites and no cycles."""
    items: list[tuple[str, ConceptCandidate]] = [
        (ec.episode, c) for ec in sorted(per_episode, key=lambda e: e.episode) for c in ec.concepts
    ]
    uf = _UnionFind(len(items))
    names = [[c.name, *c.aliases] for _, c in items]
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if any(same_idea(a, b) for a in names[i] for b in names[j]):
                uf.union(i, j)
    supporting = [
        (ec.episode, c) for ec in sorted(per_episode, key=lambda e: e.episode) for c in ec.supporting
    ]
    # Names the speakers use for one thing ("weights", "parameters") join: each idea with the
    # quotes of every conversation that talks about it (see engines.extractive.synonyms).
    ideas = [
        (members[0], [items[i] for i in members] + _support_for([items[i] for i in members], supporting))
        for members in _groups_of(items, uf).values()
    ]
    for i, j in synonym_pairs(ideas):
        uf.union(i, j)
    groups = _groups_of(items, uf)

    graph_concepts: list[GraphConcept] = []
    # Each concept's candidates and the supporting ones of other episodes: what was said of it.
    spoken: dict[str, list[tuple[str, ConceptCandidate]]] = {}
    merged: list[tuple[str, str]] = []
    key_to_id: dict[str, str] = {}
    for members in groups.values():
        cands = [items[i] for i in members]
        support = _support_for(cands, supporting)
        # Canonical name: the most mentioned spelling (ASR errors are the rarer ones).
        best_ep, best = min(cands, key=lambda ec: (-ec[1].mentions, len(ec[1].name), ec[1].name, ec[0]))
        concept_id = slugify(best.name)
        spoken[concept_id] = cands + support
        ranked = sorted(cands, key=lambda ec: (-ec[1].importance, ec[0]))
        # The definition is the episode's definition that says best what the idea is; its quotes
        # lead, so the definition is the concept's first evidence too.
        defining = _defining(ranked)
        ranked = [defining] + [ec for ec in ranked if ec is not defining]
        aliases = sorted({n for _, c in cands for n in [c.name, *c.aliases]} - {best.name})
        for ep, c in cands:
            key_to_id[f"{ep}::{c.key}"] = concept_id
            if c.name != best.name:
                merged.append((concept_id, c.name))
        graph_concepts.append(
            GraphConcept(
                id=concept_id,
                name=best.name,
                aliases=aliases,
                kind=best.kind,
                definition=defining[1].definition,
                # The concept's own episodes first; then the best quote of each episode that
                # talks about the idea without making it a concept, and so on.
                evidence=_interleave(
                    [c.evidence for _, c in ranked] + [c.evidence for _, c in support], MAX_EVIDENCE
                ),
                problems=_interleave([c.problems for _, c in ranked], 4),
                importance=round(max(c.importance for _, c in cands) + 0.25 * (len(cands) - 1), 4),
                # An idea several conversations lean on is more basic than one only one mentions.
                generality=round(min(1.0, max(c.generality for _, c in cands) + 0.15 * (len(cands) - 1)), 4),
                episodes=sorted({ep for ep, _ in cands}),
            )
        )
    by_id = {c.id: c for c in graph_concepts}
    uses: dict[str, list[str]] = {}
    for ep, cand in items:
        own = by_id[key_to_id[f"{ep}::{cand.key}"]]
        for rel in cand.related:
            rel_id = key_to_id.get(f"{ep}::{rel}")
            if rel_id and rel_id != own.id and rel_id not in own.related:
                own.related.append(rel_id)
        for used in cand.uses:
            used_id = key_to_id.get(f"{ep}::{used}")
            if used_id and used_id != own.id and used_id not in uses.setdefault(own.id, []):
                uses[own.id].append(used_id)
    keys = {c.id: concept_keys(c, [cand for ep, cand in items if key_to_id[f"{ep}::{cand.key}"] == c.id])
            for c in graph_concepts}
    owner = {k: cid for cid in sorted(keys) for k in sorted(keys[cid])}
    id_of = {(ep, c.key): key_to_id[f"{ep}::{c.key}"] for ep, c in items}
    for concept in graph_concepts:
        concept.part_of = _wholes(concept.id, spoken[concept.id], owner)
    shared, explained = shared_sentences(items, owner, id_of)
    set_course_generality(graph_concepts, keys, sorted(per_episode, key=lambda e: e.episode), shared)
    add_prerequisites(graph_concepts, uses, shared, explained)
    add_hanging_prerequisites(graph_concepts, explained)
    broken = _break_cycles(graph_concepts)
    terms = sorted({t for ec in per_episode for t in ec.terms})
    kept_ids = set(key_to_id.values())
    return ConceptGraph(
        concepts=sorted(graph_concepts, key=lambda c: c.id),
        broken_edges=broken,
        merged=sorted(set(merged)),
        terms=terms,
        # A concept one episode could not explain may be explained (and kept) by another.
        dropped=sorted({item for ec in per_episode for item in ec.dropped if item[0] not in kept_ids}),
    )


def _break_cycles(concepts: list[GraphConcept]) -> list[BrokenEdge]:
    """Remove the weakest link of each cycle (the prerequisite listed last) and report it."""
    by_id = {c.id: c for c in concepts}
    broken: list[BrokenEdge] = []
    while True:
        sorter: TopologicalSorter[str] = TopologicalSorter(
            {c.id: [p for p in c.prerequisites if p in by_id] for c in concepts}
        )
        try:
            sorter.prepare()
            return broken
        except CycleError as exc:
            cycle: list[str] = list(exc.args[1])
            # cycle = [a, b, ..., a]: each node is a prerequisite of the next one.
            edges = [(cycle[i + 1], cycle[i]) for i in range(len(cycle) - 1)]
            weakest = max(edges, key=lambda e: (by_id[e[0]].prerequisites.index(e[1]), e))
            concept, prerequisite = weakest
            by_id[concept].prerequisites.remove(prerequisite)
            broken.append(
                BrokenEdge(
                    concept=concept,
                    prerequisite=prerequisite,
                    reason="cycle " + " -> ".join(cycle),
                )
            )
