"""Two names for one idea, from how the speakers use them (see engines.extractive.roles).

A name the speakers give another in passing ("X, also called Y") joins them. Failing that,
two ideas are one when the speakers name both, often, as a part of the same noun and of no
other idea's ("the weights of the model", "the parameters of the model"), never name the two
in one sentence, and their names are of one kind. A false merge teaches two ideas as one, which
is worse than teaching one twice: every condition must hold.
"""

from __future__ import annotations

from coursegen.engines.extractive.text import name_key
from coursegen.engines.types import ConceptCandidate
from coursegen.fsutil import slugify

# An owner counts when it owns the idea in this many sentences, and in this share of its mentions.
MIN_OWNED = 3
MIN_OWNED_SHARE = 0.1

Idea = tuple[int, list[tuple[str, ConceptCandidate]]]


def _names(members: list[tuple[str, ConceptCandidate]]) -> set[str]:
    return {name_key(n) for _, c in members for n in [c.name, *c.aliases]} - {""}


def _keys(members: list[tuple[str, ConceptCandidate]]) -> set[str]:
    """Vocabulary keys of an idea's names (as `co_mentions` keys them)."""
    return {c.key for _, c in members} | {slugify(n) for n in _names(members)}


def strong_owners(members: list[tuple[str, ConceptCandidate]]) -> set[str]:
    """Nouns the speakers name the idea a part of often: in MIN_OWNED sentences and a
    MIN_OWNED_SHARE of its mentions, over every conversation; never a word of its own name."""
    owned: dict[str, int] = {}
    for _, cand in members:
        for noun, count in cand.owners.items():
            owned[noun] = owned.get(noun, 0) + count
    mentions = sum(c.mentions for _, c in members)
    own_words = {w for n in _names(members) for w in n.split()}
    return {
        noun
        for noun, count in owned.items()
        if count >= MIN_OWNED and count >= MIN_OWNED_SHARE * mentions and noun not in own_words
    }


def said_together(a: list[tuple[str, ConceptCandidate]], b: list[tuple[str, ConceptCandidate]]) -> bool:
    """True when some sentence names both ideas (either's co-mentions name the other)."""
    keys_a, keys_b = _keys(a), _keys(b)
    return any(keys_b & set(c.co_mentions) for _, c in a) or any(keys_a & set(c.co_mentions) for _, c in b)


def renamed(a: list[tuple[str, ConceptCandidate]], b: list[tuple[str, ConceptCandidate]]) -> bool:
    """True when the speakers give one idea the other's name in passing ("X, also called Y")."""
    names_a, names_b = _names(a), _names(b)
    return any(name_key(n) in names_b for _, c in a for n in c.also_called) or any(
        name_key(n) in names_a for _, c in b for n in c.also_called
    )


def synonym_pairs(ideas: list[Idea]) -> list[tuple[int, int]]:
    """Pairs of ideas (by representative index) that are one idea under two names."""
    pairs: list[tuple[int, int]] = []
    owners = {index: strong_owners(members) for index, members in ideas}
    owned_by: dict[str, list[int]] = {}
    for index, nouns in sorted(owners.items()):
        for noun in sorted(nouns):
            owned_by.setdefault(noun, []).append(index)
    members_of = dict(ideas)
    for index, members in ideas:
        for other, theirs in ideas:
            if other > index and renamed(members, theirs):
                pairs.append((index, other))
    for _, owned in sorted(owned_by.items()):
        # A noun owning three ideas has parts ("layers", "weights", "neurons" of a network).
        if len(owned) != 2:
            continue
        a, b = owned
        one_kind = members_of[a][0][1].kind == members_of[b][0][1].kind
        if one_kind and not said_together(members_of[a], members_of[b]):
            pairs.append((a, b))
    return sorted(set(pairs))
